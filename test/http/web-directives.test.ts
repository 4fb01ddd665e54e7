/**
 * The directive pages and the status board (issue 8) through Fastify inject on PGlite: list,
 * import (paste and Word), review with unresolved rows highlighted, edits, activation, the board
 * after a chat report (escaped), filters, the unit view and the exports; leaders and forms
 * without the CSRF token are refused.
 */
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createBroadcasts,
  createConversation,
  createGroups,
  createDirectory,
  createIntake,
  createOrgSettings,
  createWebAuth,
  type PasswordHasher,
} from "../../src/app/index.ts";
import type { Store } from "../../src/app/index.ts";
import { buildApp } from "../../src/http/index.ts";
import { boardPages } from "../../src/http/web/pages/board.ts";
import { directivePages } from "../../src/http/web/pages/directives.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../fakes/clock.ts";
import { createMigratedDatabase, type TestDatabase } from "../support/databases.ts";

const fixture = (name: string) => new URL(`../fixtures/directives/${name}`, import.meta.url);
const SEED = readFileSync(fixture("20-seed-thong-bao-ket-luan-2020-06-05.md"), "utf8");
const DOCX = readFileSync(fixture("28-ke-hoach-word.docx"));
const CCB = "Hội Cựu chiến binh";

/** Fast and obviously fake: the argon2 hasher is tested elsewhere. */
const hasher: PasswordHasher = {
  hash: async (p) => `h:${p}`,
  verify: async (hash, p) => hash === `h:${p}`,
};

type Response = Awaited<ReturnType<FastifyInstance["inject"]>>;

/** A signed-in browser: a cookie jar and the CSRF token of the last page it read. */
class Browser {
  private jar = new Map<string, string>();
  csrf = "";
  constructor(private app: FastifyInstance) {}

