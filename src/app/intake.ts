/**
 * Directive intake (DESIGN.md §4.1): import → draft with parsed items → review edits → activate.
 * Nothing is tracked before activation; activation creates assignments (and occurrences for
 * recurring items) in one transaction.
 */
import {
  BUILTIN_UNITS,
  expandGroup,
  fold,
  mergeUnits,
  nfc,
  parseDirective,
  resolveDeadline,
  resolveUnit,
  NO_DEADLINE,
  type Deadline,
  type ParsedDirective,
  type Rotation,
  type UnitDef,
} from "../domain/index.ts";
import type { Directive, Item, ItemAssignee, ItemDeadline, ItemRotation, Unit } from "../domain/index.ts";
import { directiveName, makeItemLabel, nameKey, planOccurrences } from "../domain/index.ts";
import { localDay } from "../domain/index.ts";
import type { Clock, ItemPatch, NewItem, Store } from "./ports/index.ts";

export type IntakeErrorCode =
  | "empty_text"
  | "too_long"
  | "no_items"
  | "not_found"
  | "not_draft"
  | "invalid_item"
  | "unassigned_items"
  | "duplicate_ref";

const HTTP_STATUS: Record<IntakeErrorCode, number> = {
  empty_text: 400,
  too_long: 413,
  no_items: 422,
  not_found: 404,
  not_draft: 409,
  invalid_item: 400,
  unassigned_items: 422,
  duplicate_ref: 409,
};

/** A refusal the office can act on: a stable code, Vietnamese for the user, English for logs. */
export class IntakeError extends Error {
  readonly status: number;
  constructor(
    readonly code: IntakeErrorCode,
    readonly messageVi: string,
    message: string,
  ) {
    super(message);
    this.name = "IntakeError";
    this.status = HTTP_STATUS[code];
  }
}

/**
 * The longest text the parser is given. Real directives run to a few thousand words (the seed
 * is 5,500 characters); parsing time grows faster than the length (bench/parser.ts), so a huge
 * paste must not hold the web process for seconds.
 */
export const MAX_DIRECTIVE_CHARS = 200_000;

export function assertParsableLength(text: string): void {
  if (text.length > MAX_DIRECTIVE_CHARS) {
    throw new IntakeError(
      "too_long",
      `Văn bản quá dài (${text.length.toLocaleString("vi-VN")} ký tự; tối đa ${MAX_DIRECTIVE_CHARS.toLocaleString("vi-VN")}). Hãy tách thành nhiều văn bản.`,
      `directive text too long (${text.length} characters; at most ${MAX_DIRECTIVE_CHARS})`,
    );
  }
}

/** NFC, Unix line ends, no trailing spaces: the same document pasted twice hashes the same. */
export function normalizeSourceText(text: string): string {
  return nfc(text)
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/\s+$/u, ""))
    .join("\n")
    .trim();
}

/** An org's units as dictionary entries, so its own names and aliases win in matching. */
export async function orgUnitDefs(store: Pick<Store, "units">, orgId: string): Promise<UnitDef[]> {
  const [units, aliases] = await Promise.all([store.units.list(orgId), store.units.allAliases(orgId)]);
  return units.map((u) => {
    // A unit of a known kind keeps the dictionary's names too ("Hội CCB", "CCB"…).
    const builtin = u.key ? BUILTIN_UNITS.find((b) => b.key === u.key) : undefined;
    const own = aliases.filter((a) => a.unitId === u.id).map((a) => a.alias);
    return {
      key: u.key ?? `org-${u.id}`,
      name: u.name,
      aliases: [...new Set([...own, ...(builtin ? [builtin.name, ...builtin.aliases] : [])])],
      ...(builtin?.members ? { members: builtin.members } : {}),
    };
  });
}

