/** The only source of "now" for use cases. */

/**
 * The only source of "now" for use cases.
 * @example
 * const clock: Clock = { now: () => new Date("2020-06-20T01:00:00Z") };
 */
export interface Clock {
  now(): Date;
}
