/**
 * The simulator channel as `dondoc start` runs it, for tests that build the app themselves: the
 * plugin stores and queues each message, real workers (Redis, BullMQ) answer it and deliver the
 * replies into the simulator's inbox, and the HTTP call waits for them.
 */
import type { FastifyPluginAsync } from "fastify";
import { simulatorGateway, simulatorPlugin } from "../../bots/simulator/index.ts";
import { createConversation, createDelivery, createInbox, type Clock, type Conversation, type ConversationDeps, type Store } from "../../src/app/index.ts";
import { queueRig } from "./queues.ts";

/** The simulator's secret in tests that build the app themselves (a real install makes its own). */
export const SIM_SECRET = "test-simulator-secret-0123456789";

/** Headers of a simulator call: JSON and the secret. */
export function simHeaders(secret: string = SIM_SECRET): Record<string, string> {
  return { "content-type": "application/json", "x-simulator-secret": secret };
}

export interface SimulatorRig {
  conversation: Conversation;
  plugin: FastifyPluginAsync;
  close(): Promise<void>;
}

/**
 * @example
 * const sim = await simulatorRig({ store, clock, orgId });
 * app = await buildApp({ …, channelPlugins: [sim.plugin] });
 * // afterAll: await sim.close();
 */
export async function simulatorRig(input: { store: Store; clock: Clock; orgId: string; conversation?: Omit<ConversationDeps, "store" | "clock" | "dispatch"> }): Promise<SimulatorRig> {
  const rig = queueRig();
  const conversation = createConversation({ store: input.store, clock: input.clock, dispatch: rig.dispatch, ...input.conversation });
  const delivery = createDelivery({ store: input.store, clock: input.clock, gateways: { simulator: simulatorGateway() }, dispatch: rig.dispatch });
  await rig.start({ clock: input.clock, process: (o, id) => conversation.process(o, id), delivery, store: input.store, channels: ["simulator"], rate: 1_000 });
  const plugin = simulatorPlugin({ handler: conversation, queue: rig.inbound, inbox: createInbox({ store: input.store, clock: input.clock }), orgId: input.orgId, clock: input.clock, secret: SIM_SECRET });
  return { conversation, plugin, close: () => rig.close() };
}
