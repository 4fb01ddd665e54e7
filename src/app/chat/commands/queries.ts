/**
 * What the leaders' and office's queries share: the rows asked about (all, an item and its
 * sub-points, or one unit by any of its names) and their title.
 */
import type { BoardRow } from "../../../domain/index.ts";
import type { Interpretation } from "../../../domain/index.ts";
import { shorten } from "../../../domain/index.ts";
import { fold, refCovers } from "../../../domain/index.ts";
import { say, type ChatContext } from "../context.ts";

export interface Scope {
  rows: BoardRow[];
  title: string;
  /** The rows are one unit's: lines need not repeat its name. */
  oneUnit: boolean;
}

/** The rows a query is about, or null after saying why there are none. */
export async function scope(ctx: ChatContext, it: Interpretation): Promise<Scope | null> {
  const { store } = ctx.deps;
  const orgId = ctx.msg.orgId;
  const all = await store.tracking.board(orgId);
  if (all.length === 0) {
    await say(ctx, "Chưa có văn bản nào đang được theo dõi.");
    return null;
  }
  if (it.item) {
    const ref = it.item;
    // "nv 6" asks about 6 and its sub-points (a parent is tracked through them).
    const rows = all.filter((r) => refCovers(r.item.ref, ref));
    if (rows.length === 0) {
      await say(ctx, `Không có nhiệm vụ số ${ref}. Các nhiệm vụ: ${[...new Set(all.map((r) => r.item.ref))].join(", ")}.`);
      return null;
    }
    const refs = [...new Set(rows.map((r) => r.item.ref))];
    return { rows, title: refs.length === 1 ? `NV ${ref} — ${shorten(rows[0]?.item.summary ?? "", 70)}` : `NV ${ref} (${refs.join(", ")})`, oneUnit: false };
  }
  if (it.unit) {
    const unitFolded = fold(it.unit);
    const byAlias = await store.units.byAlias(orgId, unitFolded);
    const byKey = it.unitKey ? await store.units.byKey(orgId, it.unitKey) : null;
    const unitId = byKey?.id ?? byAlias?.id ?? all.find((r) => fold(r.unit.name) === unitFolded)?.unit.id;
    const rows = all.filter((r) => r.unit.id === unitId);
    if (rows.length === 0) {
      await say(ctx, `Không tìm thấy nhiệm vụ nào của ${it.unit}.`);
      return null;
    }
    return { rows, title: `Việc của ${rows[0]?.unit.name ?? it.unit}`, oneUnit: true };
  }
  return { rows: all, title: "Tình hình chung", oneUnit: false };
}
