/**
 * Broadcasts (DESIGN.md §4.6): office sends one message, or "remind everyone who has not
 * reported", to units, people or Zalo groups. The broadcast and its outbox rows are written in
 * one transaction (the store is the truth); the delivery queues send them at each channel's
 * rate; the broadcast's progress is read back per recipient.
 */
import type { BoardRow, BroadcastKind, Channel, OutboundStatus, Person } from "../domain/index.ts";
import { groupBy } from "../domain/index.ts";
import { fold, refCovers } from "../domain/index.ts";
import { dueText, itemName, timing } from "../domain/index.ts";
import { localDay } from "../domain/index.ts";
import { settingsOrDefaults, type Voice } from "./org-settings.ts";
import type { Clock, Dispatch, Store } from "./ports/index.ts";

/** Who a broadcast goes to. Every list is optional; together they are a union, each recipient once. */
export interface BroadcastTargets {
  /** Unit ids, keys or names/aliases ("Hội CCB"). A unit bound to a Zalo group gets the group. */
  units?: string[];
  /** Person ids. */
  people?: string[];
  /** Thread ids of group chats (Zalo groups). */
  groups?: string[];
  /** Every unit that has not reported on this item ref ("6", "6.2"), or on any item when "*". */
  notReportedOn?: string;
  /** With `notReportedOn`: only that directive's items (its id); a ward has several active at once. */
  notReportedIn?: string;
  /** Every cadre who can be reached. */
  everyone?: boolean;
}

export interface BroadcastRequest {
  kind: Exclude<BroadcastKind, "digest">;
  /** Required for an announcement; a reminder without text names each unit's open item. */
  text?: string;
  targets: BroadcastTargets;
  createdBy?: string | null;
  /** The same key again (a form posted twice) sends nothing more: `send` returns the first one. */
  dedupeKey?: string | null;
}

export class BroadcastError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BroadcastError";
  }
}

interface Recipient {
  identityId?: string;
  threadId?: string;
  text: string;
  itemId: string | null;
}

export interface BroadcastView {
  id: string;
  kind: BroadcastKind;
  text: string;
  createdAt: Date;
  counts: { total: number; sent: number; failed: number; pending: number };
  recipients: {
    name: string | null;
    channel: string | null;
    status: "sent" | "failed" | "pending";
    /** The channel that finally carried it, when a copy went to the person's other account. */
    via: string | null;
    error: string | null;
    at: Date | null;
  }[];
}

/** What a broadcast would go to: each account or group once, with the channel it gets. */
export interface BroadcastPreview {
  recipients: { kind: "person" | "group"; name: string | null; channel: Channel | null; text: string }[];
}

/** The store slices createBroadcasts uses. */
export type BroadcastStore = Pick<Store, "audit" | "broadcasts" | "chats" | "orgs" | "outbound" | "persons" | "tracking" | "units">;

/**
 * @example
 * const broadcasts = createBroadcasts({ store, clock, dispatch });
 * const { id, recipients } = await broadcasts.send(orgId, { kind: "announcement", text: "Họp giao ban 8h thứ Hai", targets: { everyone: true } });
 * const view = await broadcasts.view(orgId, id);
 */
