import { describe, expect, it } from "vitest";
import {
  findDeadline,
  findRotation,
  NO_DEADLINE,
  resolveDeadline,
  type Deadline,
  type DeadlineContext,
} from "../../src/domain/deadline.ts";
import { fold } from "../../src/domain/text.ts";

type Fields = Omit<Deadline, "text">;

const BLANK: Fields = {
  kind: "none",
  due: null,
  every: null,
  timesPerPeriod: null,
  weekday: null,
  weekOfPeriod: null,
  dayOfPeriod: null,
  time: null,
};

const date = (due: string | null, time: string | null = null): Fields => ({ ...BLANK, kind: "date", due, time });
const month = (due: string | null): Fields => ({ ...BLANK, kind: "month", due });
const quarter = (due: string | null): Fields => ({ ...BLANK, kind: "quarter", due });
const half = (due: string | null): Fields => ({ ...BLANK, kind: "half-year", due });
const year = (due: string | null): Fields => ({ ...BLANK, kind: "year", due });
const every = (e: Fields["every"], more: Partial<Fields> = {}): Fields => ({ ...BLANK, kind: "recurring", every: e, ...more });
const ongoing: Fields = { ...BLANK, kind: "ongoing" };

const SEED_DATE = "2020-06-05";

interface Row {
  phrase: string;
  doc: string | null;
  want: Fields;
  /** Also check the unaccented, lower-case form. */
  ascii?: boolean;
  /** Only a deadline as a whole phrase, not inside running text. */
  alone?: boolean;
}

const r = (phrase: string, doc: string | null, want: Fields, opts: Partial<Row> = {}): Row => ({ phrase, doc, want, ...opts });
const A = { ascii: true };

