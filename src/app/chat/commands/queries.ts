/**
 * What the leaders' and office's queries share: the rows asked about — all active directives, or
 * one picked by its short name ("TB 05/6", typed "tb05"); an item and its sub-points; or one unit
 * by any of its names — and whether details were asked for ("chi tiết").
 */
import type { BoardRow, Interpretation } from "../../../domain/index.ts";
import { directiveName, fold, groupBy, pickDirective, refCovers } from "../../../domain/index.ts";
import { say, type ChatContext } from "../context.ts";

export interface Scope {
  rows: BoardRow[];
  /** The directive's short name when the question named one. */
  directive: string | null;
  /** The item asked about ("6" covers 6.1 and 6.2). */
  item: string | null;
  /** The unit asked about. */
  unit: string | null;
  /** "chi tiết": the full list, over several messages if need be. */
  details: boolean;
}

/** The active directives as chat names them: "TB 05/6: …". */
function directiveList(all: readonly BoardRow[]): string {
  return [...groupBy(all, (r) => r.directive.id)].map(([, rs]) => directiveName(rs[0]!.directive)).join(", ");
}

/** The rows a query is about, or null after saying why there are none. */
export async function scope(ctx: ChatContext, it: Interpretation): Promise<Scope | null> {
  const { store } = ctx.deps;
  const orgId = ctx.msg.orgId;
  const all = await store.tracking.board(orgId, ctx.today);
  if (all.length === 0) {
    await say(ctx, "Chưa có văn bản nào đang được theo dõi.");
    return null;
  }
  const details = /\bchi tiet\b/.test(fold(ctx.msg.text));
  let rows = all;
  let directive: string | null = null;
  if (ctx.selector) {
    const directives = [...groupBy(all, (r) => r.directive.id)].map(([id, rs]) => ({ id, name: directiveName(rs[0]!.directive) }));
    const picked = pickDirective(ctx.selector, directives);
    if (!picked) {
      await say(ctx, `Không tìm thấy văn bản "${ctx.selector.toUpperCase()}". Các văn bản đang theo dõi: ${directiveList(all)}.`);
      return null;
    }
    rows = all.filter((r) => r.directive.id === picked.id);
    directive = picked.name;
  }
  if (it.item) {
    const ref = it.item;
    // "nv 6" asks about 6 and its sub-points (a parent is tracked through them).
    const found = rows.filter((r) => refCovers(r.item.ref, ref));
    if (found.length === 0) {
      const refs = [...new Set(rows.map((r) => r.item.ref))].join(", ");
      await say(ctx, directive ? `${directive} không có nhiệm vụ số ${ref}. Các nhiệm vụ: ${refs}.` : `Không có nhiệm vụ số ${ref} trong các văn bản đang theo dõi (${directiveList(all)}).`);
      return null;
    }
    rows = found;
  }
  let unit: string | null = null;
  if (it.unit) {
    const unitFolded = fold(it.unit);
    const byAlias = await store.units.byAlias(orgId, unitFolded);
    const byKey = it.unitKey ? await store.units.byKey(orgId, it.unitKey) : null;
    const unitId = byKey?.id ?? byAlias?.id ?? all.find((r) => fold(r.unit.name) === unitFolded)?.unit.id;
    const found = rows.filter((r) => r.unit.id === unitId);
    if (found.length === 0) {
      await say(ctx, `Không tìm thấy nhiệm vụ nào của ${it.unit}${directive ? ` trong ${directive}` : ""}.`);
      return null;
    }
    rows = found;
    unit = found[0]!.unit.name;
  }
  return { rows, directive, item: it.item ?? null, unit, details };
}
