import { BroadcastError, type BroadcastRequest } from "../../broadcasts.ts";
import { say, type ChatContext } from "../context.ts";

/** A broadcast from chat (`/nhacnho`, `/thongbao`): sent, then one line saying to how many. */
export async function sendBroadcast(ctx: ChatContext, request: Omit<BroadcastRequest, "createdBy">, done: (n: number) => string): Promise<void> {
  try {
    const { recipients } = await ctx.deps.broadcasts.send(ctx.msg.orgId, { ...request, createdBy: ctx.person?.id ?? null });
    return say(ctx, done(recipients));
  } catch (err) {
    if (err instanceof BroadcastError) return say(ctx, err.message);
    throw err;
  }
}