const ROWS: Row[] = [
  // months
  r("trong tháng 6 năm 2020", SEED_DATE, month("2020-06-30"), A),
  r("tháng 6/2020", SEED_DATE, month("2020-06-30"), A),
  r("tháng 3/2024", null, month("2024-03-31"), A),
  r("Tháng 02/2024", null, month("2024-02-29"), A),
  r("tháng 06-2020", null, month("2020-06-30")),
  r("trong tháng 6", SEED_DATE, month("2020-06-30"), A),
  r("xong trong tháng 12/2018", "2018-10-12", month("2018-12-31"), A),
  r("trước tháng 3/2019", null, month("2019-02-28"), A),
  r("trước tháng 1/2020", null, month("2019-12-31"), A),
  r("cuối tháng 9", SEED_DATE, month("2020-09-30"), A),
  r("trong tháng 1", "2019-12-20", month("2020-01-31"), A),
  r("trong tháng 6", null, month(null)),
  r("tháng 6", SEED_DATE, month("2020-06-30"), { alone: true }),
  // half-years
  r("6 tháng cuối năm 2020", SEED_DATE, half("2020-12-31"), A),
  r("6 tháng đầu năm", SEED_DATE, half("2020-06-30"), A),
  r("06 tháng đầu năm", SEED_DATE, half("2020-06-30"), A),
  r("trong 6 tháng cuối năm 2020", null, half("2020-12-31"), A),
  r("sáu tháng đầu năm 2021", null, half("2021-06-30"), A),
  r("6 tháng cuối năm", null, half(null)),
  r("giữa năm 2019", null, half("2019-06-30"), A),
  r("giữa năm", SEED_DATE, half("2020-06-30"), A),
  r("trước giữa năm 2021", null, half("2021-06-30"), A),
  r("giữa năm", null, half(null)),
  // quarters
  r("quý III/2023", null, quarter("2023-09-30"), A),
  r("quý I-2019", null, quarter("2019-03-31"), A),
  r("trong quý 3", SEED_DATE, quarter("2020-09-30"), A),
  r("quý 4 năm 2022", null, quarter("2022-12-31"), A),
  r("quý II năm 2021", null, quarter("2021-06-30"), A),
  r("trong quý IV", "2023-11-23", quarter("2023-12-31"), A),
  r("trước quý III/2023", null, quarter("2023-06-30"), A),
  r("quý 2", null, quarter(null)),
  // dates
  r("trước ngày 15/7/2023", null, date("2023-07-15"), A),
  r("chậm nhất ngày 15 tháng 7 năm 2023", null, date("2023-07-15"), A),
  r("chậm nhất là ngày 15/7/2023", null, date("2023-07-15"), A),
  r("hạn 15/07", "2023-06-01", date("2023-07-15"), A),
  r("hạn chót: 31/12/2023", null, date("2023-12-31"), A),
  r("hoàn thành trước ngày 10/12/2023", "2023-11-23", date("2023-12-10"), A),
  r("xong trước 20/01/2019", "2018-10-12", date("2019-01-20"), A),
  r("hoàn thành trước 15/3/2019", null, date("2019-03-15")),
  r("vào ngày 09/10/2023", null, date("2023-10-09"), A),
  r("đến hết ngày 31/12/2023", null, date("2023-12-31"), A),
  r("trước 30/6", SEED_DATE, date("2020-06-30"), A),
  r("trước ngày 15/7", null, date(null)),
  r("trước ngày 15/1", "2019-12-20", date("2020-01-15")),
  r("chậm nhất ngày 29/2/2024", null, date("2024-02-29")),
  r("trước 14 giờ ngày 05/12/2017", null, date("2017-12-05", "14:00"), A),
  r("trước 14h ngày 05/12/2017", null, date("2017-12-05", "14:00"), A),
  r("trước 14 giờ 30 ngày 05/12/2017", null, date("2017-12-05", "14:30"), A),
  r("trước 8h30 ngày 5/12/2017", null, date("2017-12-05", "08:30")),
  r("ngày 20/6/2020 lúc 14 giờ", null, date("2020-06-20", "14:00")),
  r("từ ngày 09/10/2023 đến hết ngày 11/10/2023", null, date("2023-10-11"), A),
  r("từ ngày 18/8 đến ngày 20/8/2022", null, date("2022-08-20"), A),
  r("từ ngày 01/9/2022 đến hết ngày 03/9/2022", null, date("2022-09-03")),
  r("từ thứ Năm ngày 01/9/2022 đến Chủ nhật ngày 04/9/2022", null, date("2022-09-04"), A),
  r("từ 18 đến 20/8", "2022-08-01", date("2022-08-20")),
  r("15/7/2023", null, date("2023-07-15")),
  r("5/7/2023", null, date("2023-07-05")),
  r("15-7-2023", null, date("2023-07-15")),
  r("15.07.2023", null, date("2023-07-15")),
  r("ngày 05 tháng 6 năm 2020", null, date("2020-06-05"), A),
  r("ngày 15/7", SEED_DATE, date("2020-07-15")),
  r("30/6", SEED_DATE, date("2020-06-30"), { alone: true }),
  // years
  r("cuối năm", SEED_DATE, year("2020-12-31"), A),
  r("cuối năm", null, year(null)),
  r("trong năm 2021", null, year("2021-12-31"), A),
  r("năm 2021", null, year("2021-12-31")),
  r("cuối năm 2023", null, year("2023-12-31")),
  r("trước năm 2025", null, year("2024-12-31")),
  // recurrences
  r("hàng tuần", null, every("week"), A),
  r("hằng tuần", null, every("week"), A),
  r("mỗi tuần", null, every("week"), A),
  r("hàng tháng", null, every("month"), A),
  r("hằng tháng", null, every("month")),
  r("định kỳ hàng quý", null, every("quarter"), A),
  r("hàng quý", null, every("quarter")),
  r("hàng năm", null, every("year"), A),
  r("hằng năm", null, every("year")),
  r("mỗi tháng 02 lần", null, every("month", { timesPerPeriod: 2 }), A),
  r("mỗi tháng/02 lần", null, every("month", { timesPerPeriod: 2 }), A),
  r("mỗi tháng hai lần", null, every("month", { timesPerPeriod: 2 }), A),
  r("02 lần/tháng", null, every("month", { timesPerPeriod: 2 })),
  r("3 lần mỗi tuần", null, every("week", { timesPerPeriod: 3 })),
  r("vào thứ 5 hàng tuần", null, every("week", { weekday: 4 }), A),
  r("thứ hai hàng tuần", null, every("week", { weekday: 1 }), A),
  r("chủ nhật hàng tuần", null, every("week", { weekday: 0 }), A),
  r("hàng tuần vào thứ 6", null, every("week", { weekday: 5 })),
  r("chủ nhật cuối cùng hằng tháng", null, every("month", { weekday: 0, weekOfPeriod: -1 }), A),
  r("thứ bảy tuần thứ hai hàng tháng", null, every("month", { weekday: 6, weekOfPeriod: 2 }), A),
  r("tuần đầu tiên hàng tháng", null, every("month", { weekOfPeriod: 1 })),
  r("chậm nhất là ngày 07 hàng tháng", null, every("month", { dayOfPeriod: 7 }), A),
  r("ngày 25 hằng tháng", null, every("month", { dayOfPeriod: 25 })),
  r("trước 16 giờ thứ 6 hàng tuần", null, every("week", { weekday: 5, time: "16:00" }), A),
  r("định kỳ", null, every(null), A),
  r("Ngày 03; 10; 17; 24; 31 (Thứ 5)", "2025-07-01", every("week", { weekday: 4 })),
  // ongoing
  r("thường xuyên", null, ongoing, A),
  r("Thường xuyên", null, ongoing),
  r("kịp thời", null, ongoing, A),
];