export function createBroadcasts(deps: { store: BroadcastStore; clock: Clock; dispatch?: Dispatch }) {
  const { store, clock } = deps;

  /** The account the person used last (the store lists it first): the one most likely to be read. */
  const latestAccount = async (orgId: string, personId: string) => (await store.chats.identitiesOfPerson(orgId, personId))[0];

  /** A unit's bound group(s) when it has one, else its reachable cadres. */
  async function unitRecipients(orgId: string, unitId: string, text: string, itemId: string | null): Promise<Recipient[]> {
    const groups = await store.chats.groupsOfUnit(orgId, unitId);
    if (groups.length > 0) return groups.map((g) => ({ threadId: g.id, text, itemId }));
    return (await store.chats.reachable(orgId, "cadre", unitId)).map((r) => ({ identityId: r.identityId, text, itemId }));
  }

  async function findUnit(orgId: string, ref: string) {
    const units = await store.units.list(orgId);
    const byId = units.find((u) => u.id === ref || u.key === ref);
    if (byId) return byId;
    return store.units.byAlias(orgId, fold(ref));
  }

  function reminderLine(row: BoardRow, today: string, voice: Voice): string {
    const due = row.assignment.dueDate ? `, ${dueText(row.assignment.dueDate, timing(row.assignment, today))}` : "";
    const you = voice.address.cadre;
    return `${voice.office} nhắc ${row.unit.name}: ${itemName(row)} chưa có báo cáo${due}. Đề nghị ${you} trả lời tin này để báo cáo.`;
  }

  async function resolve(orgId: string, request: BroadcastRequest): Promise<{ recipients: Recipient[]; unknown: string[] }> {
    const { targets } = request;
    const text = request.text?.trim() ?? "";
    const decorated = request.kind === "announcement" ? `📢 ${text}` : text;
    const out: Recipient[] = [];
    const unknown: string[] = [];
    for (const ref of targets.units ?? []) {
      const unit = await findUnit(orgId, ref);
      if (!unit) unknown.push(`đơn vị "${ref}"`);
      else out.push(...(await unitRecipients(orgId, unit.id, decorated, null)));
    }
    for (const personId of targets.people ?? []) {
      const best = await latestAccount(orgId, personId).catch(() => undefined);
      if (!best) unknown.push(`người "${personId}" (chưa liên kết tài khoản chat)`);
      else out.push({ identityId: best.id, text: decorated, itemId: null });
    }
    for (const threadId of targets.groups ?? []) {
      const thread = await store.chats.threadById(orgId, threadId).catch(() => null);
      if (!thread || thread.kind !== "group") unknown.push(`nhóm "${threadId}"`);
      else out.push({ threadId: thread.id, text: decorated, itemId: null });
    }
    if (targets.notReportedOn) {
      const today = localDay(clock.now());
      const ref = targets.notReportedOn;
      const board = await store.tracking.board(orgId, today);
      const voice = settingsOrDefaults((await store.orgs.byId(orgId))?.settings).voice;
      const inScope = targets.notReportedIn ? board.filter((r) => r.directive.id === targets.notReportedIn) : board;
      const rows = inScope.filter((r) => r.assignment.status === "not_reported" && (ref === "*" || refCovers(r.item.ref, ref)));
      if (rows.length === 0 && ref !== "*" && !inScope.some((r) => refCovers(r.item.ref, ref))) unknown.push(`nhiệm vụ "${ref}"`);
      for (const row of rows) out.push(...(await unitRecipients(orgId, row.unit.id, text ? decorated : reminderLine(row, today, voice), row.item.id)));
    }
    if (targets.everyone) {
      for (const r of await store.chats.reachable(orgId, "cadre")) out.push({ identityId: r.identityId, text: decorated, itemId: null });
    }
    // Each account or group once (the first text wins: a unit's own reminder before a general one).
    const seen = new Set<string>();
    const recipients = out.filter((r) => {
      const key = r.identityId ? `i${r.identityId}` : `t${r.threadId}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return { recipients, unknown };
  }

  /** The recipients `send` would write, after the same checks (BroadcastError in Vietnamese). */
  async function checkedRecipients(orgId: string, request: BroadcastRequest): Promise<Recipient[]> {
    if (request.kind === "announcement" && !request.text?.trim()) throw new BroadcastError("Thiếu nội dung thông báo.");
    const { notReportedOn: _byItem, notReportedIn: _inDirective, ...others } = request.targets;
    const hasOthers = Object.values(others).some((v) => (Array.isArray(v) ? v.length > 0 : Boolean(v)));
    if (request.kind === "remind" && !request.text?.trim() && hasOthers) {
      throw new BroadcastError("Thiếu nội dung nhắc: chỉ khi nhắc theo nhiệm vụ (các đơn vị chưa báo cáo) mới không cần nội dung.");
    }
    if ((request.text ?? "").length > 2_000) throw new BroadcastError("Nội dung quá dài (tối đa 2.000 ký tự).");
    const { recipients, unknown } = await resolve(orgId, request);
    if (unknown.length > 0) throw new BroadcastError(`Không tìm thấy: ${unknown.join(", ")}.`);
    if (recipients.length === 0) {
      throw new BroadcastError(request.targets.notReportedOn ? "Không có đơn vị nào chưa báo cáo để nhắc." : "Không có người nhận nào đã liên kết tài khoản chat.");
    }
    return recipients;
  }

  return {
    /**
     * Writes the broadcast and one outbox row per recipient, then queues them. Throws
     * BroadcastError (Vietnamese) for an announcement without text, unknown targets, or nobody
     * to send to.
     */
    async send(orgId: string, request: BroadcastRequest): Promise<{ id: string; recipients: number; repeated?: boolean }> {
      const earlier = request.dedupeKey ? await store.broadcasts.byDedupeKey(orgId, request.dedupeKey) : null;
      if (earlier) return { id: earlier.id, recipients: (await store.broadcasts.recipients(orgId, earlier.id)).filter((r) => !r.fallbackOf).length, repeated: true };
      const recipients = await checkedRecipients(orgId, request);
      const created = await store.broadcasts.create(
        { orgId, kind: request.kind, text: request.text?.trim() ?? "", targets: { ...request.targets }, createdBy: request.createdBy ?? null, dedupeKey: request.dedupeKey ?? null },
        recipients.map((r) => ({ identityId: r.identityId ?? null, threadId: r.threadId ?? null, text: r.text, itemId: r.itemId })),
      );
      if (!created) {
        // Posted twice at the same moment: the other request wrote it.
        const twin = request.dedupeKey ? await store.broadcasts.byDedupeKey(orgId, request.dedupeKey) : null;
        if (twin) return { id: twin.id, recipients: recipients.length, repeated: true };
        throw new BroadcastError("Thông báo này đã được gửi.");
      }
      await store.audit.append({ orgId, actor: request.createdBy ? `person:${request.createdBy}` : "office", action: `broadcast.${request.kind}`, entity: "broadcast", entityId: created.broadcast.id, data: { recipients: recipients.length, targets: request.targets }, at: clock.now() });
      if (deps.dispatch) await deps.dispatch(await store.outbound.routes(orgId, created.outboxIds));
      return { id: created.broadcast.id, recipients: recipients.length };
    },

    /**
     * Who `send` would write to, and on which channel, without writing anything (the office's
     * preview). Throws the same BroadcastError as `send`.
     */
    async preview(orgId: string, request: BroadcastRequest): Promise<BroadcastPreview> {
      const recipients = await checkedRecipients(orgId, request);
      const rows = await Promise.all(
        recipients.map(async (r): Promise<BroadcastPreview["recipients"][number]> => {
          if (r.identityId) {
            const identity = await store.chats.identityById(orgId, r.identityId);
            const person = identity?.personId ? await store.persons.get(orgId, identity.personId) : null;
            return { kind: "person", name: person?.fullName ?? identity?.displayName ?? null, channel: identity?.channel ?? null, text: r.text };
          }
          const thread = r.threadId ? await store.chats.threadById(orgId, r.threadId) : null;
          return { kind: "group", name: thread?.title ?? null, channel: thread?.channel ?? null, text: r.text };
        }),
      );
      return { recipients: rows };
    },

    /** A scheduled broadcast (the weekly digest): once per key; returns its outbox ids or [] when already sent. */
    async sendOnce(orgId: string, input: { kind: BroadcastKind; text: string; dedupeKey: string; to: Person[] }): Promise<string[]> {
      const recipients: Recipient[] = [];
      for (const person of input.to) {
        const best = await latestAccount(orgId, person.id);
        if (best) recipients.push({ identityId: best.id, text: input.text, itemId: null });
      }
      if (recipients.length === 0) return [];
      const created = await store.broadcasts.create(
        { orgId, kind: input.kind, text: input.text, targets: { people: input.to.map((p) => p.id) }, dedupeKey: input.dedupeKey },
        recipients.map((r) => ({ identityId: r.identityId ?? null, text: r.text })),
      );
      return created?.outboxIds ?? [];
    },

    async view(orgId: string, id: string): Promise<BroadcastView | null> {
      const broadcast = await store.broadcasts.get(orgId, id);
      if (!broadcast) return null;
      const rows = await store.broadcasts.recipients(orgId, id);
      const copies = groupBy(rows.filter((r) => r.fallbackOf), (r) => r.fallbackOf);
      const ids = new Set(rows.map((r) => r.outboundMessageId));
      const recipients = rows
        // A copy is shown with the recipient it stands in for (one Set lookup, not a scan per row).
        .filter((r) => !r.fallbackOf || !ids.has(r.fallbackOf))
        .map((r) => {
          const chain = [r, ...(copies.get(r.outboundMessageId) ?? [])];
          const sent = chain.find((c) => c.status === "sent");
          const status: "sent" | "failed" | "pending" = sent ? "sent" : chain.some((c) => c.status === "pending") ? "pending" : "failed";
          const lastTry = chain[chain.length - 1] ?? r;
          return {
            name: r.personName ?? r.threadTitle,
            channel: r.channel,
            status,
            via: sent && sent !== r ? sent.channel : null,
            error: status === "failed" ? lastTry.error ?? lastTry.lastOutcome : null,
            at: (sent ?? lastTry).attemptedAt,
          };
        });
      const count = (s: OutboundStatus | "pending") => recipients.filter((r) => r.status === s).length;
      return {
        id: broadcast.id,
        kind: broadcast.kind,
        text: broadcast.text,
        createdAt: broadcast.createdAt,
        counts: { total: recipients.length, sent: count("sent"), failed: count("failed"), pending: count("pending") },
        recipients,
      };
    },

    list: (orgId: string, limit = 50) => store.broadcasts.list(orgId, limit),

    /** One message to a unit (its bound group, else its linked cadres), queued at once; returns how many. */
    async toUnit(orgId: string, unitId: string, text: string, itemId: string | null): Promise<number> {
      const recipients = await unitRecipients(orgId, unitId, text, itemId);
      const ids = await store.outbound.enqueueMany(recipients.map((r) => ({ orgId, identityId: r.identityId ?? null, threadId: r.threadId ?? null, text: r.text, itemId: r.itemId })));
      if (deps.dispatch) await deps.dispatch(await store.outbound.routes(orgId, ids));
      return ids.length;
    },
  };
}

export type Broadcasts = ReturnType<typeof createBroadcasts>;
