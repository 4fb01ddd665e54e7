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
import type { Directive, Item, ItemAssignee, ItemDeadline, ItemRotation, OccurrencePlan, Unit } from "../domain/index.ts";
import { directiveName, makeItemLabel, nameKey, planOccurrences } from "../domain/index.ts";
import { localDay, viDate } from "../domain/index.ts";
import type { Clock, ItemPatch, NewItem, Store } from "./ports/index.ts";

export type IntakeErrorCode =
  | "empty_text"
  | "too_long"
  | "no_items"
  | "not_found"
  | "not_draft"
  | "invalid_item"
  | "unassigned_items"
  | "duplicate_ref"
  | "invalid_name"
  | "duplicate_name"
  | "needs_confirmation";

const HTTP_STATUS: Record<IntakeErrorCode, number> = {
  empty_text: 400,
  too_long: 413,
  no_items: 422,
  not_found: 404,
  not_draft: 409,
  invalid_item: 400,
  unassigned_items: 422,
  duplicate_ref: 409,
  invalid_name: 400,
  duplicate_name: 409,
  needs_confirmation: 409,
};

/** A refusal the office can act on: a stable code, Vietnamese for the user, English for logs. */
export class IntakeError extends Error {
  readonly status: number;
  /** `needs_confirmation`: every warning of the draft, and the kinds still to be confirmed. */
  readonly warnings: readonly ActivationWarning[];
  readonly unconfirmed: readonly ActivationWarningKind[];
  constructor(
    readonly code: IntakeErrorCode,
    readonly messageVi: string,
    message: string,
    details: { warnings?: readonly ActivationWarning[]; unconfirmed?: readonly ActivationWarningKind[] } = {},
  ) {
    super(message);
    this.name = "IntakeError";
    this.status = HTTP_STATUS[code];
    this.warnings = details.warnings ?? [];
    this.unconfirmed = details.unconfirmed ?? [];
  }
}

/** What office must knowingly accept before a draft is activated. */
export const ACTIVATION_WARNING_KINDS = ["past_deadlines", "unreachable_units", "dropped_parents"] as const;
export type ActivationWarningKind = (typeof ACTIVATION_WARNING_KINDS)[number];

/** The kinds in a few Vietnamese words, for lists, checkboxes and the refusal. */
export const ACTIVATION_WARNING_LABEL: Record<ActivationWarningKind, string> = {
  past_deadlines: "có nhiệm vụ đã quá hạn trước ngày kích hoạt",
  unreachable_units: "có đơn vị chưa liên lạc được qua tin nhắn",
  dropped_parents: "có đơn vị của mục lớn không được giao việc",
};

export const isActivationWarningKind = (value: unknown): value is ActivationWarningKind =>
  typeof value === "string" && (ACTIVATION_WARNING_KINDS as readonly string[]).includes(value);

/**
 * One kind of trouble activation would start with, in one Vietnamese line (`message`).
 * - `past_deadlines`: tracked items due before today (`items`, each with its due day and units);
 * - `unreachable_units`: units to be reminded with no bound Zalo group and no cadre with a linked
 *   chat account (`units`; `id` null for a unit activation will create);
 * - `dropped_parents`: parent items tracked through their sub-items, with the units of the parent
 *   that no sub-item names (`items[].units`, `items[].children`).
 */
export interface ActivationWarning {
  kind: ActivationWarningKind;
  items: { id: string; ref: string; dueDate: string | null; units: string[]; children: string[] }[];
  units: { id: string | null; name: string; isNew: boolean }[];
  message: string;
}

/** Who activation will remind: units in reminders (assigned units, or the team on duty). */
export interface ActivationReach {
  units: number;
  reachable: number;
  unreachable: number;
  unreachableUnits: string[];
}