const ctxOf = (doc: string | null): DeadlineContext => ({ documentDate: doc });

describe("resolveDeadline: phrase table", () => {
  it("covers at least 70 phrases, half of them also without diacritics", () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(70);
    expect(ROWS.filter((x) => x.ascii).length * 2).toBeGreaterThanOrEqual(ROWS.length);
  });

  it.each(ROWS)("$phrase (doc $doc)", ({ phrase, doc, want }) => {
    expect(resolveDeadline(phrase, ctxOf(doc))).toEqual({ ...want, text: phrase });
  });

  it.each(ROWS.filter((x) => x.ascii))("unaccented: $phrase", ({ phrase, doc, want }) => {
    const plain = fold(phrase);
    expect(plain).not.toBe(phrase);
    expect(resolveDeadline(plain, ctxOf(doc))).toEqual({ ...want, text: plain });
  });

  it.each(ROWS.filter((x) => !x.alone))("inside a sentence: $phrase", ({ phrase, doc, want }) => {
    const sentence = `Các đơn vị triển khai ${phrase} theo kế hoạch.`;
    expect(findDeadline(sentence, ctxOf(doc))).toEqual({ ...want, text: phrase });
  });

  const odd = [
    "trong tháng 6 năm 2020",
    "quý III/2023",
    "chậm nhất ngày 15 tháng 7 năm 2023",
    "từ ngày 09/10/2023 đến hết ngày 11/10/2023",
    "chủ nhật cuối cùng hằng tháng",
    "Thường xuyên",
    "6 tháng cuối năm 2020",
    "đến hết ngày 31/12/2023",
  ];
  it.each(odd)("NFD, UPPER CASE and both: %s", (phrase) => {
    const row = ROWS.find((x) => x.phrase === phrase);
    expect(row).toBeDefined();
    if (!row) return;
    for (const variant of [phrase.normalize("NFD"), phrase.toUpperCase(), phrase.toUpperCase().normalize("NFD")]) {
      expect(variant).not.toBe(phrase);
      expect(resolveDeadline(variant, ctxOf(row.doc))).toEqual({ ...row.want, text: variant });
      const found = findDeadline(`Giao các đơn vị ${variant}.`, ctxOf(row.doc));
      expect(found).toEqual({ ...row.want, text: variant });
    }
  });

  it.each([
    ["Truoc ngay 15/7/2023", date("2023-07-15")],
    ["CHAM NHAT LA NGAY 07 HANG THANG", every("month", { dayOfPeriod: 7 })],
    ["Trong Thang 6 Nam 2020", month("2020-06-30")],
    ["Quy I-2019", quarter("2019-03-31")],
    ["Hang tuan", every("week")],
    ["vao thu 5 hang tuan", every("week", { weekday: 4 })],
    ["Thuong xuyen", ongoing],
    ["mot thang hai lan", BLANK],
  ])("hand-written unaccented: %s", (phrase, want) => {
    const got = resolveDeadline(phrase, ctxOf(SEED_DATE));
    if (want.kind === "none") expect(got).toBeNull();
    else expect(got).toEqual({ ...want, text: phrase });
  });

  it("trims the phrase it returns as text", () => {
    expect(resolveDeadline("  hạn 15/07  \n", ctxOf("2023-06-01"))?.text).toBe("hạn 15/07");
  });
});

describe("invalid or empty input", () => {
  it.each([
    "31/2/2020",
    "ngày 31 tháng 2 năm 2020",
    "trước ngày 32/1/2020",
    "29/2/2023",
    "30/02",
    "tháng 13/2020",
    "quý V/2020",
    "",
    "   ",
    "Tăng cường công tác tuyên truyền",
    "Quyết định 142/2008/QĐ-TTg",
    "6 tháng",
    "Cách mạng tháng Tám",
    "ngày 27/10/2008 của Thủ tướng theo Quyết định số 142/2008/QĐ-TTg".slice(30),
  ])("%j holds no deadline", (phrase) => {
    expect(resolveDeadline(phrase, ctxOf(SEED_DATE))).toBeNull();
    expect(findDeadline(phrase, ctxOf(SEED_DATE))).toEqual(NO_DEADLINE);
  });

  it("does not take a loose month or day/month inside running text", () => {
    expect(findDeadline("Tháng 7 | Nguyễn Thị Thống | Chủ tịch", ctxOf(SEED_DATE))).toEqual(NO_DEADLINE);
    expect(findDeadline("chào mừng ngày Giải phóng Thủ đô 10/10", ctxOf(SEED_DATE))).toEqual(NO_DEADLINE);
  });

  it("returns a fresh copy of NO_DEADLINE", () => {
    const a = findDeadline("không có hạn", ctxOf(null));
    expect(a).toEqual(NO_DEADLINE);
    expect(a).not.toBe(NO_DEADLINE);
    expect(Object.isFrozen(NO_DEADLINE)).toBe(true);
  });

  it("ignores a malformed document date", () => {
    expect(resolveDeadline("trong tháng 6", ctxOf("05/06/2020"))).toEqual({ ...month(null), text: "trong tháng 6" });
  });
});

