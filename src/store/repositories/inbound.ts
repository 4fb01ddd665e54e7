/** The inbound message log: one message records once (by channel + message id). */
import { and, eq, sql } from "drizzle-orm";
import type { InboundRepository } from "../../app/index.ts";
import type { Db } from "../db.ts";
import * as t from "../schema.ts";
import { inOrg, one, oneInOrg } from "./scoped.ts";

export function inboundRepository(db: Db): InboundRepository {
  return {
    async record(input) {
      // ON CONFLICT DO NOTHING makes two concurrent deliveries of one message insert once;
      // the loser reads the winner's row.
      const [inserted] = await db
        .insert(t.inboundMessages)
        .values(input)
        .onConflictDoNothing({
          target: [t.inboundMessages.channel, t.inboundMessages.externalMessageId],
        })
        .returning();
      if (inserted) return { message: inserted, duplicate: false };
      const [existing] = await db
        .select()
        .from(t.inboundMessages)
        .where(
          and(
            eq(t.inboundMessages.channel, input.channel),
            eq(t.inboundMessages.externalMessageId, input.externalMessageId),
          ),
        );
      return { message: one(existing ? [existing] : [], "inbound.record"), duplicate: true };
    },
    async accept(input) {
      const raw = input.raw === undefined || input.raw === null ? null : JSON.stringify(input.raw);
      // One statement: account, thread and message, so a webhook costs one round trip.
      const result: unknown = await db.execute(sql`
          with ident as (
            insert into ${t.identities} (org_id, channel, external_id, display_name, last_inbound_at)
            values (${input.orgId}, ${input.channel}, ${input.senderId}, ${input.senderName ?? null}, ${input.sentAt.toISOString()})
            on conflict (org_id, channel, external_id) do update set
              display_name = coalesce(excluded.display_name, ${t.identities}.display_name),
              last_inbound_at = greatest(excluded.last_inbound_at, ${t.identities}.last_inbound_at)
            returning id
          ), thr as (
            insert into ${t.threads} (org_id, channel, external_id, kind)
            values (${input.orgId}, ${input.channel}, ${input.threadId}, ${input.threadKind})
            on conflict (org_id, channel, external_id) do update set kind = ${t.threads}.kind
            returning id
          )
          insert into ${t.inboundMessages}
            (org_id, channel, external_message_id, thread_id, identity_id, text, payload, reply_to_external_id, sent_at, raw)
          select ${input.orgId}, ${input.channel}, ${input.messageId}, thr.id, ident.id, ${input.text}, ${input.payload ?? null},
                 ${input.replyToMessageId ?? null}, ${input.sentAt.toISOString()}, ${raw}::jsonb
          from ident, thr
          on conflict (channel, external_message_id) do nothing
          returning id`);
      const rows = (result as { rows: { id: string }[] }).rows;
      return rows[0]?.id ?? null;
    },
    async get(orgId, id) {
      return oneInOrg(db, t.inboundMessages, orgId, id);
    },
    async markProcessed(orgId, id, at) {
      await db
        .update(t.inboundMessages)
        .set({ processedAt: at })
        .where(inOrg(t.inboundMessages, orgId, eq(t.inboundMessages.id, id)));
    },
  };
}
