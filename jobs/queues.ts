import type { Channel } from "../src/domain/index.ts";

/** One outbox message to hand to its channel. */
export interface DeliveryJob {
  orgId: string;
  outboundMessageId: string;
  /** A reply to someone who just wrote: it skips the paced slots of bulk sends (the per-second limit still holds). */
  reply?: boolean;
}

/**
 * Queue names → job payloads. Payloads carry ids only; the store carries the truth
 * (CONVENTIONS.md habit 8). Add a queue here, then its processor in worker.ts.
 */
export type QueuePayloads = {
  /** The worker says it is alive; /healthz reads the mark it leaves. */
  heartbeat: { kind: "beat" };
  /** A stored inbound message to interpret and answer. */
  inbound: { orgId: string; inboundMessageId: string };
  /** Find outbox messages nobody queued (a crash, a lost Redis) and queue them. */
  deliveries: { sweep: true };
  /** Write the reminders the policy gives ("plan", daily), fire the due ones ("fire", each
   * minute), or send the week's digests ("digest", Monday morning). */
  reminders: { kind: "plan" | "fire" | "digest"; /** A fire job's moment (ms), when it was queued to wake just before it. */ at?: number };
} & {
  /** One queue per channel, each with its own rate (jobs/pacer.ts). */
  [C in Channel as `deliver-${C}`]: DeliveryJob;
};

export type QueueName = keyof QueuePayloads;

export function deliveryQueueName(channel: Channel): `deliver-${Channel}` {
  return `deliver-${channel}`;
}

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
