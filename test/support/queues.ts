/**
 * Real BullMQ queues and workers for a test, on the real Redis under a prefix of their own: the
 * inbound queue (webhooks, the simulator), the delivery queues and their workers. Everything a
 * message goes through in production, minus the platforms (test/fakes).
 */
import { randomUUID } from "node:crypto";
import type { Clock, Delivery, Dispatch, InboundQueue, Reply, Store } from "../../src/app/index.ts";
import type { Channel } from "../../src/domain/entities.ts";
import { createDeliveryQueue, createInboundQueue, createRedis, startWorkers, type RunningWorkers } from "../../jobs/index.ts";
import { TEST_REDIS_URL } from "./env.ts";

const silent = { debug() {}, info() {}, warn() {}, error() {} };

export interface QueueRig {
  prefix: string;
  /** Hands outbox rows to the delivery queues (give it to the conversation and the use cases). */
  dispatch: Dispatch;
  inbound: InboundQueue;
  /** Starts the workers: inbound processing and the deliveries of these channels. */
  start(input: {
    clock: Clock;
    process(orgId: string, inboundMessageId: string): Promise<Reply[]>;
    delivery: Pick<Delivery, "deliver" | "pendingToDeliver">;
    store: Pick<Store, "outbound">;
    channels: Channel[];
    /** Sends per second on each channel (default 500: tests are not about pacing). */
    rate?: number;
  }): Promise<RunningWorkers>;
  close(): Promise<void>;
}

export function queueRig(): QueueRig {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const connection = createRedis(TEST_REDIS_URL);
  const deliveries = createDeliveryQueue(connection, prefix);
  const inbound = createInboundQueue(connection, prefix);
  let workers: RunningWorkers | null = null;
  return {
    prefix,
    dispatch: (routes, options) => deliveries.dispatch(routes, options),
    inbound,
    async start(input) {
      workers = await startWorkers({
        connection,
        prefix,
        clock: input.clock,
        logger: silent,
        processInbound: (orgId, id) => input.process(orgId, id),
        deliver: (orgId, id, options) => input.delivery.deliver(orgId, id, options),
        routes: (orgId, ids) => input.store.outbound.routes(orgId, ids),
        pendingOutbox: () => input.delivery.pendingToDeliver(),
        deliveryChannels: input.channels.map((channel) => ({ channel, ratePerSecond: input.rate ?? 500 })),
      });
      return workers;
    },
    async close() {
      await workers?.close();
      await deliveries.close();
      await inbound.close();
      const keys = await connection.keys(`${prefix}:*`);
      for (let i = 0; i < keys.length; i += 500) await connection.del(...keys.slice(i, i + 500));
      connection.disconnect();
    },
  };
}

/**
 * Org settings with no quiet hours and no days off: for tests on the real clock, whose proactive
 * messages would otherwise wait for the morning when the suite runs at night or on a Sunday.
 */
export const ALWAYS_OPEN = { calendar: { quietStart: "00:00", quietEnd: "00:00", saturdayAfternoonOff: false, sundayOff: false, holidays: false } };