// ---------------------------------------------------------------------------------------------
// The seed: Thông báo kết luận, 2020-06-05

const SEED = {
  1: "1. Căn cứ chương trình công tác, các chỉ tiêu và các tiêu chí thi đua của tổ chức mình; Mặt trận các đoàn thể CTXH chủ động xây dựng Kế hoạch tổ chức triển khai thực hiện các nhiệm vụ còn lại trong 6 tháng cuối năm 2020.",
  2: `2. Tăng cường công tác tuyên truyền, vận động các tầng lớp nhân dân, cán bộ hội viên, đoàn viên tích cực tham gia các cuộc vận động, các phong trào thi đua yêu nước bằng nhiều hình thức phù hợp. Nhất là phát huy vai trò nêu gương của người đứng đầu trong việc sử dụng các trang mạng xã hội như facebook, zalo... để tuyên truyền chủ trương, chính sách của đảng, pháp luật của nhà nước; các mô hình hay, hành động đẹp, các bài viết quảng bá hình ảnh địa phương trên cổng thông tin phường để tạo sự lan tỏa sâu rộng đến cán bộ hội viên, đoàn viên.

Đối với phong trào ngày chủ nhật xanh, hàng tuần đội ngũ cán bộ, công chức và bán chuyên trách phường chia làm 02 tổ (Do các đồng chí trong Ban thường vụ chủ trì) luân phiên nhau, mỗi tổ sẽ đảm nhận 01 tuần; mỗi tháng/02 lần/ tổ. Các tổ sẽ trực tiếp về tại 01 tổ dân phố (Trên cơ sở thống nhất giữa UBND phường và UBMTTQVN phường) để tập trung ra quân thực hiện cùng bà con nhân dân tại tổ dân phố đó. Còn các tổ dân phố còn lại chủ động vận động bà con nhân dân thực hiện “60 phút sạch nhà, đẹp ngõ” tại gia đình, tuyến đường mình ở.`,
  3: `3. Tăng cường vai trò lãnh đạo của cấp ủy Đảng trong việc phát huy quyền làm chủ của nhân dân. Theo đó, Mặt trận, các đoàn thể CTXH từ phường chủ động bám sát cơ sở là các tổ dân phố để kịp thời nắm bắt diễn biến tư tưởng, nguyện vọng chính đáng của đội ngũ cán bộ, đảng viên, các tầng lớp nhân dân để phản ánh cho cấp ủy

Đảng, Chính quyền lãnh đạo thực hiện thắng lợi các nhiệm vụ chính trị của địa phương.`,
  4: `4. Thường xuyên chăm lo, bảo vệ quyền lợi, lợi ích chính đáng của đoàn viên, hội viên mình; Đồng thời gắn quyền lợi đi đôi với nghĩa vụ trong việc tham gia hội họp, các hoạt động, các cuộc vận động do địa phương phát động.

Riêng đối với kiến nghị của Hội CCB phường về đề nghị giải quyết chế độ mai táng phí cho hội viên cựu chiến binh thuộc đối tượng theo Quyết định 142/2008/QĐ-TTg, ngày ngày 27/10/2008 về thực hiện chế độ đối với quân nhân tham gia kháng chiến chống Mỹ cứu nước có dưới 20 năm công tác trong quân đội đã phục viên, xuất ngũ về địa phương nay đã từ trần, Ban Thường vụ Đảng ủy thống nhất giao trách nhiệm cho UBND phường phối hợp với Hội cựu chiến binh đăng ký làm việc với lãnh đạo UBND thị xã, các phòng ban liên quan và đại diện gia đình hội viên để giải quyết theo đúng thẩm quyền. Yêu cầu chủ tịch Hội cựu chiến binh phường không được gửi đơn vượt cấp, trái thẩm quyền khi chưa được sự đồng ý của Đảng ủy.`,
  5: "5. Tăng cường công tác phối hợp giữa UBND phường với Mặt trận và các đoàn thể CTXH trong các hoạt động của địa phương, tránh hiện tượng cấp dưới, cấp trên; và thái độ ứng xử thiếu tinh thần trách nhiệm của một số cán bộ công chức trong thực hiện nhiệm vụ chung.",
  6: `6. Tiếp tục quan tâm xây dựng, củng cố tổ chức của Mặt trận và các Đoàn thể. Theo đó, trong tháng 6 năm 2020:

- Đoàn TNCS Hồ Chí Minh phường hoàn thành việc kiện toàn nhân sự Phó Bí thư Đoàn phường.

- Các đoàn thể CTXH phường hoàn thành việc rà soát, thống kê chính xác số liệu hội viên, đoàn viên thực tế của tổ chức mình. Báo cáo cụ thể cho hội cấp trên và Đảng ủy được rõ.`,
  7: "7. Thường xuyên đổi mới nội dung, phương thức hoạt động của Mặt trận và các đoàn thể, nhất là nâng cao tính chủ động tham mưu trong mọi công việc và khắc phục dần tình trạng hành chính hóa.",
  8: "8. Ủy ban Mặt trận Tổ quốc Việt Nam phường chủ trì, phối hợp với các tổ chức chính trị xã hội tiếp tục tăng cường thực hiện tốt Quyết định số 217-QĐ/TW về ban hành Quy chế “Mặt trận tổ quốc Việt Nam, các đoàn thể chính trị - xã hội và nhân dân tham gia góp ý xây dựng Đảng, xây dựng chính quyền”; và Quyết định số 218-QĐ/TW của Ban chấp hành Trung ương khóa XI về “Giám sát và phản biện xã hội của Mặt trận tổ quốc Việt Nam và các đoàn thể chính trị - xã hội”.",
} as const;