/** A stored deadline (JSON) back as the domain type; fields missing from older rows are null. */
function asDeadline(stored: ItemDeadline | null): Deadline {
  const d: Record<string, unknown> = stored ?? {};
  const pick = <T>(v: unknown, ok: (v: unknown) => v is T): T | null => (ok(v) ? v : null);
  const isNum = (v: unknown): v is number => typeof v === "number";
  const isStr = (v: unknown): v is string => typeof v === "string";
  return {
    ...NO_DEADLINE,
    kind: (pick(d.kind, isStr) ?? "none") as Deadline["kind"],
    text: pick(d.text, isStr),
    due: pick(d.due, isStr),
    every: pick(d.every, isStr) as Deadline["every"],
    timesPerPeriod: pick(d.timesPerPeriod, isNum),
    weekday: pick(d.weekday, isNum),
    weekOfPeriod: pick(d.weekOfPeriod, isNum),
    dayOfPeriod: pick(d.dayOfPeriod, isNum),
    time: pick(d.time, isStr),
  };
}

function asRotation(stored: ItemRotation | null): Rotation | null {
  if (!stored || typeof stored.teams !== "number") return null;
  return { teams: stored.teams, turn: stored.turn as Rotation["turn"], text: stored.text };
}

/** The header fields of a parse, in the order the JSON output and the store use. */
export function directiveHeader(parsed: ParsedDirective) {
  const { docType, number, issuer, issuedDate, signer, recipients } = parsed;
  return { docType, number, issuer, issuedDate, signer, recipients };
}

function toNewItems(parsed: ParsedDirective): NewItem[] {
  return parsed.items.map((item) => ({
    ref: item.ref,
    parentRef: item.parentRef,
    text: item.text,
    summary: item.summary,
    label: makeItemLabel(item.summary),
    deadline: { ...item.deadline },
    dueDate: item.deadline.due,
    rotation: item.rotation ? { ...item.rotation } : null,
    assignees: item.assignees.map((a) => ({ name: a.name, role: a.role, unitKey: a.unitKey })),
  }));
}

export interface ItemEdit {
  ref?: string;
  text?: string;
  summary?: string;
  /** A deadline phrase as office would type it ("15/7/2020", "hàng tuần"); "" clears it. */
  deadline?: string;
  /** A due day set directly (YYYY-MM-DD); null clears it. */
  dueDate?: string | null;
  assignees?: { name: string; role: "lead" | "support" }[];
}

export interface ActivationResult {
  directive: Directive;
  assignments: number;
  occurrences: number;
  unitsCreated: string[];
}

/** Finds or creates the org's unit for a dictionary key or a name as written. */
async function unitFor(
  store: Pick<Store, "units">,
  orgId: string,
  key: string | null,
  name: string,
  dictionary: UnitDef[],
  created: string[],
): Promise<Unit> {
  if (key) {
    const byKey = await store.units.byKey(orgId, key);
    if (byKey) return byKey;
  }
  const byAlias = await store.units.byAlias(orgId, fold(name));
  if (byAlias) return byAlias;
  const def = key ? dictionary.find((u) => u.key === key) : undefined;
  const unitName = def?.name ?? name;
  const existing = (await store.units.list(orgId)).find((u) => fold(u.name) === fold(unitName));
  if (existing) return existing;
  const aliasSet = new Map<string, string>();
  for (const alias of [unitName, name, ...(def?.aliases ?? [])]) {
    const folded = fold(alias);
    if (folded && !aliasSet.has(folded) && !(await store.units.byAlias(orgId, folded))) {
      aliasSet.set(folded, alias);
    }
  }
  const unit = await store.units.create({
    orgId,
    name: unitName,
    key: key ?? null,
    aliases: [...aliasSet].map(([folded, alias]) => ({ alias, folded })),
  });
  created.push(unit.name);
  return unit;
}

/** The store slices createIntake uses. */
export type IntakeStore = Pick<Store, "audit" | "directives" | "tracking" | "transaction" | "units">;

/**
 * @example
 * const intake = createIntake({ store, clock });
 * const { directive } = await intake.importDirective({ orgId, text, actor: "person:…" });
 * await intake.activate(orgId, directive.id, "person:…");
 */