export interface ActivateOptions {
  /** The warning kinds office has seen and accepts; "all" for tools that accept everything. */
  confirm?: readonly ActivationWarningKind[] | "all";
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
  /** How many of the units to be reminded can be reached by chat. */
  reach: ActivationReach;
  /** The warnings office confirmed. */
  warnings: ActivationWarning[];
  /** One Vietnamese line saying what was started and who will be reminded. */
  message: string;
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

/** A unit as activation will use it: found in the org, or (id null) to be created. */
interface UnitRef {
  id: string | null;
  name: string;
}

const unitRefKey = (u: UnitRef) => u.id ?? `new:${fold(u.name)}`;

/**
 * `unitFor` without writing: the org's unit activation would pick, or the one it would create
 * (remembered in `pending`, so a name met twice is one new unit, as in activation).
 */
async function peekUnit(
  store: Pick<Store, "units">,
  orgId: string,
  key: string | null,
  name: string,
  dictionary: UnitDef[],
  known: Unit[],
  pending: Map<string, UnitRef>,
): Promise<UnitRef> {
  if (key) {
    const byKey = (await store.units.byKey(orgId, key)) ?? pending.get(`key:${key}`);
    if (byKey) return byKey;
  }
  const byAlias = (await store.units.byAlias(orgId, fold(name))) ?? pending.get(`alias:${fold(name)}`);
  if (byAlias) return byAlias;
  const def = key ? dictionary.find((u) => u.key === key) : undefined;
  const unitName = def?.name ?? name;
  const existing = known.find((u) => fold(u.name) === fold(unitName)) ?? pending.get(`alias:${fold(unitName)}`);
  if (existing) return existing;
  const unit: UnitRef = { id: null, name: unitName };
  if (key) pending.set(`key:${key}`, unit);
  for (const alias of [unitName, name, ...(def?.aliases ?? [])]) {
    const folded = fold(alias);
    if (folded && !pending.has(`alias:${folded}`)) pending.set(`alias:${folded}`, unit);
  }
  return unit;
}

/** The items activation tracks: a parent whose sub-items carry assignees is tracked through them. */
function trackedItems(items: Item[]): Item[] {
  return items.filter((item) => !items.some((child) => child.parentRef === item.ref && child.assignees.length > 0));
}

/** What activation does with one item: its units by role, its coming occurrences and teams on duty. */
interface ItemLayout<U extends UnitRef> {
  item: Item;
  roles: Map<string, { unit: U; role: "lead" | "support" }>;
  plans: OccurrencePlan[];
  teams: Map<number, U>;
  /** Whom reminders for this item go to: the team on duty of an occurrence, else the assigned units. */
  reminded: U[];
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

/** The units of an item's assignees, lead winning when a unit is named both as lead and as support. */
async function rolesOf<U extends UnitRef>(
  item: Item,
  dictionary: UnitDef[],
  resolve: (key: string | null, name: string) => Promise<U>,
): Promise<Map<string, { unit: U; role: "lead" | "support" }>> {
  const roles = new Map<string, { unit: U; role: "lead" | "support" }>();
  for (const assignee of item.assignees) {
    for (const target of expandAssignee(assignee, dictionary)) {
      const unit = await resolve(target.key, target.name);
      const seen = roles.get(unitRefKey(unit));
      if (!seen || (seen.role === "support" && assignee.role === "lead")) {
        roles.set(unitRefKey(unit), { unit, role: assignee.role });
      }
    }
  }
  return roles;
}

async function layoutItem<U extends UnitRef>(
  item: Item,
  dictionary: UnitDef[],
  today: string,
  resolve: (key: string | null, name: string) => Promise<U>,
): Promise<ItemLayout<U>> {
  const roles = await rolesOf(item, dictionary, resolve);
  const plans = item.deadline?.kind === "recurring" ? planOccurrences(asDeadline(item.deadline), asRotation(item.rotation), today) : [];
  const teams = new Map<number, U>();
  for (const plan of plans) {
    if (plan.team !== null && !teams.has(plan.team)) teams.set(plan.team, await resolve(null, `Tổ ${plan.team}`));
  }
  const assigned = [...roles.values()].map((r) => r.unit);
  const reminded = plans.length > 0 && plans.every((p) => p.team !== null) ? [...teams.values()] : [...assigned, ...teams.values()];
  return { item, roles, plans, teams, reminded };
}

/** Units that reminders reach: bound to a Zalo group, or with a cadre whose chat account is linked. */
async function reachableUnitIds(store: Pick<Store, "chats">, orgId: string): Promise<Set<string>> {
  const [cadres, groups] = await Promise.all([store.chats.reachableByUnit(orgId, "cadre"), store.chats.boundGroups(orgId)]);
  return new Set([...cadres.map((c) => c.unitId), ...groups.flatMap((g) => (g.unitId ? [g.unitId] : []))]);
}

/** The distinct units reminded, and those of them nobody can be reached in. */
function reachOf(reminded: Iterable<UnitRef>, reachable: Set<string>): { reach: ActivationReach; unreachable: UnitRef[] } {
  const units = new Map<string, UnitRef>();
  for (const unit of reminded) units.set(unitRefKey(unit), unit);
  const unreachable = [...units.values()].filter((u) => !(u.id && reachable.has(u.id)));
  return {
    reach: { units: units.size, reachable: units.size - unreachable.length, unreachable: unreachable.length, unreachableUnits: unreachable.map((u) => u.name) },
    unreachable,
  };
}

/** "6.1, 6.2 và 7" */
const andList = (parts: string[]) => (parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} và ${parts[parts.length - 1]}`);

/**
 * The warnings of a draft as of `today` (the ward's local day), in a fixed order of kinds.
 * Reads only: units that activation would create are reported with `isNew`.
 */
async function draftWarnings(
  store: Pick<Store, "units" | "chats">,
  orgId: string,
  items: Item[],
  today: string,
): Promise<{ warnings: ActivationWarning[]; reach: ActivationReach }> {
  const dictionary = mergeUnits(BUILTIN_UNITS, await orgUnitDefs(store, orgId));
  const known = await store.units.list(orgId);
  const pending = new Map<string, UnitRef>();
  const resolve = (key: string | null, name: string) => peekUnit(store, orgId, key, name, dictionary, known, pending);
  const tracked = trackedItems(items);
  const layouts: ItemLayout<UnitRef>[] = [];
  for (const item of tracked) layouts.push(await layoutItem(item, dictionary, today, resolve));
  const warnings: ActivationWarning[] = [];

  // Recurring items are due per occurrence (planned from today on), never on the item's day.
  const past = layouts.filter(({ item }) => item.deadline?.kind !== "recurring" && item.dueDate !== null && item.dueDate < today);
  if (past.length > 0) {
    warnings.push({
      kind: "past_deadlines",
      items: past.map(({ item, roles }) => ({ id: item.id, ref: item.ref, dueDate: item.dueDate, units: [...roles.values()].map((r) => r.unit.name), children: [] })),
      units: [],
      message: `${past.length} nhiệm vụ đã quá hạn trước ngày kích hoạt (hôm nay ${viDate(today)}): ${past
        .map(({ item }) => `nhiệm vụ ${item.ref} (hạn ${viDate(item.dueDate ?? today)})`)
        .join(", ")}. Khi kích hoạt, các đơn vị được giao sẽ bị tính quá hạn ngay và nhận tin nhắc quá hạn; nếu cần, đồng chí sửa ngày hạn trước khi kích hoạt.`,
    });
  }

  const { reach, unreachable } = reachOf(layouts.flatMap((l) => l.reminded), await reachableUnitIds(store, orgId));
  if (unreachable.length > 0) {
    const units = unreachable.map((u) => ({ id: u.id, name: u.name, isNew: u.id === null }));
    const fresh = units.filter((u) => u.isNew).map((u) => u.name);
    warnings.push({
      kind: "unreachable_units",
      items: [],
      units,
      message: `${units.length}/${reach.units} đơn vị chưa liên lạc được qua tin nhắn: ${units.map((u) => u.name).join(", ")}.${
        fresh.length === 0
          ? ""
          : fresh.length === units.length
            ? " Các đơn vị này chưa có trong danh sách đơn vị, sẽ được tạo khi kích hoạt."
            : ` Đơn vị chưa có trong danh sách, sẽ được tạo khi kích hoạt: ${fresh.join(", ")}.`
      } Chưa có cán bộ nào của các đơn vị này liên kết tài khoản Zalo/Messenger, cũng chưa gắn nhóm Zalo, nên các đơn vị này sẽ không nhận được tin nhắc hạn cho đến khi được liên kết.`,
    });
  }

  const dropped: ActivationWarning["items"] = [];
  for (const parent of items) {
    if (parent.assignees.length === 0 || tracked.includes(parent)) continue;
    const descendants: Item[] = [];
    for (let frontier = [parent.ref]; frontier.length > 0; ) {
      const next = items.filter((i) => i.parentRef !== null && frontier.includes(i.parentRef) && !descendants.includes(i));
      descendants.push(...next);
      frontier = next.map((i) => i.ref);
    }
    const covered = new Set<string>();
    for (const child of descendants) for (const key of (await rolesOf(child, dictionary, resolve)).keys()) covered.add(key);
    const lost = [...(await rolesOf(parent, dictionary, resolve)).entries()].filter(([key]) => !covered.has(key)).map(([, r]) => r.unit.name);
    if (lost.length > 0) {
      dropped.push({ id: parent.id, ref: parent.ref, dueDate: parent.dueDate, units: lost, children: descendants.filter((c) => c.assignees.length > 0).map((c) => c.ref) });
    }
  }
  if (dropped.length > 0) {
    warnings.push({
      kind: "dropped_parents",
      items: dropped,
      units: [],
      message: `${dropped
        .map((d) => `Mục ${d.ref} được theo dõi qua các mục con ${andList(d.children)}, nên ${andList(d.units)} (giao ở mục ${d.ref}) sẽ không được giao việc`)
        .join("; ")}. Nếu cần, đồng chí thêm đơn vị đó vào mục con trước khi kích hoạt.`,
    });
  }
  return { warnings, reach };
}

/** "Đã bắt đầu theo dõi…": what activation did and, truthfully, who will be reminded. */
export function activationMessage(result: Pick<ActivationResult, "assignments" | "reach" | "unitsCreated">): string {
  const { reach } = result;
  const created = result.unitsCreated.length > 0 ? ` Đã tạo ${result.unitsCreated.length} đơn vị mới: ${result.unitsCreated.join(", ")}.` : "";
  const who =
    reach.units === 0
      ? "Không có đơn vị nào cần nhắc hạn."
      : reach.unreachable === 0
        ? reach.units === 1
          ? "Đơn vị được giao việc sẽ được nhắc hạn qua tin nhắn."
          : `Cả ${reach.units} đơn vị sẽ được nhắc hạn qua tin nhắn.`
        : `${reach.reachable}/${reach.units} đơn vị sẽ được nhắc hạn qua tin nhắn; ${reach.unreachable} đơn vị chưa liên lạc được (${reach.unreachableUnits.join(", ")}) sẽ chưa nhận được tin nhắc cho đến khi có cán bộ liên kết tài khoản hoặc gắn nhóm Zalo.`;
  return `Đã bắt đầu theo dõi: ${result.assignments} lượt giao việc.${created} ${who}`;
}

/** The store slices createIntake uses. */
export type IntakeStore = Pick<Store, "audit" | "chats" | "directives" | "tracking" | "transaction" | "units">;

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

    /**
     * Names, in any status: the directive's short name (unique in the org, as chat selects it)
     * and items' labels (what one-line lists show). The office's words win over the made ones.
     */
    async rename(orgId: string, directiveId: string, names: { shortName?: string; labels?: Record<string, string> }, actor: string): Promise<{ directive: Directive; items: Item[] }> {
      const found = await store.directives.get(orgId, directiveId);
      if (!found) throw new IntakeError("not_found", "Không tìm thấy văn bản này.", `directive ${directiveId} not found`);
      if (names.shortName !== undefined) {
        const shortName = names.shortName.replace(/\s+/g, " ").trim();
        if (!/[\p{L}\p{N}]/u.test(shortName) || shortName.length > 30) {
          throw new IntakeError("invalid_name", "Tên ngắn của văn bản cần có chữ hoặc số, tối đa 30 ký tự (ví dụ: TB 05/6, KH 12).", "bad short name");
        }
        const clash = (await store.directives.list(orgId)).find((d) => d.id !== directiveId && nameKey(directiveName(d)) === nameKey(shortName));
        if (clash) throw new IntakeError("duplicate_name", `Tên "${shortName}" đã dùng cho văn bản khác.`, "short name taken");
        await store.directives.setShortName(orgId, directiveId, shortName);
      }
      for (const [itemId, raw] of Object.entries(names.labels ?? {})) {
        const label = raw.replace(/\s+/g, " ").trim();
        if (!found.items.some((i) => i.id === itemId)) throw new IntakeError("not_found", "Không tìm thấy nhiệm vụ này trong văn bản.", `item ${itemId} not in ${directiveId}`);
        if (!label || label.length > 80) throw new IntakeError("invalid_name", "Nhãn nhiệm vụ cần có nội dung, tối đa 80 ký tự.", "bad label");
        await store.directives.updateItem(orgId, itemId, { label });
      }
      await store.audit.append({ orgId, actor, action: "directive.renamed", entity: "directive", entityId: directiveId, data: names, at: clock.now() });
      const after = await store.directives.get(orgId, directiveId);
      return { directive: after!.directive, items: after!.items };
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
     * What office must confirm before activating the draft (empty for a directive already
     * tracked): deadlines already past, units nobody can be reached in, units of a parent item
     * dropped because its sub-items carry their own assignees. As of the clock's local day.
     */
    async activationWarnings(orgId: string, directiveId: string): Promise<ActivationWarning[]> {
      const { directive, items } = await draft(orgId, directiveId);
      if (directive.status !== "draft") return [];
      return (await draftWarnings(store, orgId, items, localDay(clock.now()))).warnings;
    },

    /**
     * Starts tracking: one assignment per item × unit (groups expanded to their members), the
     * units created from the dictionary when the org does not have them yet, and the coming
     * occurrences of recurring items with the team on duty. A parent whose sub-items carry
     * assignees is tracked through its sub-items. Refuses while any item has no unit, and while
     * a warning (see `activationWarnings`) is present that `options.confirm` does not accept.
     */
    async activate(orgId: string, directiveId: string, actor: string, options: ActivateOptions = {}): Promise<ActivationResult> {
      const { items } = await editable(orgId, directiveId);
      const tracked = trackedItems(items);
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
      const { warnings } = await draftWarnings(store, orgId, items, today);
      const confirm = options.confirm ?? [];
      const unconfirmed = warnings.filter((w) => confirm !== "all" && !confirm.includes(w.kind)).map((w) => w.kind);
      if (unconfirmed.length > 0) {
        throw new IntakeError(
          "needs_confirmation",
          `Chưa kích hoạt: đồng chí cần xác nhận đã biết ${andList(unconfirmed.map((k) => ACTIVATION_WARNING_LABEL[k]))}. ${warnings
            .filter((w) => unconfirmed.includes(w.kind))
            .map((w) => w.message)
            .join(" ")}`,
          `activation needs confirmation of: ${unconfirmed.join(", ")}`,
          { warnings, unconfirmed },
        );
      }
      return store.transaction(async (tx) => {
        const dictionary = mergeUnits(BUILTIN_UNITS, await orgUnitDefs(tx, orgId));
        const unitsCreated: string[] = [];
        const resolve = (key: string | null, name: string) => unitFor(tx, orgId, key, name, dictionary, unitsCreated);
        let assignments = 0;
        let occurrences = 0;
        const reminded: Unit[] = [];
        for (const item of tracked) {
          const { roles, plans, teams, reminded: itemReminded } = await layoutItem(item, dictionary, today, resolve);
          reminded.push(...itemReminded);
          const recurring = item.deadline?.kind === "recurring";
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
        const { reach } = reachOf(reminded, await reachableUnitIds(tx, orgId));
        const directive = await tx.directives.setStatus(orgId, directiveId, "active", now);
        await tx.audit.append({
          orgId,
          actor,
          action: "directive.activated",
          entity: "directive",
          entityId: directiveId,
          data: { assignments, occurrences, unitsCreated, reach: { ...reach }, confirmed: warnings.map((w) => w.kind) },
          at: now,
        });
        const message = activationMessage({ assignments, reach, unitsCreated });
        return { directive, assignments, occurrences, unitsCreated, reach, warnings, message };
      });
    },
  };
}

export type Intake = ReturnType<typeof createIntake>;
