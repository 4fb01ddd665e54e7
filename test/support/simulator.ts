/** The simulator's secret in tests that build the app themselves (a real install makes its own). */
export const SIM_SECRET = "test-simulator-secret-0123456789";

/** Headers of a simulator call: JSON and the secret. */
export function simHeaders(secret: string = SIM_SECRET): Record<string, string> {
  return { "content-type": "application/json", "x-simulator-secret": secret };
}
