/**
 * Queue names → job payloads. Payloads carry ids only; the store carries the truth
 * (CONVENTIONS.md habit 8). Add a queue here, then its processor in processors/.
 */
export interface QueuePayloads {
  /** The worker says it is alive; /healthz reads the mark it leaves. */
  heartbeat: { kind: "beat" };
  /** A stored inbound message to interpret and answer. */
  inbound: { orgId: string; inboundMessageId: string };
  /** One outbox message to hand to its channel (or "sweep": find pending ones). */
  deliveries: { orgId: string; outboundMessageId: string } | { sweep: true };
  /** Write the reminders the policy gives ("plan", daily) or fire the due ones ("fire", each minute). */
  reminders: { kind: "plan" | "fire" };
}

export type QueueName = keyof QueuePayloads;


/**
 * Deterministic job ids: the same logical job always gets the same id, so planning twice adds
 * nothing. BullMQ rejects ":" in custom ids, so parts are joined with "-".
 *
 * @example
 * jobId("reminder", assignmentId, "before", "2020-06-23") // "reminder-<uuid>-before-2020-06-23"
 */
export function jobId(...parts: (string | number)[]): string {
  const id = parts.map(String).join("-");
  if (id.includes(":")) throw new Error(`job id may not contain ":" (${id})`);
  return id;
}
