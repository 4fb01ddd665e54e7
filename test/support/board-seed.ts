/**
 * The seed directive, imported and activated, with a handful of chat reports on a FakeClock:
 * one board cell of every class on 03/07/2020 (the status board and export tests share it).
 */
import { readFileSync } from "node:fs";
import { createConversation, createIntake } from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "./databases.ts";

export const SEED = readFileSync(new URL("../fixtures/directives/20-seed-thong-bao-ket-luan-2020-06-05.md", import.meta.url), "utf8");

export const CCB = "Hội Cựu chiến binh";
export const DOAN = "Đoàn TNCS Hồ Chí Minh";
export const LHPN = "Hội Liên hiệp Phụ nữ";
/** The day the board is read: 6.1 and 6.2 were due 30/06/2020. */
export const TODAY_UTC = "2020-07-03T01:00:00Z";

export interface BoardSeed {
  test: TestDatabase;
  store: Store;
  clock: FakeClock;
  orgId: string;
  directiveId: string;
  unitId: (name: string) => string;
}

export async function seedBoard(slug: string): Promise<BoardSeed> {
  const test = await createMigratedDatabase("pglite");
  const store = createStore(test.database.db);
  const clock = new FakeClock("2020-06-06T01:00:00Z");
  const orgId = (await store.orgs.create({ slug, name: "Đảng ủy phường 7" })).id;
  const intake = createIntake({ store, clock });
  const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
  await intake.activate(orgId, directive.id, "test", { confirm: "all" });
  const units = await store.units.list(orgId);
  const unitId = (name: string) => {
    const unit = units.find((u) => u.name === name);
    if (!unit) throw new Error(`no unit ${name}: ${units.map((u) => u.name).join(", ")}`);
    return unit.id;
  };

  const conversation = createConversation({ store, clock });
  async function cadre(fullName: string, unit: string, externalId: string) {
    const person = await store.persons.create({ orgId, fullName, roles: ["cadre"] });
    await store.persons.addMembership({ orgId, personId: person.id, unitId: unitId(unit) });
    const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId });
    await store.chats.linkIdentity(orgId, identity.id, person.id, clock.now());
  }
  let n = 0;
  /** A chat message from that account at that moment (sentAt defaults to the clock's now). */
  async function say(externalId: string, at: string, text: string, sentAt?: string) {
    clock.set(at);
    n += 1;
    await conversation.handle({ orgId, channel: "simulator", threadId: externalId, threadKind: "direct", senderId: externalId, messageId: `m${n}`, text, sentAt: new Date(sentAt ?? at) });
  }
  await cadre("Trần Văn An", CCB, "ccb");
  await cadre("Lê Thị Bình", DOAN, "doan");
  await cadre("Phạm Thị Cúc", LHPN, "lhpn");

  await say("ccb", "2020-06-20T02:00:00Z", "bc 1 đang làm 50%");
  await say("ccb", "2020-06-22T02:00:00Z", "bc 1 đang làm 80% đã triển khai ở 5 tổ");
  // Arrives late, written before the 80% report: kept in history, not the last word.
  await say("ccb", "2020-06-23T02:00:00Z", "bc 1 đang làm 60%", "2020-06-21T02:00:00Z");
  await say("ccb", "2020-06-24T02:00:00Z", "bc 3 vướng kinh phí, đề nghị UBND hỗ trợ");
  await say("ccb", "2020-06-26T02:00:00Z", "bc 3 vướng kinh phí, đề nghị UBND hỗ trợ");
  await say("ccb", "2020-06-27T02:00:00Z", "bc 4.1 đang làm, kiến nghị UBND thị xã sớm giải quyết chế độ");
  await say("ccb", "2020-06-28T02:00:00Z", "bc 7 dang lam, de nghi bo sung kinh phi");
  await say("ccb", "2020-07-02T02:00:00Z", "bc 6.2 xong");
  await say("doan", "2020-06-25T02:00:00Z", "bc 6.1 xong");
  await say("doan", "2020-06-28T03:00:00Z", "bc 6.2 vướng thiếu số liệu hội viên");
  await say("lhpn", "2020-06-29T02:00:00Z", "bc 6.2 đang làm 40%");
  clock.set(TODAY_UTC);
  return { test, store, clock, orgId, directiveId: directive.id, unitId };
}

/** Imports and activates the seed (as of 06/06/2020) in an org; returns the directive id. */
export async function activateSeed(store: Store, orgId: string): Promise<string> {
  const intake = createIntake({ store, clock: new FakeClock("2020-06-06T01:00:00Z") });
  const { directive } = await intake.importDirective({ orgId, text: SEED, actor: "test" });
  await intake.activate(orgId, directive.id, "test", { confirm: "all" });
  return directive.id;
}

/** A cadre of a unit (by name) with a linked simulator account. */
export async function linkedCadre(store: Store, orgId: string, input: { unit: string; fullName: string; externalId: string; at: Date }) {
  const unit = (await store.units.list(orgId)).find((u) => u.name === input.unit);
  if (!unit) throw new Error(`no unit ${input.unit}`);
  const person = await store.persons.create({ orgId, fullName: input.fullName, roles: ["cadre"] });
  await store.persons.addMembership({ orgId, personId: person.id, unitId: unit.id });
  const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId: input.externalId });
  await store.chats.linkIdentity(orgId, identity.id, person.id, input.at);
  return { personId: person.id, identityId: identity.id, unitId: unit.id };
}