describe("findDeadline: seed items (document date 2020-06-05)", () => {
  const ctx = ctxOf(SEED_DATE);
  it.each([
    [1, { ...half("2020-12-31"), text: "trong 6 tháng cuối năm 2020" }],
    [2, { ...every("week"), text: "hàng tuần" }],
    [3, { ...ongoing, text: "kịp thời" }],
    [4, { ...ongoing, text: "Thường xuyên" }],
    [5, { ...NO_DEADLINE }],
    [6, { ...month("2020-06-30"), text: "trong tháng 6 năm 2020" }],
    [7, { ...ongoing, text: "Thường xuyên" }],
    [8, { ...NO_DEADLINE }],
  ] as const)("item %i", (n, want) => {
    expect(findDeadline(SEED[n], ctx)).toEqual(want);
  });

  it("item 2 in NFD and without diacritics", () => {
    expect(findDeadline(SEED[2].normalize("NFD"), ctx)).toEqual({ ...every("week"), text: "hàng tuần".normalize("NFD") });
    expect(findDeadline(fold(SEED[2]), ctx)).toEqual({ ...every("week"), text: "hang tuan" });
  });

  it("item 4 ignores the cited Quyết định date", () => {
    const citation = SEED[4].slice(SEED[4].indexOf("Riêng"));
    expect(findDeadline(citation, ctx)).toEqual(NO_DEADLINE);
  });

  it("finds the rotation of item 2", () => {
    expect(findRotation(SEED[2])).toEqual({
      teams: 2,
      turn: "week",
      text: "chia làm 02 tổ (Do các đồng chí trong Ban thường vụ chủ trì) luân phiên nhau, mỗi tổ sẽ đảm nhận 01 tuần",
    });
    expect(findRotation(fold(SEED[2]))?.teams).toBe(2);
    expect(findRotation(SEED[1])).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Shared fixtures (/work/shared/fixtures/directives/*.expected.json), item text → deadline

interface FixtureCase {
  name: string;
  text: string;
  doc: string | null;
  want: Deadline;
}

const fx = (name: string, doc: string | null, text: string, want: Fields, phrase: string | null): FixtureCase => ({
  name,
  doc,
  text,
  want: { ...want, text: phrase },
});

const FIXTURES: FixtureCase[] = [
  fx(
    "01 ¶3",
    "2014-06-04",
    "Trung tâm Văn hóa Quận 9 đề nghị Phó Chủ tịch Văn xã Ủy ban nhân dân 13 phường đôn đốc và tạo điều kiện cho Ban VHTT phường thực hiện nghiêm công tác thông tin báo cáo định kỳ (tháng, quý, 6 tháng, 9 tháng,năm) gửi về Văn phòng Trung tâm Văn hóa Quận 9 chậm nhất là ngày 07 hàng tháng.",
    every("month", { dayOfPeriod: 7 }),
    "chậm nhất là ngày 07 hàng tháng",
  ),
  fx(
    "04 ¶2",
    null,
    "Uỷ ban nhân dân phường Nam Đồng thông báo và đề nghị các tổ chức, cơ quan, đơn vị, doanh nghiệp, trường học, tổ dân phố và nhân dân trên địa bàn phường treo cờ Tổ quốc từ ngày 09/10/2023 đến hết ngày 11/10/2023.",
    date("2023-10-11"),
    "từ ngày 09/10/2023 đến hết ngày 11/10/2023",
  ),
  fx(
    "04 ¶3",
    "2023-10-07",
    "Đề nghị các tổ chức, cơ quan, đơn vị, đóng trên địa bàn phường, các đồng chí cán bộ tổ dân phố đôn đốc nhắc nhở nhân dân trên địa bàn tổ nghiêm túc triển khai thực hiện việc treo cờ Tổ quốc đầy đủ.",
    BLANK,
    null,
  ),
  fx(
    "04 ¶4 (whole, = 4a)",
    "2023-10-07",
    "UBND phường tổ chức đoàn đi kiểm tra công tác treo cờ trên địa bàn phường vào ngày 09/10/2023 và xét vào danh hiệu Tổ dân phố văn hoá cuối năm ./",
    date("2023-10-09"),
    "vào ngày 09/10/2023",
  ),
  fx(
    "04 ¶4b",
    "2023-10-07",
    "và xét vào danh hiệu Tổ dân phố văn hoá cuối năm ./",
    year("2023-12-31"),
    "cuối năm",
  ),
  fx(
    "05 2.a",
    null,
    "- Kỷ niệm Cách mạng tháng Tám: Treo cờ Tổ quốc từ ngày 18/8/2022 đến hết ngày 20/8/2022.",
    date("2022-08-20"),
    "từ ngày 18/8/2022 đến hết ngày 20/8/2022",
  ),
  fx(
    "05 2.b",
    null,
    "- Ngày Quốc khánh: Treo cờ Tổ quốc từ ngày 01/9/2022 đến hết ngày 03/9/2022.",
    date("2022-09-03"),
    "từ ngày 01/9/2022 đến hết ngày 03/9/2022",
  ),
  fx(
    "05 2.c",
    null,
    "Thường xuyên kiểm tra việc treo cờ Tổ quốc phải đúng quy định, đảm bảo tính trang trọng; nghiêm cấm việc treo cờ bị rách, vá, bạc màu hoặc có nhiều đường xếp nếp.",
    ongoing,
    "Thường xuyên",
  ),
  fx(
    "05 3",
    null,
    "Giao Công chức Văn hóa-Xã hội theo dõi, hướng dẫn, kiểm tra nhắc nhở việc treo cờ Tổ quốc đảm bảo theo đúng quy định.",
    BLANK,
    null,
  ),
  fx(
    "05 4.a",
    null,
    "Trưởng các ban, ngành, đoàn thể phường, Trưởng các khóm, chỉ đạo thực hiện tốt vệ sinh cơ quan, nơi công cộng, trang trí nhà cửa, làm sạch đường phố, khu dân cư,… tạo mỹ quan và môi trường sáng, xanh, sạch, đẹp.",
    BLANK,
    null,
  ),
  // 05 4.b: the annotation resolves "trong các ngày nghỉ lễ" from position 1 of the notice;
  // without that holiday break in the context (holidayEnd) the sentence alone has no deadline
  // (with it, see "findDeadline: the document's holiday break").
  fx(
    "05 4.b (cross-reference, see note)",
    null,
    "Thực hiện tốt việc trực lãnh đạo, trực cơ quan trong các ngày nghỉ lễ tăng cường các biện pháp giữ gìn an ninh chính trị, trật tự an toàn xã hội, phòng chống cháy nổ.",
    BLANK,
    null,
  ),
  // 08: the annotation also gives recurring items a due (end of the schedule); by the contract
  // a recurrence has due null, so only kind/every/weekday/text are compared.
  fx(
    "08 I.1",
    null,
    "Chủ tịch UBND xã Tây Sơn trực tiếp tiếp công dân định kỳ vào thứ 5 hàng tuần tại Phòng tiếp công dân của UBND xã (nếu ngày tiếp công dân định kỳ trùng vào ngày Lễ, Tết thì sẽ tiếp vào ngày làm việc kế tiếp theo)",
    every("week", { weekday: 4 }),
    "vào thứ 5 hàng tuần",
  ),
  ...[
    ["7", "Ngày 03; 10; 17; 24; 31 (Thứ 5)"],
    ["8", "Ngày 07; 14; 21; 28 (Thứ 5)"],
    ["9", "Ngày 04; 11; 18; 25 (Thứ 5)"],
    ["10", "Ngày 02; 9; 16; 23; 30 (Thứ 5)"],
    ["11", "Ngày 06; 13; 20; 27 (Thứ 5)"],
    ["12", "Ngày 04;11;18; 25 (Thứ 5)"],
  ].map(([m, cell]) =>
    fx(`08 bảng tháng ${m}`, null, `Tháng ${m} | Nguyễn Thị Thống | Chủ tịch | ${cell} |`, every("week", { weekday: 4 }), cell ?? ""),
  ),
  // 08 I.2: the annotation's phrase runs on ("… trong năm"); the ongoing word is what is found.
  fx(
    "08 I.2",
    null,
    "UBND xã phân công chuyên viên Văn phòng HĐND & UBND xã tiếp công dân thường xuyên trong giờ hành chính vào tất cả các ngày làm việc trong năm.",
    ongoing,
    "thường xuyên",
  ),
  fx(
    "08 I.2 (đột xuất)",
    null,
    "Nếu có các trường hợp vụ việc phức tạp thì Chủ tịch UBND xã tiếp công dân đột xuất",
    BLANK,
    null,
  ),
  fx(
    "09 1",
    "2023-11-23",
    "Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp các đơn vị, địa phương liên quan nghiên cứu, đề xuất UBND tỉnh xem xét theo quy định; hoàn thành trước ngày 10/12/2023./.",
    date("2023-12-10"),
    "hoàn thành trước ngày 10/12/2023",
  ),
  fx(
    "11 1",
    "2018-10-12",
    "Ban Thường trực Ủy ban MTTQ huyện Sốp Cộp xây dựng kế hoạch tổ chức Đại hội đại biểu MTTQ Việt Nam các cấp nhiệm kỳ 2019 - 2024. Theo kế hoạch, Ban Thường trực Ủy ban MTTQ cấp xã chỉ đạo Hội nghị Ban công tác Mặt trận ở khu dân cư xong trong tháng 12/2018.",
    month("2018-12-31"),
    "xong trong tháng 12/2018",
  ),
  fx(
    "11 2",
    "2018-10-12",
    "Việc tổ chức đại hội điểm cấp xã được tiến hành xong trước 20/01/2019 để rút kinh nghiệm chung.",
    date("2019-01-20"),
    "xong trước 20/01/2019",
  ),
  fx(
    "11 3",
    "2018-10-12",
    "Sau Đại hội điểm, MTTQ các xã còn lại tiến hành tổ chức Đại hội và hoàn thành trước 15/3/2019.",
    date("2019-03-15"),
    "hoàn thành trước 15/3/2019",
  ),
  fx(
    "11 4",
    "2018-10-12",
    "Dự kiến cấp huyện sẽ hoàn thành việc tổ chức Đại hội trước ngày 22/5/2019.",
    date("2019-05-22"),
    "trước ngày 22/5/2019",
  ),
  fx(
    "11 headline",
    "2018-10-12",
    "Sốp Cộp - Sơn La: Hoàn thành Đại hội MTTQ cấp xã trước tháng 3/2019",
    month("2019-02-28"),
    "trước tháng 3/2019",
  ),
];

describe("findDeadline: shared directive fixtures", () => {
  it.each(FIXTURES)("$name", ({ text, doc, want }) => {
    expect(findDeadline(text, ctxOf(doc))).toEqual(want);
  });
});

describe("findDeadline: long sentences", () => {
  it.each([
    [
      "an exact date beats a quarter and a recurrence",
      "Các đoàn thể báo cáo kết quả hàng tháng; riêng báo cáo quý III/2023 gửi về Văn phòng trước ngày 15/9/2023.",
      null,
      { ...date("2023-09-15"), text: "trước ngày 15/9/2023" },
    ],
    [
      "a recurrence beats an ongoing word",
      "Thường xuyên kiểm tra, báo cáo định kỳ hàng quý về Văn phòng Đảng ủy.",
      null,
      { ...every("quarter"), text: "định kỳ hàng quý" },
    ],
    [
      "a cited plan's date is not a deadline",
      "Căn cứ Kế hoạch số 12/KH-UBND ngày 02/01/2023 của UBND phường, các tổ dân phố kịp thời báo cáo.",
      "2023-01-05",
      { ...ongoing, text: "kịp thời" },
    ],
    [
      "a cited plan's date does not hide the real one",
      "Căn cứ Kế hoạch số 12/KH-UBND ngày 02/01/2023, tổ chức hội nghị vào ngày 20/01/2023.",
      "2023-01-05",
      { ...date("2023-01-20"), text: "vào ngày 20/01/2023" },
    ],
    [
      "a timed date beats a half-year",
      "Tổ chức hội nghị sơ kết 6 tháng đầu năm, thời gian 14 giờ ngày 20/6/2020 tại hội trường.",
      SEED_DATE,
      { ...date("2020-06-20", "14:00"), text: "14 giờ ngày 20/6/2020" },
    ],
    [
      "a month with its lead beats a bare year",
      "Hoàn thiện hồ sơ đại hội nhiệm kỳ năm 2021, hoàn thành trong tháng 3 năm 2021.",
      "2021-01-10",
      { ...month("2021-03-31"), text: "hoàn thành trong tháng 3 năm 2021" },
    ],
    [
      "a per-team frequency yields to the task's own period",
      "Mỗi tuần một tổ trực, mỗi tháng 02 lần/tổ.",
      null,
      { ...every("week"), text: "Mỗi tuần" },
    ],
    [
      "a mid-year session is the end of June, not the whole year",
      "Xây dựng kế hoạch nâng cấp tuyến đường, trình Hội đồng nhân dân phường tại kỳ họp giữa năm 2019.",
      "2019-01-03",
      { ...half("2019-06-30"), text: "giữa năm 2019" },
    ],
    [
      "the first of two ongoing words",
      "Kịp thời nắm bắt tình hình và thường xuyên báo cáo.",
      null,
      { ...ongoing, text: "Kịp thời" },
    ],
  ] as const)("%s", (_label, text, doc, want) => {
    expect(findDeadline(text, ctxOf(doc))).toEqual(want);
  });
});

describe("findDeadline: the document's holiday break", () => {
  const HOLIDAY: DeadlineContext = { documentDate: null, holidayEnd: "2022-09-04" };
  const DUTY = "Thực hiện tốt việc trực lãnh đạo, trực cơ quan trong các ngày nghỉ lễ tăng cường các biện pháp giữ gìn an ninh.";

  it("'trong các ngày nghỉ lễ' resolves to the last day of the break the notice announces", () => {
    expect(findDeadline(DUTY, HOLIDAY)).toEqual({ ...date("2022-09-04"), text: "trong các ngày nghỉ lễ" });
    expect(findDeadline("trực cơ quan trong dịp nghỉ lễ", HOLIDAY)).toEqual({ ...date("2022-09-04"), text: "trong dịp nghỉ lễ" });
    expect(findDeadline(fold(DUTY), HOLIDAY).due).toBe("2022-09-04");
    expect(resolveDeadline("trong các ngày nghỉ lễ", HOLIDAY)?.due).toBe("2022-09-04");
  });

  it("is no deadline when the document announces no break, or an invalid one", () => {
    expect(findDeadline(DUTY, { documentDate: "2022-08-30" })).toEqual(NO_DEADLINE);
    expect(findDeadline(DUTY, { documentDate: null, holidayEnd: null })).toEqual(NO_DEADLINE);
    expect(findDeadline(DUTY, { documentDate: null, holidayEnd: "2022-02-30" })).toEqual(NO_DEADLINE);
  });

  it("yields to anything more specific, and to an ongoing duty", () => {
    expect(findDeadline("Trực cơ quan trong các ngày nghỉ lễ, báo cáo trước ngày 05/9/2022.", HOLIDAY)).toMatchObject({
      kind: "date",
      due: "2022-09-05",
      text: "trước ngày 05/9/2022",
    });
    expect(findDeadline("Thường xuyên kiểm tra, kể cả trong các ngày nghỉ lễ.", HOLIDAY)).toEqual({ ...ongoing, text: "Thường xuyên" });
  });
});

describe("findRotation", () => {
  it.each([
    ["chia thành 3 tổ, luân phiên mỗi tổ 01 tháng", { teams: 3, turn: "month", text: "chia thành 3 tổ, luân phiên mỗi tổ 01 tháng" }],
    ["Cán bộ chia làm ba nhóm luân phiên trực hàng tuần.", { teams: 3, turn: "week", text: "chia làm ba nhóm luân phiên trực hàng tuần" }],
    ["CHIA LÀM HAI TỔ LUÂN PHIÊN, MỖI TỔ MỘT QUÝ", { teams: 2, turn: "quarter", text: "CHIA LÀM HAI TỔ LUÂN PHIÊN, MỖI TỔ MỘT QUÝ" }],
    ["luân phiên giữa 4 tổ, mỗi tổ 1 tuần", { teams: 4, turn: "week", text: "luân phiên giữa 4 tổ, mỗi tổ 1 tuần" }],
    ["chia lam 02 to luan phien nhau, moi to 01 tuan", { teams: 2, turn: "week", text: "chia lam 02 to luan phien nhau, moi to 01 tuan" }],
  ] as const)("%s", (text, want) => {
    expect(findRotation(text)).toEqual(want);
  });

  it.each([
    "chia làm 02 tổ để ra quân", // no rotation
    "luân phiên nhau trực", // no teams
    "chia làm 02 tổ. Luân phiên mỗi tổ 01 tuần", // different sentences
    "",
  ])("no rotation in %j", (text) => {
    expect(findRotation(text)).toBeNull();
  });
});
