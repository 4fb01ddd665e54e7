/**
 * `dondoc interpret` (what the bot understands of a message) and `dondoc link-code`
 * (a one-time code for a person to link a chat account).
 */
import { interpret, parseDirective, rankItems, fold } from "../domain/index.ts";
import { localDay } from "../domain/index.ts";
import { createConversation } from "../app/index.ts";
import type { Config } from "../config/index.ts";
import { createStore } from "../store/index.ts";
import { CliError, readText, withStore } from "./intake-cli.ts";
import { systemClock } from "./components.ts";

/** The exact JSON of `dondoc interpret --json`. */
export async function runInterpret(options: { text: string; directive?: string; json?: boolean; today?: string }): Promise<string> {
  const today = options.today ?? localDay(systemClock.now());
  const it = interpret(options.text, { today });
  let item = it.item;
  if (!item && options.directive) {
    const parsed = parseDirective(await readText(options.directive));
    const [best] = rankItems(it.text || options.text, parsed.items);
    if (best && best.score > 0) item = best.ref;
  }
  const out = {
    intent: it.intent,
    item,
    status: it.status,
    percent: it.percent,
    unit: it.unit,
    date: it.date,
    code: it.code,
  };
  if (options.json) return JSON.stringify(out);
  return Object.entries(out)
    .map(([k, v]) => `${k.padEnd(8)} ${v === null ? "—" : String(v)}`)
    .join("\n");
}

export async function runLinkCode(config: Config, options: { person: string; org?: string }): Promise<string> {
  return withStore(config, async ({ database, org }) => {
    const { id: orgId } = await org(options.org);
    const store = createStore(database.db);
    const wanted = fold(options.person);
    const candidates = [
      ...(await store.chats.personsWithRole(orgId, "cadre")),
      ...(await store.chats.personsWithRole(orgId, "leader")),
      ...(await store.chats.personsWithRole(orgId, "office")),
    ].filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i);
    const matches = candidates.filter((p) => p.id === options.person || fold(p.fullName) === wanted);
    const [person] = matches;
    if (!person) throw new CliError(`Không tìm thấy cán bộ "${options.person}".`, `no person "${options.person}"`);
    if (matches.length > 1) {
      throw new CliError(`Có ${matches.length} người tên "${options.person}"; hãy dùng mã (id).`, `${matches.length} people named "${options.person}"; use the id`);
    }
    const conversation = createConversation({ store, clock: systemClock, linkCodeTtlHours: config.LINK_CODE_TTL_HOURS, messengerPage: config.MESSENGER_PAGE_ID ?? null });
    const issued = await conversation.issueLinkCode(orgId, person.id, "cli");
    if (!issued) throw new CliError("Không tạo được mã.", "could not issue a code");
    return [`Mã liên kết cho ${person.fullName}: ${issued.display}`, issued.instructions].join("\n");
  });
}
