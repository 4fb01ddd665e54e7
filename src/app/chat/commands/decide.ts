import { viDate } from "../../../domain/index.ts";
import { fold } from "../../../domain/index.ts";
import { command } from "../command.ts";
import { say } from "../context.ts";

/**
 * "duyệt gia hạn 6" / "không duyệt gia hạn 6" — a leader decides a pending extension; a bare
 * "duyệt" or "đồng ý" decides the only one pending. The unit is told either way.
 */
export const decide = command({
  name: "decide",
  intents: ["decide"],
  roles: ["leader"],
  help: ["• duyệt gia hạn 6 · không duyệt gia hạn 6"],
  async run(ctx, it) {
    const { store, clock, broadcasts } = ctx.deps;
    const orgId = ctx.msg.orgId;
    const approve = it.decision !== "reject";
    const board = await store.tracking.board(orgId, ctx.today);
    const pending = (await store.tracking.pendingExtensions(orgId))
      .map((e) => ({ e, row: board.find((r) => r.assignment.id === e.assignmentId) }))
      .filter((x) => x.row && (!it.item || fold(x.row.item.ref) === fold(it.item)));
    if (pending.length === 0) {
      return say(ctx, it.item ? `Không có đề nghị gia hạn nào đang chờ cho NV ${it.item}.` : "Không có đề nghị gia hạn nào đang chờ.");
    }
    if (pending.length > 1 && !it.item) {
      return say(ctx, ["Có nhiều đề nghị gia hạn, hãy ghi số nhiệm vụ:", ...pending.map((x) => `NV ${x.row?.item.ref} · ${x.row?.unit.name} → ${viDate(x.e.toDate)}`)]);
    }
    const lines: string[] = [];
    for (const { e, row } of pending) {
      const decided = await store.tracking.decideExtension({ orgId, extensionId: e.id, status: approve ? "approved" : "rejected", decidedBy: ctx.person?.id ?? "", at: clock.now() });
      if (!decided || !row) continue;
      await store.audit.append({ orgId, actor: `person:${ctx.person?.id ?? ""}`, action: `extension.${decided.status}`, entity: "extension", entityId: e.id, data: { assignmentId: e.assignmentId, toDate: e.toDate, fromDate: row.assignment.dueDate }, at: clock.now() });
      const text = approve
        ? `Lãnh đạo đã duyệt gia hạn NV ${row.item.ref} đến ${viDate(e.toDate)}.`
        : `Lãnh đạo không duyệt gia hạn NV ${row.item.ref}; hạn vẫn là ${row.assignment.dueDate ? viDate(row.assignment.dueDate) : "như cũ"}.`;
      await broadcasts.toUnit(orgId, row.unit.id, text, row.item.id);
      lines.push(`${approve ? "Đã duyệt" : "Đã từ chối"} gia hạn NV ${row.item.ref} (${row.unit.name}) ${approve ? `đến ${viDate(e.toDate)}` : ""}`.trim());
    }
    return say(ctx, lines.length > 0 ? lines : ["Đề nghị này đã được xử lý trước đó."]);
  },
});