export function createIntake(deps: { store: IntakeStore; clock: Clock }) {
  const { store, clock } = deps;

  async function parse(orgId: string, text: string): Promise<ParsedDirective> {
    return parseDirective(text, { units: await orgUnitDefs(store, orgId) });
  }

  async function draft(orgId: string, directiveId: string) {
    const found = await store.directives.get(orgId, directiveId);
    if (!found) {
      throw new IntakeError("not_found", "Không tìm thấy văn bản này.", `directive ${directiveId} not found`);
    }
    return found;
  }

  async function editable(orgId: string, directiveId: string) {
    const found = await draft(orgId, directiveId);
    if (found.directive.status !== "draft") {
      throw new IntakeError(
        "not_draft",
        "Văn bản đã được kích hoạt theo dõi; không sửa được danh sách nhiệm vụ nữa.",
        `directive ${directiveId} is ${found.directive.status}, not draft`,
      );
    }
    return found;
  }

  async function resolveEdit(orgId: string, directive: Directive, edit: ItemEdit): Promise<ItemPatch> {
    const patch: ItemPatch = {};
    if (edit.ref !== undefined) {
      if (!edit.ref.trim()) throw new IntakeError("invalid_item", "Số thứ tự nhiệm vụ không được để trống.", "empty ref");
      patch.ref = edit.ref.trim();
    }
    if (edit.text !== undefined) patch.text = edit.text.trim();
    if (edit.summary !== undefined) patch.summary = edit.summary.trim();
    if (edit.deadline !== undefined) {
      const phrase = edit.deadline.trim();
      if (phrase === "") {
        patch.deadline = null;
        patch.dueDate = null;
      } else {
        const resolved: Deadline | null = resolveDeadline(phrase, { documentDate: directive.issuedDate });
        if (!resolved) {
          throw new IntakeError(
            "invalid_item",
            `Không hiểu thời hạn "${phrase}". Hãy ghi như "30/6/2020", "trong tháng 6/2020", "hàng tuần" hoặc "thường xuyên".`,
            `unresolvable deadline phrase: ${phrase}`,
          );
        }
        patch.deadline = { ...resolved };
        patch.dueDate = resolved.due;
      }
    }
    if (edit.dueDate !== undefined) {
      if (edit.dueDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(edit.dueDate)) {
        throw new IntakeError("invalid_item", "Ngày hạn phải có dạng YYYY-MM-DD.", `bad dueDate ${edit.dueDate}`);
      }
      patch.dueDate = edit.dueDate;
      if (edit.deadline === undefined && edit.dueDate !== null) {
        patch.deadline = { kind: "date", text: edit.dueDate, due: edit.dueDate, every: null, timesPerPeriod: null };
      }
    }
    if (edit.assignees !== undefined) {
      const units = await orgUnitDefs(store, orgId);
      patch.assignees = edit.assignees
        .filter((a) => a.name.trim())
        .map((a) => ({
          name: a.name.trim(),
          role: a.role,
          unitKey: resolveUnit(a.name, units)?.key ?? null,
        }));
    }
    return patch;
  }

  /** Group assignees ("các đoàn thể CTXH") become their member units. */
  function expandAssignee(assignee: ItemAssignee, dictionary: UnitDef[]): { key: string | null; name: string }[] {
    if (!assignee.unitKey) return [{ key: null, name: assignee.name }];
    const members = expandGroup(assignee.unitKey, dictionary);
    if (members.length === 0 || (members.length === 1 && members[0] === assignee.unitKey)) {
      return [{ key: assignee.unitKey, name: assignee.name }];
    }
    return members.map((key) => ({ key, name: dictionary.find((u) => u.key === key)?.name ?? key }));
  }

  return {
    /** Parses without saving (CLI `dondoc parse`, the review screen's preview). */
    parse,

    /** Parses and saves a draft. The same text twice into one org returns the first draft. */
    async importDirective(input: { orgId: string; text: string; sourceName?: string | null; actor: string }) {
      const sourceText = normalizeSourceText(input.text);
      if (!sourceText) {
        throw new IntakeError("empty_text", "Văn bản trống: hãy dán nội dung hoặc chọn tệp khác.", "empty directive text");
      }
      assertParsableLength(sourceText);
      const parsed = await parse(input.orgId, sourceText);
      if (parsed.items.length === 0) {
        throw new IntakeError(
          "no_items",
          "Không tìm thấy nhiệm vụ nào trong văn bản. Hãy kiểm tra văn bản có các mục đánh số (1., 2., a), …) hoặc bảng nhiệm vụ.",
          "no items found in the directive",
        );
      }
      // A short name of its own in the org: "TB 05/6", then "TB 05/6 (2)" for a second one.
      const taken = new Set((await store.directives.list(input.orgId)).map((d) => nameKey(directiveName(d))));
      const base = directiveName({ ...directiveHeader(parsed), shortName: null });
      let shortName = base;
      for (let n = 2; taken.has(nameKey(shortName)); n++) shortName = `${base} (${n})`;
      const { directive, created } = await store.transaction(async (tx) => {
        const result = await tx.directives.createDraft({
          orgId: input.orgId,
          sourceText,
          sourceName: input.sourceName ?? null,
          ...directiveHeader(parsed),
          shortName,
          items: toNewItems(parsed),
        });
        if (result.created) {
          await tx.audit.append({
            orgId: input.orgId,
            actor: input.actor,
            action: "directive.imported",
            entity: "directive",
            entityId: result.directive.id,
            data: { items: parsed.items.length, number: parsed.number, sourceName: input.sourceName ?? null },
            at: clock.now(),
          });
        }
        return result;
      });
      const items = (await store.directives.get(input.orgId, directive.id))?.items ?? [];
      return { directive, items, created, warnings: parsed.warnings };
    },

    async getDirective(orgId: string, directiveId: string) {
      return draft(orgId, directiveId);
    },

    async listDirectives(orgId: string) {
      return store.directives.list(orgId);
    },

    async updateItem(orgId: string, directiveId: string, itemId: string, edit: ItemEdit, actor: string): Promise<Item> {
      const { directive, items } = await editable(orgId, directiveId);
      if (!items.some((i) => i.id === itemId)) {
        throw new IntakeError("not_found", "Không tìm thấy nhiệm vụ này trong văn bản.", `item ${itemId} not in ${directiveId}`);
      }
      const patch = await resolveEdit(orgId, directive, edit);
      if (patch.ref && items.some((i) => i.ref === patch.ref && i.id !== itemId)) {
        throw new IntakeError("duplicate_ref", `Đã có nhiệm vụ số ${patch.ref}.`, `duplicate ref ${patch.ref}`);
      }
      const item = await store.directives.updateItem(orgId, itemId, patch);
      await store.audit.append({ orgId, actor, action: "item.edited", entity: "item", entityId: itemId, data: { ...edit }, at: clock.now() });
      return item;
    },

    async addItem(orgId: string, directiveId: string, edit: ItemEdit & { ref: string; text: string }, actor: string) {
      const { directive, items } = await editable(orgId, directiveId);
      const ref = edit.ref.trim();
      if (!ref || !edit.text.trim()) {
        throw new IntakeError("invalid_item", "Nhiệm vụ mới cần có số thứ tự và nội dung.", "new item needs ref and text");
      }
      if (items.some((i) => i.ref === ref)) {
        throw new IntakeError("duplicate_ref", `Đã có nhiệm vụ số ${ref}.`, `duplicate ref ${ref}`);
      }
      const patch = await resolveEdit(orgId, directive, edit);
      const text = edit.text.trim();
      const item = await store.directives.addItem(orgId, directiveId, {
        ...patch,
        ref,
        text,
        summary: patch.summary || text.slice(0, 100),
        label: makeItemLabel(patch.summary || text),
      });
      await store.audit.append({ orgId, actor, action: "item.added", entity: "item", entityId: item.id, data: { ref }, at: clock.now() });
      return item;
    },

    async removeItem(orgId: string, directiveId: string, itemId: string, actor: string): Promise<void> {
      const { items } = await editable(orgId, directiveId);
      if (!items.some((i) => i.id === itemId) || !(await store.directives.removeItem(orgId, itemId))) {
        throw new IntakeError("not_found", "Không tìm thấy nhiệm vụ này trong văn bản.", `item ${itemId} not in ${directiveId}`);
      }
      await store.audit.append({ orgId, actor, action: "item.removed", entity: "item", entityId: itemId, at: clock.now() });
    },

    /**
     * Starts tracking: one assignment per item × unit (groups expanded to their members), the
     * units created from the dictionary when the org does not have them yet, and the coming
     * occurrences of recurring items with the team on duty. A parent whose sub-items carry
     * assignees is tracked through its sub-items. Refuses while any item has no unit.
     */
    async activate(orgId: string, directiveId: string, actor: string): Promise<ActivationResult> {
      const { items } = await editable(orgId, directiveId);
      const tracked = items.filter(
        (item) => !items.some((child) => child.parentRef === item.ref && child.assignees.length > 0),
      );
      const unassigned = tracked.filter((i) => i.assignees.length === 0).map((i) => i.ref);
      if (unassigned.length > 0) {
        throw new IntakeError(
          "unassigned_items",
          `Nhiệm vụ ${unassigned.join(", ")} chưa có đơn vị thực hiện. Hãy thêm đơn vị hoặc bỏ nhiệm vụ đó trước khi kích hoạt.`,
          `items without assignees: ${unassigned.join(", ")}`,
        );
      }
      const now = clock.now();
      const today = localDay(now);
      return store.transaction(async (tx) => {
        const dictionary = mergeUnits(BUILTIN_UNITS, await orgUnitDefs(tx, orgId));
        const unitsCreated: string[] = [];
        let assignments = 0;
        let occurrences = 0;
        for (const item of tracked) {
          // Lead wins when a unit is named both as lead and as support.
          const roles = new Map<string, { unit: Unit; role: "lead" | "support" }>();
          for (const assignee of item.assignees) {
            for (const target of expandAssignee(assignee, dictionary)) {
              const unit = await unitFor(tx, orgId, target.key, target.name, dictionary, unitsCreated);
              const seen = roles.get(unit.id);
              if (!seen || (seen.role === "support" && assignee.role === "lead")) {
                roles.set(unit.id, { unit, role: assignee.role });
              }
            }
          }
          const recurring = item.deadline?.kind === "recurring";
          const plans = recurring
            ? planOccurrences(asDeadline(item.deadline), asRotation(item.rotation), today)
            : [];
          const teams = new Map<number, Unit>();
          for (const plan of plans) {
            if (plan.team !== null && !teams.has(plan.team)) {
              teams.set(plan.team, await unitFor(tx, orgId, null, `Tổ ${plan.team}`, dictionary, unitsCreated));
            }
          }
          for (const { unit, role } of roles.values()) {
            const assignment = await tx.tracking.assign({
              orgId,
              itemId: item.id,
              unitId: unit.id,
              role,
              dueDate: recurring ? null : item.dueDate,
            });
            assignments++;
            for (const plan of plans) {
              await tx.tracking.upsertOccurrence({
                orgId,
                assignmentId: assignment.id,
                periodStart: plan.periodStart,
                periodEnd: plan.periodEnd,
                dueDate: plan.dueDate,
                onDutyUnitId: plan.team !== null ? (teams.get(plan.team)?.id ?? null) : null,
              });
              occurrences++;
            }
          }
        }
        const directive = await tx.directives.setStatus(orgId, directiveId, "active", now);
        await tx.audit.append({
          orgId,
          actor,
          action: "directive.activated",
          entity: "directive",
          entityId: directiveId,
          data: { assignments, occurrences, unitsCreated },
          at: now,
        });
        return { directive, assignments, occurrences, unitsCreated };
      });
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;
