/**
 * The help text lives today: its example dates are ahead of the day it is shown on, never a
 * stale year, and it speaks as the office to "đồng chí", never "bạn" or "mình".
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMANDS, createConversation, helpText, type Conversation, type Store } from "../../../src/app/index.ts";
import type { Person } from "../../../src/domain/entities.ts";
import { isoDay, localDay } from "../../../src/domain/time.ts";
import { createStore } from "../../../src/store/index.ts";
import { FakeClock } from "../../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../../support/databases.ts";

/** Every d/m/yyyy date in the text, as YYYY-MM-DD. */
const datesIn = (text: string) => [...text.matchAll(/(?<![\d/])(\d{1,2})\/(\d{1,2})\/(\d{4})(?![\d/])/g)].map((m) => isoDay(Number(m[3]), Number(m[2]), Number(m[1])));
/** "bạn" to the reader, or "Mình" for the bot itself (a reflexive "của đơn vị mình" is fine). */
const PLAIN_SPEECH = /(?<![\p{L}])(?:[bB]ạn|BẠN|Mình|MÌNH)(?![\p{L}])/u;

describe("help text", () => {
  let test: TestDatabase;
  let store: Store;
  let conversation: Conversation;
  let orgId: string;
  let cadre: Person;
  const clock = new FakeClock("2026-03-11T02:00:00Z"); // Wednesday 11/3/2026, 09:00 local
  let seq = 0;

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    orgId = (await store.orgs.create({ slug: "help", name: "Phường trợ giúp" })).id;
    conversation = createConversation({ store, clock });
    cadre = await store.persons.create({ orgId, fullName: "Trần Văn Bình", roles: ["cadre"] });
    const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: "help-cadre" });
    await store.chats.linkIdentity(orgId, identity.id, cadre.id, clock.now());
  });
  afterAll(async () => {
    await test.drop();
  });

  const ask = async (senderId: string, text: string) =>
    (await conversation.handle({ orgId, channel: "simulator", threadId: senderId, threadKind: "direct", senderId, messageId: `help-${++seq}`, text, sentAt: clock.now() })).map((r) => r.text).join("\n");

  it("gives the extension example a date two weeks after today, and no 2020", () => {
    const text = helpText(cadre, COMMANDS, { today: "2026-03-11" }).join("\n");
    expect(text).toContain("/giahan 6 25/3/2026 lý do");
    expect(text).not.toContain("2020");
    const dates = datesIn(text);
    expect(dates.length).toBeGreaterThan(0);
    for (const day of dates) expect(day > "2026-03-11").toBe(true);
    // Across a month and a year end.
    expect(helpText(cadre, COMMANDS, { today: "2026-12-25" }).join("\n")).toContain("/giahan 6 8/1/2027 ");
  });

  it("answers /trogiup with dates after the clock's today, in the office's voice", async () => {
    for (const at of ["2026-03-11T02:00:00Z", "2031-07-30T09:00:00Z"]) {
      clock.set(at);
      const today = localDay(clock.now());
      const text = await ask("help-cadre", "/trogiup");
      expect(text).toMatch(/^Văn phòng Đảng ủy kính chào đồng chí Trần Văn Bình\. Các lệnh đồng chí có thể dùng:/);
      expect(text).not.toContain("2020");
      const dates = datesIn(text);
      expect(dates.length).toBeGreaterThan(0);
      for (const day of dates) expect(day > today, `${day} after ${today}`).toBe(true);
      expect(text).not.toMatch(PLAIN_SPEECH);
    }
  });

  it("never says bạn or mình, linked or not, and uses the org's own address and office name", async () => {
    for (const person of [null, cadre]) {
      const lines = helpText(person, COMMANDS, { today: "2026-03-11" });
      expect(lines.join("\n")).not.toMatch(PLAIN_SPEECH);
      expect(lines[0]).toMatch(/^Văn phòng Đảng ủy kính chào đồng chí/);
    }
    expect(helpText(null, COMMANDS).join("\n")).toContain("/dangky <mã>");
    const own = helpText(cadre, COMMANDS, { today: "2026-03-11", you: "anh/chị", office: "Văn phòng Đảng ủy phường Tân An" });
    expect(own[0]).toBe("Văn phòng Đảng ủy phường Tân An kính chào anh/chị Trần Văn Bình. Các lệnh anh/chị có thể dùng:");
    // A caller that does not know the day gets an example without a date rather than a stale one.
    expect(helpText(cadre, COMMANDS).join("\n")).toContain("/giahan 6 <ngày mới> lý do");
    expect(await ask("help-stranger", "/trogiup")).not.toMatch(PLAIN_SPEECH);
    const source = readFileSync(new URL("../../../src/app/chat/commands/help.ts", import.meta.url), "utf8");
    expect(source).not.toMatch(/(?<![\p{L}])(?:bạn|mình)(?![\p{L}])/iu);
  });
});
