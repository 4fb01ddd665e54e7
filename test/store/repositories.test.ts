import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localDay } from "../../src/domain/index.ts";
import type { Store } from "../../src/app/index.ts";
import { createStore } from "../../src/store/index.ts";
import { createMigratedDatabase, DRIVERS, type TestDatabase } from "../support/databases.ts";

const at = (iso: string) => new Date(iso);

/** One suite, both drivers: the same repositories must behave the same on each. */
describe.each(DRIVERS)("repositories on %s", (driver) => {
  let test: TestDatabase;
  let store: Store;

  beforeAll(async () => {
    test = await createMigratedDatabase(driver);
    store = createStore(test.database.db);
  });
  afterAll(async () => {
    await test.drop();
  });

  async function newOrg(slug = `org-${randomUUID().slice(0, 8)}`) {
    return store.orgs.create({ slug, name: `Đảng ủy ${slug}` });
  }

  it("round-trips orgs, and ensure() creates once", async () => {
    const first = await store.orgs.ensure({ slug: "phuong-7", name: "Đảng ủy phường 7" });
    const second = await store.orgs.ensure({ slug: "phuong-7", name: "other name" });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.org.id).toBe(first.org.id);
    expect(second.org.name).toBe("Đảng ủy phường 7");
    expect(first.org.timezone).toBe("Asia/Ho_Chi_Minh");
    expect(await store.orgs.bySlug("phuong-7")).toEqual(first.org);
    expect(await store.orgs.bySlug("missing")).toBeNull();
  });

  it("round-trips units with aliases and a parent group, scoped by org", async () => {
    const org = await newOrg();
    const other = await newOrg();
    const group = await store.units.create({ orgId: org.id, name: "Các đoàn thể CTXH", key: "doan-the" });
    const ccb = await store.units.create({
      orgId: org.id,
      name: "Hội Cựu chiến binh",
      key: "hoi-ccb",
      parentId: group.id,
      aliases: [
        { alias: "Hội CCB", folded: "hoi ccb" },
        { alias: "CCB", folded: "ccb" },
      ],
    });
    expect(ccb.parentId).toBe(group.id);
    expect(await store.units.aliases(org.id, ccb.id)).toEqual(["CCB", "Hội CCB"]);
    expect((await store.units.byAlias(org.id, "hoi ccb"))?.id).toBe(ccb.id);
    expect(await store.units.byAlias(other.id, "hoi ccb")).toBeNull();
    expect((await store.units.list(org.id)).map((u) => u.name)).toEqual([
      "Các đoàn thể CTXH",
      "Hội Cựu chiến binh",
    ]);
    // The same folded alias twice in one org is refused: a lookup must have one answer.
    await expect(
      store.units.create({ orgId: org.id, name: "Khác", aliases: [{ alias: "ccb", folded: "ccb" }] }),
    ).rejects.toThrow();
    expect((await store.units.list(org.id)).map((u) => u.name)).not.toContain("Khác");
  });

  it("round-trips persons with roles and memberships", async () => {
    const org = await newOrg();
    const unit = await store.units.create({ orgId: org.id, name: "Đoàn TNCS Hồ Chí Minh" });
    const person = await store.persons.create({
      orgId: org.id,
      fullName: "Nguyễn Thị Hoa",
      phone: "0912345678",
      roles: ["cadre", "leader"],
    });
    expect(await store.persons.get(org.id, person.id)).toEqual(person);
    expect(person.roles).toEqual(["cadre", "leader"]);
    await store.persons.addMembership({ orgId: org.id, personId: person.id, unitId: unit.id, role: "head", title: "Bí thư Đoàn phường" });
    const again = await store.persons.addMembership({ orgId: org.id, personId: person.id, unitId: unit.id, role: "deputy" });
    expect(again.role).toBe("deputy");
    const memberships = await store.persons.memberships(org.id, person.id);
    expect(memberships).toHaveLength(1);
    expect(memberships[0]).toMatchObject({ unitId: unit.id, role: "deputy" });
    expect(await store.persons.get((await newOrg()).id, person.id)).toBeNull();
  });

  it("round-trips identities and threads, linking and binding", async () => {
    const org = await newOrg();
    const unit = await store.units.create({ orgId: org.id, name: "Hội LHPN" });
    const person = await store.persons.create({ orgId: org.id, fullName: "Lê Văn Bình", roles: ["cadre"] });
    const identity = await store.chats.upsertIdentity({ orgId: org.id, channel: "zalo", externalId: "84123", displayName: "Bình" });
    const same = await store.chats.upsertIdentity({ orgId: org.id, channel: "zalo", externalId: "84123" });
    expect(same.id).toBe(identity.id);
    expect(same.displayName).toBe("Bình");
    const linked = await store.chats.linkIdentity(org.id, identity.id, person.id, at("2020-06-10T02:00:00Z"));
    expect(linked.personId).toBe(person.id);
    expect(linked.linkedAt?.toISOString()).toBe("2020-06-10T02:00:00.000Z");
    expect(await store.chats.identity(org.id, "zalo", "84123")).toEqual(linked);
    expect(await store.chats.identity(org.id, "messenger", "84123")).toBeNull();

    const thread = await store.chats.upsertThread({ orgId: org.id, channel: "zalo", externalId: "g-1", kind: "group", title: "Nhóm Hội LHPN" });
    const bound = await store.chats.bindThread(org.id, thread.id, unit.id);
    expect(bound.unitId).toBe(unit.id);
    expect(await store.chats.thread(org.id, "zalo", "g-1")).toEqual(bound);
  });

  it("round-trips directives and items; the same text imports once", async () => {
    const org = await newOrg();
    const draft = {
      orgId: org.id,
      sourceText: "1. Việc một.\n2. Việc hai.",
      docType: "Thông báo kết luận",
      number: "123-TB/ĐU",
      issuer: "Ban Thường vụ Đảng ủy",
      issuedDate: "2020-06-05",
      signer: "Nguyễn Tiến Giang",
      recipients: ["BTV Thị ủy", "Lưu VP"],
      items: [
        { ref: "1", text: "Việc một.", summary: "Việc một", deadline: { kind: "half-year", text: "6 tháng cuối năm 2020", due: "2020-12-31", every: null, timesPerPeriod: null }, dueDate: "2020-12-31" },
        { ref: "2", text: "Việc hai.", summary: "Việc hai", rotation: { teams: 2, turn: "week", text: "02 tổ luân phiên" } },
        { ref: "2.1", parentRef: "2", text: "Việc con.", summary: "Việc con" },
      ],
    };
    const first = await store.directives.createDraft(draft);
    const second = await store.directives.createDraft({ ...draft, items: [] });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.directive.id).toBe(first.directive.id);

    const loaded = await store.directives.get(org.id, first.directive.id);
    expect(loaded?.directive).toMatchObject({ status: "draft", issuedDate: "2020-06-05", recipients: ["BTV Thị ủy", "Lưu VP"], signer: "Nguyễn Tiến Giang" });
    expect(loaded?.items.map((i) => [i.ref, i.position, i.parentRef])).toEqual([
      ["1", 0, null],
      ["2", 1, null],
      ["2.1", 2, "2"],
    ]);
    expect(loaded?.items[0]?.deadline).toEqual(draft.items[0]?.deadline);
    expect(loaded?.items[0]?.dueDate).toBe("2020-12-31");
    expect(loaded?.items[1]?.rotation).toEqual({ teams: 2, turn: "week", text: "02 tổ luân phiên" });

    const active = await store.directives.setStatus(org.id, first.directive.id, "active", at("2020-06-06T01:00:00Z"));
    expect(active.status).toBe("active");
    expect(active.activatedAt?.toISOString()).toBe("2020-06-06T01:00:00.000Z");
    // Another org importing the same text gets its own draft.
    const elsewhere = await store.directives.createDraft({ ...draft, orgId: (await newOrg()).id, items: [] });
    expect(elsewhere.created).toBe(true);
  });

  it("edits draft items: update, add at the end, remove", async () => {
    const org = await newOrg();
    const { directive } = await store.directives.createDraft({
      orgId: org.id,
      sourceText: "1. Một.\n2. Hai.",
      items: [
        { ref: "1", text: "Một.", summary: "Một", assignees: [{ name: "Hội CCB", role: "lead", unitKey: "hoi-ccb" }] },
        { ref: "2", text: "Hai.", summary: "Hai" },
      ],
    });
    const [one, two] = (await store.directives.get(org.id, directive.id))?.items ?? [];
    expect(one?.assignees).toEqual([{ name: "Hội CCB", role: "lead", unitKey: "hoi-ccb" }]);
    expect(two?.assignees).toEqual([]);
    const updated = await store.directives.updateItem(org.id, one?.id ?? "", {
      dueDate: "2020-07-15",
      deadline: { kind: "date", text: "15/7/2020", due: "2020-07-15", every: null, timesPerPeriod: null },
      assignees: [{ name: "Đoàn phường", role: "support", unitKey: null }],
    });
    expect(updated).toMatchObject({ ref: "1", dueDate: "2020-07-15", assignees: [{ name: "Đoàn phường", role: "support", unitKey: null }] });
    const added = await store.directives.addItem(org.id, directive.id, { ref: "3", text: "Ba.", summary: "Ba" });
    expect(added.position).toBe(2);
    expect(await store.directives.removeItem(org.id, two?.id ?? "")).toBe(true);
    expect(await store.directives.removeItem(org.id, two?.id ?? "")).toBe(false);
    expect((await store.directives.get(org.id, directive.id))?.items.map((i) => i.ref)).toEqual(["1", "3"]);
    expect((await store.directives.list(org.id)).map((d) => d.id)).toEqual([directive.id]);
    // Another org cannot touch it.
    expect(await store.directives.item((await newOrg()).id, one?.id ?? "")).toBeNull();
  });

  it("issues access tokens that resolve to their person and org, stored only as a hash", async () => {
    const org = await newOrg();
    const person = await store.persons.create({ orgId: org.id, fullName: "Cán bộ văn phòng", roles: ["office"] });
    const { token } = await store.access.createToken({ orgId: org.id, personId: person.id, label: "test" });
    expect(token.length).toBeGreaterThanOrEqual(40);
    const who = await store.access.byToken(token);
    expect(who?.person.id).toBe(person.id);
    expect(who?.org.id).toBe(org.id);
    expect(await store.access.byToken(`${token}x`)).toBeNull();
    const raw: unknown = await test.database.db.execute(sql`select token_hash from api_tokens where person_id = ${person.id}`);
    expect(JSON.stringify(raw)).not.toContain(token);
  });

  it("rolls a transaction back as a whole", async () => {
    const org = await newOrg();
    await expect(
      store.transaction(async (tx) => {
        await tx.units.create({ orgId: org.id, name: "Tạm" });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await store.units.list(org.id)).toEqual([]);
    const unit = await store.transaction((tx) => tx.units.create({ orgId: org.id, name: "Giữ" }));
    expect((await store.units.list(org.id)).map((u) => u.id)).toEqual([unit.id]);
  });

  async function assignedItem() {
    const org = await newOrg();
    const unit = await store.units.create({ orgId: org.id, name: "Đoàn TNCS" });
    const team = await store.units.create({ orgId: org.id, name: "Tổ 1" });
    const person = await store.persons.create({ orgId: org.id, fullName: "Phạm Văn Cường", roles: ["cadre"] });
    const { directive } = await store.directives.createDraft({
      orgId: org.id,
      sourceText: `6. Kiện toàn nhân sự. ${randomUUID()}`,
      items: [{ ref: "6", text: "Kiện toàn nhân sự.", summary: "Kiện toàn nhân sự", dueDate: "2020-06-30", assignees: [{ name: "Đoàn TNCS", role: "lead" as const, unitKey: "doan-tncs" }] }],
    });
    const item = (await store.directives.get(org.id, directive.id))?.items[0];
    if (!item) throw new Error("no item");
    const assignment = await store.tracking.assign({ orgId: org.id, itemId: item.id, unitId: unit.id, role: "lead", dueDate: "2020-06-30" });
    await store.persons.addMembership({ orgId: org.id, personId: person.id, unitId: unit.id });
    return { org, unit, team, person, item, assignment };
  }

  it("round-trips assignments, reports and extensions; a report moves the status", async () => {
    const { org, person, item, assignment } = await assignedItem();
    expect(assignment).toMatchObject({ status: "not_reported", role: "lead", dueDate: "2020-06-30", percent: null });
    expect(await store.tracking.assignmentsOfItem(org.id, item.id)).toEqual([assignment]);

    const message = await store.inbound.record({ orgId: org.id, channel: "simulator", externalMessageId: "m-80", text: "bc 6 đang làm 80%", sentAt: at("2020-06-20T03:00:00Z") });
    const progress = await store.tracking.recordReport({ orgId: org.id, assignmentId: assignment.id, personId: person.id, inboundMessageId: message.message.id, status: "in_progress", percent: 80, text: "đang làm 80%", reportedAt: at("2020-06-20T03:00:00Z") });
    expect(progress.created).toBe(true);
    expect(await store.tracking.assignment(org.id, assignment.id)).toMatchObject({ status: "in_progress", percent: 80, doneAt: null });

    // The same message again records nothing new and changes nothing.
    const repeat = await store.tracking.recordReport({ orgId: org.id, assignmentId: assignment.id, personId: person.id, inboundMessageId: message.message.id, status: "done", reportedAt: at("2020-06-21T03:00:00Z") });
    expect(repeat.created).toBe(false);
    expect(repeat.report.id).toBe(progress.report.id);
    expect((await store.tracking.assignment(org.id, assignment.id))?.status).toBe("in_progress");

    const done = await store.tracking.recordReport({ orgId: org.id, assignmentId: assignment.id, personId: person.id, status: "done", count: 245, text: "xong, 245 hội viên", reportedAt: at("2020-06-25T03:00:00Z") });
    expect(done.report).toMatchObject({ status: "done", count: 245, text: "xong, 245 hội viên" });
    const after = await store.tracking.assignment(org.id, assignment.id);
    expect(after).toMatchObject({ status: "done", percent: 100 });
    expect(after?.doneAt?.toISOString()).toBe("2020-06-25T03:00:00.000Z");
    expect((await store.tracking.reports(org.id, assignment.id)).map((r) => r.status)).toEqual(["in_progress", "done"]);

    // Re-opened work does not keep the 100% of "done"; a percent survives only while in progress.
    await store.tracking.recordReport({ orgId: org.id, assignmentId: assignment.id, status: "in_progress", reportedAt: at("2020-06-26T03:00:00Z") });
    expect(await store.tracking.assignment(org.id, assignment.id)).toMatchObject({ status: "in_progress", percent: null, doneAt: null });
    await store.tracking.recordReport({ orgId: org.id, assignmentId: assignment.id, status: "in_progress", percent: 60, reportedAt: at("2020-06-27T03:00:00Z") });
    await store.tracking.recordReport({ orgId: org.id, assignmentId: assignment.id, status: "in_progress", reportedAt: at("2020-06-28T03:00:00Z") });
    expect((await store.tracking.assignment(org.id, assignment.id))?.percent).toBe(60);

    const extension = await store.tracking.requestExtension({ orgId: org.id, assignmentId: assignment.id, requestedBy: person.id, toDate: "2020-07-15", reason: "chờ số liệu" });
    expect(extension).toMatchObject({ fromDate: "2020-06-30", toDate: "2020-07-15", status: "requested", reason: "chờ số liệu" });

    await expect(
      store.tracking.recordReport({ orgId: org.id, assignmentId: assignment.id, status: "in_progress", percent: 140, reportedAt: at("2020-06-26T03:00:00Z") }),
    ).rejects.toThrow();
  });

  it("applies reports by their own time: an older message arriving late does not overwrite", async () => {
    const { org, assignment } = await assignedItem();
    await store.tracking.recordReport({ orgId: org.id, assignmentId: assignment.id, status: "done", reportedAt: at("2020-06-20T05:00:00Z") });
    const late = await store.tracking.recordReport({ orgId: org.id, assignmentId: assignment.id, status: "blocked", text: "vướng", reportedAt: at("2020-06-20T04:00:00Z") });
    expect(late.created).toBe(true); // kept in the history
    expect(await store.tracking.assignment(org.id, assignment.id)).toMatchObject({ status: "done", percent: 100 });
    expect((await store.tracking.reports(org.id, assignment.id)).map((r) => r.status)).toEqual(["blocked", "done"]);
  });

  it("round-trips occurrences with the team on duty; a report on one moves only it", async () => {
    const { org, team, assignment } = await assignedItem();
    const week1 = await store.tracking.upsertOccurrence({ orgId: org.id, assignmentId: assignment.id, periodStart: "2020-06-08", periodEnd: "2020-06-14", dueDate: "2020-06-14", onDutyUnitId: team.id });
    const week1Again = await store.tracking.upsertOccurrence({ orgId: org.id, assignmentId: assignment.id, periodStart: "2020-06-08", periodEnd: "2020-06-14", dueDate: "2020-06-14", onDutyUnitId: team.id });
    expect(week1Again.id).toBe(week1.id);
    await store.tracking.upsertOccurrence({ orgId: org.id, assignmentId: assignment.id, periodStart: "2020-06-15", periodEnd: "2020-06-21", dueDate: "2020-06-21" });
    await store.tracking.recordReport({ orgId: org.id, assignmentId: assignment.id, occurrenceId: week1.id, status: "done", reportedAt: at("2020-06-14T03:00:00Z") });
    const occurrences = await store.tracking.occurrences(org.id, assignment.id);
    expect(occurrences.map((o) => [o.periodStart, o.status, o.onDutyUnitId])).toEqual([
      ["2020-06-08", "done", team.id],
      ["2020-06-15", "not_reported", null],
    ]);
    expect((await store.tracking.assignment(org.id, assignment.id))?.status).toBe("not_reported");
  });

  it("round-trips reminders (planned once per key), outbound messages and deliveries", async () => {
    const { org, assignment, item } = await assignedItem();
    const plan = { orgId: org.id, assignmentId: assignment.id, kind: "before" as const, plannedAt: at("2020-06-23T01:00:00Z"), dedupeKey: `${assignment.id}-before-2020-06-23` };
    const reminder = await store.outbound.planReminder(plan);
    expect(reminder).toMatchObject({ kind: "before", status: "pending" });
    expect(await store.outbound.planReminder(plan)).toBeNull();
    expect(await store.outbound.reminders(org.id, assignment.id)).toHaveLength(1);

    const thread = await store.chats.upsertThread({ orgId: org.id, channel: "zalo", externalId: "g-9", kind: "group" });
    const message = await store.outbound.enqueue({ orgId: org.id, threadId: thread.id, text: "Nhắc: nhiệm vụ 6 hạn 30/6/2020.", reminderId: reminder?.id ?? null, itemId: item.id });
    expect(message.status).toBe("pending");
    await store.outbound.recordDelivery({ orgId: org.id, outboundMessageId: message.id, channel: "zalo", attempt: 1, outcome: "retrying", errorCode: "network", attemptedAt: at("2020-06-23T01:00:01Z") });
    await store.outbound.recordDelivery({ orgId: org.id, outboundMessageId: message.id, channel: "zalo", attempt: 2, outcome: "sent", externalMessageId: "z-777", attemptedAt: at("2020-06-23T01:00:31Z") });
    const deliveries = await store.outbound.deliveries(org.id, message.id);
    expect(deliveries.map((d) => [d.attempt, d.outcome, d.externalMessageId])).toEqual([
      [1, "retrying", null],
      [2, "sent", "z-777"],
    ]);
    // A `sending` mark is the attempt's row until its outcome replaces it (one row per attempt).
    const second = await store.outbound.enqueue({ orgId: org.id, threadId: thread.id, text: "Nhắc lần hai." });
    await store.outbound.recordDelivery({ orgId: org.id, outboundMessageId: second.id, channel: "zalo", attempt: 1, outcome: "sending", attemptedAt: at("2020-06-23T01:01:00Z") });
    expect((await store.outbound.get(org.id, second.id))?.status).toBe("pending");
    await store.outbound.recordDelivery({ orgId: org.id, outboundMessageId: second.id, channel: "zalo", attempt: 1, outcome: "sent", externalMessageId: "z-778", attemptedAt: at("2020-06-23T01:01:01Z") });
    expect((await store.outbound.deliveries(org.id, second.id)).map((d) => [d.attempt, d.outcome, d.externalMessageId])).toEqual([[1, "sent", "z-778"]]);
    expect((await store.outbound.get(org.id, second.id))?.status).toBe("sent");
    expect(await store.outbound.routes(org.id, [message.id, second.id])).toEqual(expect.arrayContaining([{ orgId: org.id, id: second.id, channel: "zalo" }]));
    // Many rows in one statement come back in input order (a reminder's recipients are matched by position).
    const texts = Array.from({ length: 25 }, (_, i) => `Tin ${i}`);
    const many = await store.outbound.enqueueMany(texts.map((text) => ({ orgId: org.id, threadId: thread.id, text })));
    const stored = await Promise.all(many.map((id) => store.outbound.get(org.id, id)));
    expect(stored.map((m) => m?.text)).toEqual(texts);
  });

  it("round-trips inbound messages and the audit log", async () => {
    const org = await newOrg();
    const sentAt = at("2020-06-20T03:00:00Z");
    const { message, duplicate } = await store.inbound.record({ orgId: org.id, channel: "messenger", externalMessageId: "mid.1", text: "xong rồi ạ", replyToExternalId: "mid.0", sentAt, raw: { mid: "mid.1" } });
    expect(duplicate).toBe(false);
    expect(message).toMatchObject({ text: "xong rồi ạ", replyToExternalId: "mid.0", raw: { mid: "mid.1" }, processedAt: null });
    expect(message.sentAt.toISOString()).toBe(sentAt.toISOString());
    await store.inbound.markProcessed(org.id, message.id, at("2020-06-20T03:00:02Z"));
    const again = await store.inbound.record({ orgId: org.id, channel: "messenger", externalMessageId: "mid.1", text: "other", sentAt });
    expect(again.duplicate).toBe(true);
    expect(again.message.text).toBe("xong rồi ạ");
    expect(again.message.processedAt?.toISOString()).toBe("2020-06-20T03:00:02.000Z");

    await store.audit.append({ orgId: org.id, actor: "system", action: "org.created", entity: "org", entityId: org.id });
    await store.audit.append({ orgId: org.id, actor: "person:1", action: "report.recorded", entity: "report", data: { status: "done" } });
    const entries = await store.audit.list(org.id);
    expect(entries.map((e) => e.action)).toEqual(["report.recorded", "org.created"]);
    expect(entries[0]?.data).toEqual({ status: "done" });
    expect(await store.audit.list((await newOrg()).id)).toEqual([]);
  });

  it("redeems a link code once, even when two accounts race for it, and never after it expires", async () => {
    const org = await newOrg();
    const person = await store.persons.create({ orgId: org.id, fullName: "Đỗ Văn Hải", roles: ["cadre"] });
    const a = await store.chats.upsertIdentity({ orgId: org.id, channel: "zalo", externalId: "a" });
    const b = await store.chats.upsertIdentity({ orgId: org.id, channel: "messenger", externalId: "b" });
    const now = at("2020-06-20T01:00:00Z");
    const { code } = await store.links.issue({ orgId: org.id, personId: person.id, expiresAt: at("2020-06-23T01:00:00Z") });
    expect(code).toMatch(/^\d{12}$/);
    const results = await Promise.all([
      store.links.redeem({ orgId: org.id, code, identityId: a.id, channel: "zalo", now }),
      store.links.redeem({ orgId: org.id, code, identityId: b.id, channel: "messenger", now }),
    ]);
    expect(results.filter((r) => "personId" in r)).toEqual([{ personId: person.id }]);
    const linked = [await store.chats.identity(org.id, "zalo", "a"), await store.chats.identity(org.id, "messenger", "b")];
    expect(linked.filter((i) => i?.personId === person.id)).toHaveLength(1);

    const late = await store.links.issue({ orgId: org.id, personId: person.id, expiresAt: at("2020-06-20T00:59:59Z") });
    expect(await store.links.redeem({ orgId: org.id, code: late.code, identityId: b.id, channel: "messenger", now })).toEqual({ refused: "invalid" });
    expect(await store.links.redeem({ orgId: (await newOrg()).id, code, identityId: b.id, channel: "messenger", now })).toEqual({ refused: "invalid" });
  });

  it("binds a link code to its channel: tries from another channel fail and void it after three", async () => {
    const org = await newOrg();
    const person = await store.persons.create({ orgId: org.id, fullName: "Lý Thị Mai", roles: ["cadre"] });
    const zalo = await store.chats.upsertIdentity({ orgId: org.id, channel: "zalo", externalId: "z" });
    const messenger = await store.chats.upsertIdentity({ orgId: org.id, channel: "messenger", externalId: "m" });
    const now = at("2020-06-20T01:00:00Z");
    const bound = await store.links.issue({ orgId: org.id, personId: person.id, expiresAt: at("2020-06-23T01:00:00Z"), channel: "zalo" });
    expect(bound.channel).toBe("zalo");
    expect(await store.links.redeem({ orgId: org.id, code: bound.code, identityId: messenger.id, channel: "messenger", now })).toEqual({ refused: "wrong_channel" });
    expect(await store.links.redeem({ orgId: org.id, code: bound.code, identityId: zalo.id, channel: "zalo", now })).toEqual({ personId: person.id });

    const second = await store.links.issue({ orgId: org.id, personId: person.id, expiresAt: at("2020-06-23T01:00:00Z"), channel: "zalo" });
    for (let i = 0; i < 3; i++) expect(await store.links.redeem({ orgId: org.id, code: second.code, identityId: messenger.id, channel: "messenger", now })).toEqual({ refused: "wrong_channel" });
    // Three wrong-channel tries void it, even on its own channel.
    expect(await store.links.redeem({ orgId: org.id, code: second.code, identityId: zalo.id, channel: "zalo", now })).toEqual({ refused: "invalid" });
  });

  it("counts attempts atomically: 30 parallel takes on one key let exactly the hard limit through", async () => {
    const now = at("2020-06-20T01:00:00Z");
    const key = `test:${Math.random()}`;
    const results = await Promise.all(Array.from({ length: 30 }, () => store.limits.take(key, now, { windowMs: 60_000, free: 10, hardLimit: 10 })));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
    // With backoff instead of a hard limit: the free ones, then one that sets a wait.
    const soft = `test:${Math.random()}`;
    const backoff = await Promise.all(Array.from({ length: 30 }, () => store.limits.take(soft, now, { windowMs: 60_000, free: 10, baseDelayMs: 1_000 })));
    expect(backoff.filter((r) => r.allowed)).toHaveLength(10);
    expect((await store.limits.take(soft, new Date(now.getTime() + 1_001), { windowMs: 60_000, free: 10, baseDelayMs: 1_000 })).allowed).toBe(true);
    await store.limits.refund(key);
    expect((await store.limits.take(key, now, { windowMs: 60_000, free: 10, hardLimit: 10 })).allowed).toBe(true);
    // A new window starts again.
    expect((await store.limits.take(key, new Date(now.getTime() + 60_000), { windowMs: 60_000, free: 10, hardLimit: 10 })).allowed).toBe(true);
  });

  it("lists the board of active directives only, finds people by role, and decides an extension once", async () => {
    const { org, unit, person, item, assignment } = await assignedItem();
    expect(await store.tracking.board(org.id, localDay(new Date()))).toEqual([]); // the directive is still a draft
    await store.directives.setStatus(org.id, item.directiveId, "active", at("2020-06-06T01:00:00Z"));
    const board = await store.tracking.board(org.id, localDay(new Date()));
    expect(board.map((r) => [r.item.ref, r.unit.name, r.assignment.id])).toEqual([["6", unit.name, assignment.id]]);

    const leader = await store.persons.create({ orgId: org.id, fullName: "Bí thư", roles: ["leader", "office"] });
    expect((await store.chats.personsWithRole(org.id, "leader")).map((p) => p.id)).toEqual([leader.id]);
    expect((await store.chats.personsWithRole(org.id, "cadre")).map((p) => p.id)).toEqual([person.id]);

    const extension = await store.tracking.requestExtension({ orgId: org.id, assignmentId: assignment.id, requestedBy: person.id, toDate: "2020-07-15" });
    expect((await store.tracking.pendingExtensions(org.id)).map((e) => e.id)).toEqual([extension.id]);
    const decide = { orgId: org.id, extensionId: extension.id, status: "approved" as const, decidedBy: leader.id, at: at("2020-06-21T01:00:00Z") };
    const [first, second] = await Promise.all([store.tracking.decideExtension(decide), store.tracking.decideExtension({ ...decide, status: "rejected" })]);
    expect([first, second].filter((d) => d !== null)).toHaveLength(1);
    const winner = first ?? second;
    expect((await store.tracking.assignment(org.id, assignment.id))?.dueDate).toBe(winner?.status === "approved" ? "2020-07-15" : "2020-06-30");
    expect(await store.tracking.pendingExtensions(org.id)).toEqual([]);
  });

  it("finds an outbound message by the platform id of its delivery", async () => {
    const { org, item } = await assignedItem();
    const message = await store.outbound.enqueue({ orgId: org.id, text: "Nhắc NV 6", itemId: item.id });
    expect((await store.outbound.pending(org.id)).map((m) => m.id)).toEqual([message.id]);
    await store.outbound.recordDelivery({ orgId: org.id, outboundMessageId: message.id, channel: "zalo", attempt: 1, outcome: "sent", externalMessageId: "z-1", attemptedAt: at("2020-06-20T01:00:00Z") });
    expect((await store.outbound.byExternalId(org.id, "zalo", "z-1"))?.itemId).toBe(item.id);
    expect(await store.outbound.byExternalId(org.id, "messenger", "z-1")).toBeNull();
    expect(await store.outbound.pending(org.id)).toEqual([]);
  });

  it("records one inbound message once under concurrent inserts", async () => {
    const org = await newOrg();
    const input = { orgId: org.id, channel: "zalo" as const, externalMessageId: `race-${randomUUID()}`, text: "bc 6 xong", sentAt: at("2020-06-20T03:00:00Z") };
    const [a, b] = await Promise.all([store.inbound.record(input), store.inbound.record(input)]);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(a.message.id).toBe(b.message.id);

    // Many at once: still exactly one row, one winner.
    const many = await Promise.all(
      Array.from({ length: 8 }, () => store.inbound.record({ ...input, externalMessageId: `${input.externalMessageId}-n` })),
    );
    expect(many.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(many.map((r) => r.message.id)).size).toBe(1);
  });

  it("records one report per message and assignment under concurrent inserts", async () => {
    const { org, assignment } = await assignedItem();
    const { message } = await store.inbound.record({ orgId: org.id, channel: "simulator", externalMessageId: `r-${randomUUID()}`, text: "xong", sentAt: at("2020-06-20T03:00:00Z") });
    const input = { orgId: org.id, assignmentId: assignment.id, inboundMessageId: message.id, status: "done" as const, reportedAt: at("2020-06-20T03:00:00Z") };
    const results = await Promise.all([store.tracking.recordReport(input), store.tracking.recordReport(input)]);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await store.tracking.reports(org.id, assignment.id)).toHaveLength(1);
  });
});