  private keep(res: Response): Response {
    for (const c of res.cookies as { name: string; value: string }[]) {
      if (c.value) this.jar.set(c.name, c.value);
      else this.jar.delete(c.name);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }

  get cookieHeader() {
    return this.cookie;
  }

  private get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async get(url: string): Promise<Response> {
    return this.keep(await this.app.inject({ method: "GET", url, headers: { cookie: this.cookie } }));
  }

  /** A form post; `_csrf` is the last token read unless the form says otherwise. */
  async post(url: string, form: Record<string, string>, options: { csrf?: boolean } = {}): Promise<Response> {
    const fields = options.csrf === false ? form : { _csrf: this.csrf, ...form };
    return this.keep(
      await this.app.inject({
        method: "POST",
        url,
        headers: { cookie: this.cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams(fields).toString(),
      }),
    );
  }

  /** The import form as a browser sends it: multipart, the token as its first field (never in the URL). */
  async upload(fields: Record<string, string>, file?: { bytes: Uint8Array; name: string }, options: { csrf?: boolean | "in_url" } = {}): Promise<Response> {
    const form = new FormData();
    if (options.csrf !== false && options.csrf !== "in_url") form.append("_csrf", this.csrf);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append("file", new Blob(file ? [file.bytes] : []), file?.name ?? "");
    const body = new Response(form);
    return this.keep(
      await this.app.inject({
        method: "POST",
        url: options.csrf === "in_url" ? `/directives?_csrf=${encodeURIComponent(this.csrf)}` : "/directives",
        headers: { cookie: this.cookie, "content-type": body.headers.get("content-type") ?? "" },
        payload: Buffer.from(await body.arrayBuffer()),
      }),
    );
  }

  async signIn(login: string, password: string): Promise<void> {
    await this.get("/login");
    const res = await this.post("/login", { login, password, next: "/directives" });
    expect(res.statusCode).toBe(303);
    expect(this.jar.has("dondoc_sid")).toBe(true);
  }
}

/** The attribute-free text of an element's body, for simple assertions. */
const text = (s: string) => s.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("web: directives and the status board", () => {
  let test: TestDatabase;
  let store: Store;
  let app: FastifyInstance;
  let clock: FakeClock;
  let orgId: string;
  let office: Browser;
  let leader: Browser;
  let conversation: ReturnType<typeof createConversation>;
  let directiveId = "";

  beforeAll(async () => {
    test = await createMigratedDatabase("pglite");
    store = createStore(test.database.db);
    clock = new FakeClock("2020-06-06T01:00:00Z");
    orgId = (await store.orgs.create({ slug: "web-org", name: "Đảng ủy phường 7" })).id;
    const intake = createIntake({ store, clock });
    conversation = createConversation({ store, clock });
    const deps = {
      store,
      clock,
      intake,
      directory: createDirectory({ store, clock }),
      conversation,
      broadcasts: createBroadcasts({ store, clock }),
      groups: createGroups({ store, clock }),
      settings: createOrgSettings({ store, clock }),
      messengerPage: null,
    };
    const auth = createWebAuth({ store, clock, hasher });
    app = await buildApp({ logger: false, probes: [], web: { auth, modules: [directivePages(deps), boardPages(deps)] } });
    for (const [login, role] of [
      ["vanphong", "office"],
      ["lanhdao", "leader"],
    ] as const) {
      const person = await store.persons.create({ orgId, fullName: role === "office" ? "Nguyễn Thị Văn Phòng" : "Trần Lãnh Đạo", roles: [role] });
      await auth.createAccount({ orgId, personId: person.id, login, password: "mat-khau-du-dai" });
    }
    office = new Browser(app);
    leader = new Browser(app);
    await office.signIn("vanphong", "mat-khau-du-dai");
    await leader.signIn("lanhdao", "mat-khau-du-dai");
  });
  afterAll(async () => {
    await app.close();
    await test.drop();
  });

  it("sends an anonymous visitor to the sign-in page", async () => {
    const res = await app.inject({ url: "/directives" });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe("/login?next=%2Fdirectives");
  });

  it("lists no directives yet, with the import button for office only", async () => {
    const mine = await office.get("/directives");
    expect(mine.statusCode).toBe(200);
    expect(mine.body).toContain("Chưa có văn bản nào");
    expect(mine.body).toContain('href="/directives/new"');
    expect(mine.body).toContain("Nhập văn bản mới");
    const theirs = await leader.get("/directives");
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('class="button" href="/directives/new"');
  });

  it("shows the import form with the CSRF token as its first field, never in the URL", async () => {
    const res = await office.get("/directives/new");
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<form[^>]+action="\/directives"[^>]+enctype="multipart\/form-data"><input type="hidden" name="_csrf" value="[^"]+">/);
    expect(res.body).not.toContain("_csrf=");
    expect(res.body).toContain('<textarea id="text" name="text"');
    expect(res.body).toContain('type="file" name="file"');
  });

  it("re-renders the form with a Vietnamese message on empty text, a broken file and a text without items", async () => {
    await office.get("/directives/new");
    const empty = await office.upload({ text: "   " });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain("Văn bản trống");

    const broken = await office.upload({ text: "giữ lại phần đã dán" }, { bytes: new TextEncoder().encode("not a zip"), name: "ke-hoach.docx" });
    expect(broken.statusCode).toBe(400);
    expect(broken.body).toContain("Không đọc được tệp Word");
    expect(broken.body).toContain("giữ lại phần đã dán</textarea>");

    const pdf = await office.upload({ text: "" }, { bytes: new TextEncoder().encode("%PDF-1.4"), name: "tb.pdf" });
    expect(pdf.statusCode).toBe(400);
    expect(pdf.body).toContain("Chưa hỗ trợ loại tệp này");

    const noItems = await office.post("/directives", { text: "Chỉ một câu <b>không</b> có nhiệm vụ." });
    expect(noItems.statusCode).toBe(422);
    expect(noItems.body).toContain("Không tìm thấy nhiệm vụ nào");
    expect(noItems.body).toContain("Chỉ một câu &lt;b&gt;không&lt;/b&gt; có nhiệm vụ.</textarea>");
  });

  it("refuses a text longer than the parser takes, and a file over 2 MB", async () => {
    await office.get("/directives/new");
    const long = await office.post("/directives", { text: `1. ${"a".repeat(200_001)}` });
    expect(long.statusCode).toBe(413);
    expect(long.body).toContain("Văn bản quá dài");

    const big = await office.upload({ text: "" }, { bytes: new Uint8Array(2 * 1024 * 1024 + 10).fill(97), name: "to.txt" });
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain("Tệp quá lớn");
  });

  it("imports a Word file into a draft and opens its review", async () => {
    await office.get("/directives/new");
    const res = await office.upload({ text: "" }, { bytes: DOCX, name: "28-ke-hoach-word.docx" });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/directives\/[0-9a-f-]{36}\/review$/);
    const review = await office.get(String(res.headers.location));
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain("28-ke-hoach-word.docx");
  });

  it("imports a pasted directive and shows source and items side by side, unresolved rows highlighted", async () => {
    await office.get("/directives/new");
    const res = await office.upload({ text: SEED });
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    directiveId = /\/directives\/([0-9a-f-]{36})\/review/.exec(location)?.[1] ?? "";
    expect(directiveId).not.toBe("");

    const review = await office.get(location);
    expect(review.statusCode).toBe(200);
    expect(review.body).toContain('class="review"');
    expect(review.body).toContain("Văn bản gốc");
    expect(review.body).toContain("KẾT LUẬN CỦA BAN THƯỜNG VỤ ĐẢNG ỦY");
    expect(review.body).toContain(`action="/directives/${directiveId}/activate"`);
    expect(review.body).toContain("Bắt đầu theo dõi");
    expect(review.body).toContain("Thêm nhiệm vụ");
    // Dates are typed dd/mm/yyyy whatever the browser's language: no <input type="date">.
    expect(review.body).toMatch(/<input type="text" name="dueDate" value="30\/06\/2020" inputmode="numeric" pattern="[^"]+" placeholder="dd\/mm\/yyyy"/);
    expect(review.body).not.toContain('type="date"');
    // Item 9.1 names an official, not a unit: highlighted with why.
    const row = /<div class="card item warn"[^>]*data-ref="9.1">[\s\S]*?<\/form>/.exec(review.body)?.[0] ?? "";
    expect(row).not.toBe("");
    expect(text(row)).toMatch(/Chưa (có đơn vị thực hiện|nhận ra đơn vị)/);
    // A fully resolved item is not.
    expect(review.body).toMatch(/<div class="card item" id="item-[^"]+" data-ref="6.1">/);

    // The same paste again opens the same draft.
    await office.get("/directives/new");
    const again = await office.post("/directives", { text: SEED });
    expect(again.statusCode).toBe(303);
    expect(again.headers.location).toBe(`/directives/${directiveId}/review?ok=existing`);
  });

  it("highlights a deadline phrase without a due day, and an unknown unit", async () => {
    const found = await store.directives.get(orgId, directiveId);
    const item = found?.items.find((i) => i.ref === "7");
    expect(item).toBeDefined();
    await store.directives.updateItem(orgId, item!.id, {
      deadline: { kind: "none", text: "khi có yêu cầu", due: null, every: null, timesPerPeriod: null },
      dueDate: null,
      assignees: [{ name: "Ban Quản lý chợ", role: "lead", unitKey: null }],
    });
    const review = await office.get(`/directives/${directiveId}/review`);
    const row = new RegExp(`<div class="card item warn" id="item-${item!.id}"[\\s\\S]*?</form>`).exec(review.body)?.[0] ?? "";
    expect(row).toContain("Không xác định được ngày hạn từ “khi có yêu cầu”");
    expect(row).toContain("Chưa nhận ra đơn vị: Ban Quản lý chợ");
    // Back to the parsed state for the rest of the tests.
    await office.post(`/directives/${directiveId}/items/${item!.id}`, { ref: "7", summary: item!.summary, deadline: "", dueDate: "", lead: "Mặt trận, các đoàn thể CTXH phường", support: "" });
  });

  it("edits a deadline in review", async () => {
    const item = (await store.directives.get(orgId, directiveId))?.items.find((i) => i.ref === "6.1");
    const res = await office.post(`/directives/${directiveId}/items/${item!.id}`, {
      ref: "6.1",
      summary: item!.summary,
      deadline: item!.deadline?.text ?? "",
      dueDate: "2020-07-15",
      lead: "Đoàn TNCS Hồ Chí Minh phường",
      support: "",
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/directives/${directiveId}/review?ok=saved#item-${item!.id}`);
    const after = (await store.directives.get(orgId, directiveId))?.items.find((i) => i.id === item!.id);
    expect(after?.dueDate).toBe("2020-07-15");
    const review = await office.get(`/directives/${directiveId}/review?ok=saved`);
    expect(review.body).toContain("Đã lưu nhiệm vụ.");
    expect(review.body).toContain('name="dueDate" value="15/07/2020"');

    // Typed the Vietnamese way, d/m/yyyy too.
    const typed = await office.post(`/directives/${directiveId}/items/${item!.id}`, { ref: "6.1", dueDate: "4/9/2020" });
    expect(typed.statusCode).toBe(303);
    expect((await store.directives.get(orgId, directiveId))?.items.find((i) => i.id === item!.id)?.dueDate).toBe("2020-09-04");
    await office.post(`/directives/${directiveId}/items/${item!.id}`, { ref: "6.1", dueDate: "15/07/2020" });
    expect((await store.directives.get(orgId, directiveId))?.items.find((i) => i.id === item!.id)?.dueDate).toBe("2020-07-15");

    // A date that does not exist is refused in Vietnamese and nothing changes.
    for (const wrong of ["31/02/2020", "2020/07/15", "15.07"]) {
      const refused = await office.post(`/directives/${directiveId}/items/${item!.id}`, { ref: "6.1", dueDate: wrong });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain(`Ngày hạn “${wrong}” không hợp lệ. Đề nghị nhập theo dạng ngày/tháng/năm`);
      expect(refused.body).toContain("Văn bản gốc");
    }
    expect((await store.directives.get(orgId, directiveId))?.items.find((i) => i.id === item!.id)?.dueDate).toBe("2020-07-15");

    // A phrase it cannot read is refused in Vietnamese, on the review page.
    const bad = await office.post(`/directives/${directiveId}/items/${item!.id}`, { ref: "6.1", deadline: "khi nào xong thì thôi" });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("Không hiểu thời hạn");
    expect(bad.body).toContain("Văn bản gốc");
  });

  it("adds and removes an item", async () => {
    const added = await office.post(`/directives/${directiveId}/items`, { ref: "10", text: "Tổng kết <b>phong trào</b>", summary: "", deadline: "", dueDate: "2020-12-31", lead: CCB, support: "" });
    expect(added.statusCode).toBe(303);
    const item = (await store.directives.get(orgId, directiveId))?.items.find((i) => i.ref === "10");
    expect(item?.dueDate).toBe("2020-12-31");
    const review = await office.get(`/directives/${directiveId}/review`);
    expect(review.body).toContain("Tổng kết &lt;b&gt;phong trào&lt;/b&gt;");
    expect(review.body).toContain(`formaction="/directives/${directiveId}/items/${item!.id}/delete"`);
    const badDay = await office.post(`/directives/${directiveId}/items`, { ref: "11", text: "Việc có ngày sai", dueDate: "30/13/2020" });
    expect(badDay.statusCode).toBe(400);
    expect(badDay.body).toContain("Ngày hạn “30/13/2020” không hợp lệ.");
    expect(badDay.body).toContain('name="dueDate" value="30/13/2020"');
    expect(badDay.body).toContain("Việc có ngày sai");
    expect((await store.directives.get(orgId, directiveId))?.items.some((i) => i.ref === "11")).toBe(false);
    const dup = await office.post(`/directives/${directiveId}/items`, { ref: "10", text: "Trùng số" });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain("Đã có nhiệm vụ số 10");
    const removed = await office.post(`/directives/${directiveId}/items/${item!.id}/delete`, {});
    expect(removed.statusCode).toBe(303);
    expect((await store.directives.get(orgId, directiveId))?.items.some((i) => i.ref === "10")).toBe(false);
  });

  it("refuses a leader's change (403) and a form without the CSRF token (403)", async () => {
    const item = (await store.directives.get(orgId, directiveId))?.items.find((i) => i.ref === "6.1");
    await leader.get(`/directives/${directiveId}/review`);
    const byLeader = await leader.post(`/directives/${directiveId}/items/${item!.id}`, { ref: "6.1", dueDate: "2021-01-01" });
    expect(byLeader.statusCode).toBe(403);
    expect(byLeader.body).toContain("Không có quyền");
    const activateByLeader = await leader.post(`/directives/${directiveId}/activate`, {});
    expect(activateByLeader.statusCode).toBe(403);

    const noToken = await office.post(`/directives/${directiveId}/items/${item!.id}`, { ref: "6.1", dueDate: "2021-01-01" }, { csrf: false });
    expect(noToken.statusCode).toBe(403);
    const noTokenUpload = await office.upload({ text: SEED.replace("Ngày 05", "Ngày 06") }, undefined, { csrf: false });
    expect(noTokenUpload.statusCode).toBe(403);
    expect(noTokenUpload.body).toContain("Biểu mẫu đã hết hạn");
    // The token in the URL (as the form used to send it) no longer counts.
    const inUrl = await office.upload({ text: SEED.replace("Ngày 05", "Ngày 07") }, undefined, { csrf: "in_url" });
    expect(inUrl.statusCode).toBe(403);
    expect((await store.directives.list(orgId)).length).toBe(2);
    expect((await store.directives.get(orgId, directiveId))?.items.find((i) => i.ref === "6.1")?.dueDate).toBe("2020-07-15");
  });

  it("lists the activation warnings before the button, a checkbox per kind for office, escaped", async () => {
    // An item due 1/6 is past on 6/6; nobody in the org is on chat; item 4's units are dropped.
    await office.get(`/directives/${directiveId}/review`);
    const added = await office.post(`/directives/${directiveId}/items`, { ref: "10", text: "Dọn chợ", summary: "", deadline: "", dueDate: "2020-06-01", lead: "Ban <i>chợ</i>", support: "" });
    expect(added.statusCode).toBe(303);
    try {
      const review = await office.get(`/directives/${directiveId}/review`);
      const form = /<form class="card activate"[^>]*action="\/directives\/[^"]+\/activate"[^>]*>[\s\S]*?<\/form>/.exec(review.body)?.[0] ?? "";
      expect(form).toContain("Cần xác nhận trước khi bắt đầu theo dõi");
      expect([...form.matchAll(/<li data-warning="([a-z_]+)">/g)].map((m) => m[1])).toEqual(["past_deadlines", "unreachable_units", "dropped_parents"]);
      expect([...form.matchAll(/<input type="checkbox" name="confirm" value="([a-z_]+)">/g)].map((m) => m[1])).toEqual(["past_deadlines", "unreachable_units", "dropped_parents"]);
      // The warnings come before the button.
      expect(form.indexOf('name="confirm"')).toBeLessThan(form.indexOf("Bắt đầu theo dõi</button>"));
      expect(text(form)).toContain("nhiệm vụ 10 (hạn 01/06/2020)");
      expect(text(form)).toContain("hôm nay 06/06/2020");
      expect(text(form)).toContain("Xác nhận vẫn bắt đầu theo dõi dù có đơn vị chưa liên lạc được qua tin nhắn");
      expect(text(form)).toContain("Mục 4 được theo dõi qua các mục con 4.1");
      expect(form).toContain("Ban &lt;i&gt;chợ&lt;/i&gt;");
      expect(form).not.toContain("<i>chợ</i>");
      expect(form).toMatch(/<input type="hidden" name="_csrf" value="[^"]+">/);
      // A leader sees the warnings, without checkboxes or the button.
      const asLeader = await leader.get(`/directives/${directiveId}/review`);
      expect(asLeader.body).toContain('<li data-warning="unreachable_units">');
      expect(asLeader.body).not.toContain('name="confirm"');
      expect(asLeader.body).not.toContain("Bắt đầu theo dõi</button>");
    } finally {
      const extra = (await store.directives.get(orgId, directiveId))?.items.find((i) => i.ref === "10");
      await office.get(`/directives/${directiveId}/review`);
      await office.post(`/directives/${directiveId}/items/${extra!.id}/delete`, {});
    }
  });

  it("refuses to activate without the boxes ticked, in Vietnamese on the review page, keeping the ticks", async () => {
    await office.get(`/directives/${directiveId}/review`);
    const none = await office.post(`/directives/${directiveId}/activate`, {});
    expect(none.statusCode).toBe(409);
    expect(none.body).toContain('<div class="flash err" role="alert">Chưa kích hoạt: đồng chí cần xác nhận đã biết có đơn vị chưa liên lạc được qua tin nhắn và có đơn vị của mục lớn không được giao việc.');
    expect(none.body).toContain("Văn bản gốc");
    // One box ticked, one not: refused again, naming only the missing one, the ticked one kept.
    const some = await office.post(`/directives/${directiveId}/activate`, { confirm: "unreachable_units" });
    expect(some.statusCode).toBe(409);
    expect(text(some.body)).toContain("cần xác nhận đã biết có đơn vị của mục lớn không được giao việc.");
    expect(some.body).toContain('<input type="checkbox" name="confirm" value="unreachable_units" checked>');
    expect(some.body).toContain('<input type="checkbox" name="confirm" value="dropped_parents">');
    // Anything else in the field is ignored, never a 500.
    const junk = await office.post(`/directives/${directiveId}/activate`, { confirm: "<script>" });
    expect(junk.statusCode).toBe(409);
    expect((await store.directives.get(orgId, directiveId))?.directive.status).toBe("draft");
  });

  it("activates and redirects to the board; the review URL then goes to the board", async () => {
    await office.get(`/directives/${directiveId}/review`);
    const form = new URLSearchParams({ _csrf: office.csrf });
    form.append("confirm", "unreachable_units");
    form.append("confirm", "dropped_parents");
    const res = await app.inject({ method: "POST", url: `/directives/${directiveId}/activate`, headers: { cookie: office.cookieHeader, "content-type": "application/x-www-form-urlencoded" }, payload: form.toString() });
    expect(res.statusCode).toBe(303);
    expect(String(res.headers.location)).toMatch(new RegExp(`^/directives/${directiveId}/board\\?ok=activated&reached=0&of=\\d+$`));
    // The board says truthfully that nobody can be reminded yet.
    const board = await office.get(String(res.headers.location));
    expect(board.body).toMatch(/Đã bắt đầu theo dõi\. 0\/\d+ đơn vị sẽ được nhắc hạn qua tin nhắn; \d+ đơn vị chưa liên lạc được/);
    expect(board.body).not.toContain("Các đơn vị sẽ được giao việc và nhắc hạn");
    const review = await office.get(`/directives/${directiveId}/review`);
    expect(review.statusCode).toBe(303);
    expect(review.headers.location).toBe(`/directives/${directiveId}/board`);
  });

  it("lists the active directive with its progress bar", async () => {
    const res = await office.get("/directives");
    expect(res.body).toMatch(new RegExp(`<tr data-directive="${directiveId}" data-status="active">`));
    expect(res.body).toContain('role="progressbar"');
    expect(res.body).toContain("Đang theo dõi");
    expect(res.body).toContain("Nháp, chờ duyệt");
  });

  it("names each directive by its short name and subject, never “(chưa có số)”, as cards on a phone", async () => {
    const res = await office.get("/directives");
    expect(res.body).not.toContain("chưa có số");
    const row = new RegExp(`<tr data-directive="${directiveId}" data-status="active">([\\s\\S]*?)</tr>`).exec(res.body)?.[1] ?? "";
    expect(row).toContain("<strong>TB 05/6</strong>");
    expect(text(row)).toContain("KẾT LUẬN CỦA BAN THƯỜNG VỤ ĐẢNG ỦY");
    expect(text(row)).toMatch(/Thông báo[^<]* ngày 05\/06\/2020/);
    expect(row).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // The progress text is whole (never cut), and under 640 px each row is a card: no sideways scroll.
    expect(text(row)).toMatch(/\d+\/\d+ việc hoàn thành/);
    expect(res.body).toContain('<table class="dlist">');
    expect(res.body).toMatch(/@media \(max-width:640px\)\{\.dlist,\.dlist tbody,\.dlist tr,\.dlist td\{display:block;width:100%\}\.dlist thead\{display:none\}/);
    expect(res.body).not.toContain('<div class="scroll"><table class="dlist">');
    // Every imported directive has a name, the Word one too.
    for (const m of res.body.matchAll(/<td class="dname"><a href="[^"]+"><strong>([^<]*)<\/strong>/g)) expect(m[1]?.trim()).not.toBe("");
  });

  it("answers 404 for an unknown or malformed directive id", async () => {
    expect((await office.get("/directives/00000000-0000-4000-8000-000000000000/review")).statusCode).toBe(404);
    expect((await office.get("/directives/not-an-id/review")).statusCode).toBe(404);
  });


  describe("after chat reports", () => {
    const DOAN = "Đoàn TNCS Hồ Chí Minh";
    let ccbId = "";
    let doanId = "";

    beforeAll(async () => {
      const units = await store.units.list(orgId);
      ccbId = units.find((u) => u.name === CCB)?.id ?? "";
      doanId = units.find((u) => u.name === DOAN)?.id ?? "";
      expect(ccbId).not.toBe("");
      expect(doanId).not.toBe("");
      let n = 0;
      const cadre = async (fullName: string, unitId: string, externalId: string) => {
        const person = await store.persons.create({ orgId, fullName, roles: ["cadre"] });
        await store.persons.addMembership({ orgId, personId: person.id, unitId });
        const identity = await store.chats.upsertIdentity({ orgId, channel: "simulator", externalId });
        await store.chats.linkIdentity(orgId, identity.id, person.id, clock.now());
      };
      const say = async (externalId: string, at: string, message: string) => {
        clock.set(at);
        n += 1;
        await conversation.handle({ orgId, channel: "simulator", threadId: externalId, threadKind: "direct", senderId: externalId, messageId: `w${n}`, text: message, sentAt: new Date(at) });
      };
      await cadre("Trần Văn An", ccbId, "ccb");
      await cadre("Lê Thị Bình", doanId, "doan");
      await say("ccb", "2020-06-22T02:00:00Z", "bc 1 đang làm 80% <script>alert(1)</script>");
      await say("ccb", "2020-06-24T02:00:00Z", "bc 3 vướng kinh phí, đề nghị UBND hỗ trợ");
      await say("doan", "2020-06-25T02:00:00Z", "bc 6.1 xong");
      clock.set("2020-07-03T01:00:00Z");
      // Weeks later: the morning's sessions have long expired.
      await office.signIn("vanphong", "mat-khau-du-dai");
      await leader.signIn("lanhdao", "mat-khau-du-dai");
    });

    const cell = (body: string, ref: string, unit: string) => new RegExp(`<td class="cell c-([a-z_]+)" data-cell="${ref.replace(".", "\\.")}\\|${unit}" data-class="([a-z_]+)" title="([^"]*)">`).exec(body);

    it("colours each cell by its class, with a legend, counts and the last report escaped on hover and tap", async () => {
      const res = await office.get(`/directives/${directiveId}/board`);
      expect(res.statusCode).toBe(200);
      // Named as chat names it, so the office and the leaders speak of the same "TB 05/6".
      expect(res.body).toContain("<h1>Bảng theo dõi TB 05/6: Thông báo kết luận ngày 05/06/2020");
      const one = cell(res.body, "1", CCB);
      expect(one?.[1]).toBe("in_progress");
      expect(one?.[2]).toBe("in_progress");
      expect(one?.[3]).toContain("Trần Văn An");
      expect(one?.[3]).toContain("22/06/2020 09:00");
      // The report as stored (the command word stripped), its markup shown as text.
      expect(one?.[3]).toContain("đang làm 80% &lt;script&gt;alert(1)&lt;/script");
      expect(res.body).not.toContain("<script>alert(1)");
      expect(res.body).toMatch(/<q>đang làm 80% &lt;script&gt;alert\(1\)&lt;\/script(&gt;)?<\/q>/);
      expect(res.body).toContain("<details><summary>Đang thực hiện 80%</summary>");
      expect(cell(res.body, "3", CCB)?.[2]).toBe("blocked");
      expect(cell(res.body, "6.1", DOAN)?.[2]).toBe("done_on_time");
      expect(cell(res.body, "6.2", CCB)?.[2]).toBe("overdue");
      expect(cell(res.body, "1", DOAN)?.[2]).toBe("not_reported");
      for (const label of ["Hoàn thành đúng hạn", "Hoàn thành trễ hạn", "Đang thực hiện", "Vướng mắc", "Quá hạn", "Chưa báo cáo"]) expect(res.body).toContain(label);
      expect(res.body).toMatch(/\.c-overdue\{background:#FFC7CE;color:#9C0006\}/);
      expect(res.body).toMatch(/data-count="blocked">Vướng mắc: <b>1<\/b>/);
      expect(res.body).toMatch(/data-count="done_on_time">Hoàn thành đúng hạn: <b>1<\/b>/);
      expect(res.body).toContain(`href="/directives/${directiveId}/board.xlsx"`);
      expect(res.body).toContain("Tải bảng (Excel)");
      expect(res.body).toContain(`href="/directives/${directiveId}/report.docx"`);
      expect(res.body).toContain("Dự thảo báo cáo (Word)");
      expect(res.body).toContain('<div class="scroll"><table class="board">');
      // Leaders read the board too.
      expect((await leader.get(`/directives/${directiveId}/board`)).statusCode).toBe(200);
    });

    it("filters by unit and by status", async () => {
      const byUnit = await office.get(`/directives/${directiveId}/board?unit=${ccbId}`);
      expect(byUnit.statusCode).toBe(200);
      const cells = [...byUnit.body.matchAll(/data-cell="[^|"]+\|([^"]+)"/g)].map((m) => m[1]);
      expect(cells.length).toBeGreaterThan(3);
      expect(new Set(cells)).toEqual(new Set([CCB]));
      expect(byUnit.body).toContain(`<option value="${ccbId}" selected>`);

      const overdue = await office.get(`/directives/${directiveId}/board?status=overdue`);
      const classes = [...overdue.body.matchAll(/data-class="([a-z_]+)"/g)].map((m) => m[1]);
      expect(classes.length).toBeGreaterThan(0);
      expect(new Set(classes)).toEqual(new Set(["overdue"]));
      expect(cell(overdue.body, "6.2", CCB)).not.toBeNull();

      const both = await office.get(`/directives/${directiveId}/board?unit=${doanId}&status=done_on_time`);
      expect([...both.body.matchAll(/data-cell="([^"]+)"/g)].map((m) => m[1])).toEqual([`6.1|${DOAN}`]);

      const none = await office.get(`/directives/${directiveId}/board?unit=${doanId}&status=blocked`);
      expect(none.body).toContain("Không có ô nào khớp bộ lọc.");

      // Nonsense filters are ignored, not errors.
      const junk = await office.get(`/directives/${directiveId}/board?unit=x&status=%3Cb%3E`);
      expect(junk.statusCode).toBe(200);
      expect(cell(junk.body, "6.1", DOAN)).not.toBeNull();
    });

    it("lays the board out for every screen: short unit names over compact cells, and cards for a phone", async () => {
      const res = await office.get(`/directives/${directiveId}/board`);
      // The header abbreviates, the full name on hover.
      expect(res.body).toContain(`<a href="/units/${ccbId}" title="${CCB}"><abbr title="${CCB}">Hội CCB</abbr></a>`);
      expect(res.body).toContain(`<abbr title="${DOAN}">Đoàn TN</abbr>`);
      // A matrix cell: a chip and the short timing; the full label stays on hover.
      expect(res.body).toContain('<summary><span class="chip">Đang làm 80%</span><span class="when">còn 181 ngày</span></summary>');
      expect(cell(res.body, "1", CCB)?.[3]).toContain("Đang thực hiện 80% · hạn 31/12/2020 (còn 181 ngày)");
      // The phone's cards: one per unit of the board (the default), each line the status in full.
      const units = [...res.body.matchAll(/data-card="unit" data-card-unit="([^"]+)"/g)].map((m) => m[1]);
      const columns = [...res.body.matchAll(/<th scope="col" class="unit"><a href="\/units\/[^"]+" title="([^"]+)"/g)].map((m) => m[1]);
      expect(columns.length).toBeGreaterThan(3);
      expect(units).toEqual(columns);
      expect(res.body).toContain(`data-entry="6.1|${DOAN}" data-status="done_on_time"`);
      expect(res.body).not.toContain('data-card="item"');
      // …or one per item, the switch keeping the filters.
      const items = await office.get(`/directives/${directiveId}/board?unit=${ccbId}&view=items`);
      const refs = [...items.body.matchAll(/data-card="item" data-card-item="([^"]+)"/g)].map((m) => m[1]);
      expect(refs).toEqual([...items.body.matchAll(/<tr data-item="([^"]+)">/g)].map((m) => m[1]));
      expect(refs).toContain("6.2");
      expect(items.body).not.toContain('data-card="unit"');
      expect(items.body).toContain(`href="/directives/${directiveId}/board?unit=${ccbId}">Đơn vị</a>`);
      expect(items.body).toContain('<input type="hidden" name="view" value="items">');
      expect(items.body).toContain(`href="/directives/${directiveId}/board?unit=${ccbId}&amp;status=overdue&amp;view=items"`);
    });

    it("shows one unit's work across active directives", async () => {
      const res = await office.get(`/units/${ccbId}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain("Việc của Hội Cựu chiến binh");
      expect(cell(res.body, "1", CCB)?.[2]).toBe("in_progress");
      expect(cell(res.body, "6.2", CCB)?.[2]).toBe("overdue");
      expect(res.body).not.toContain("<script>alert(1)");
      expect(res.body).not.toContain(`|${DOAN}"`);
      expect((await office.get("/units/00000000-0000-4000-8000-000000000000")).statusCode).toBe(404);
    });

    it("downloads the board as XLSX and the report draft as DOCX", async () => {
      const xlsx = await office.get(`/directives/${directiveId}/board.xlsx`);
      expect(xlsx.statusCode).toBe(200);
      expect(xlsx.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
      expect(String(xlsx.headers["content-disposition"])).toMatch(/^attachment; filename="[\x20-\x7e]+\.xlsx"; filename\*=UTF-8''[^\s"]+\.xlsx$/);
      expect(String(xlsx.headers["content-disposition"])).toContain(encodeURIComponent("Bảng theo dõi"));
      expect(xlsx.rawPayload.length).toBeGreaterThan(1000);
      expect(xlsx.rawPayload.subarray(0, 2).toString("latin1")).toBe("PK");

      const docx = await leader.get(`/directives/${directiveId}/report.docx`);
      expect(docx.statusCode).toBe(200);
      expect(docx.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
      expect(String(docx.headers["content-disposition"])).toMatch(/^attachment; filename="[\x20-\x7e]+\.docx"; filename\*=UTF-8''[^\s"]+\.docx$/);
      expect(docx.rawPayload.length).toBeGreaterThan(1000);
      expect(docx.rawPayload.subarray(0, 2).toString("latin1")).toBe("PK");
    });

    it("sends a draft's board and exports to its review, and unknown ids to 404", async () => {
      const draft = (await store.directives.list(orgId)).find((d) => d.status === "draft");
      expect(draft).toBeDefined();
      const res = await office.get(`/directives/${draft!.id}/board`);
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe(`/directives/${draft!.id}/review`);
      expect((await office.get(`/directives/${draft!.id}/board.xlsx`)).statusCode).toBe(303);
      expect((await office.get("/directives/00000000-0000-4000-8000-000000000000/board")).statusCode).toBe(404);
      expect((await office.get("/directives/nope/report.docx")).statusCode).toBe(404);
    });
  });
});
