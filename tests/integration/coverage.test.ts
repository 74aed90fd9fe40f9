// The coverage report on a known roster and training history, with every expected figure
// written out by hand (the counting rules: docs/decisions/009-coverage-figures.md).
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getUser, lucia } from "~/identity/auth.server";
import { coverageForRequest, reportTurn } from "~/hr/coverage-request.server";
import { createCoverageSnapshots } from "~/hr/coverage-snapshots.server";
import { db } from "~/platform/db.server";
import { readTable } from "~/hr/spreadsheet.server";
import { createUnit, createUser, PASSWORD } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const DAY = 86_400_000;
const NOW = Date.now();
const at = (days: number) => new Date(NOW + days * DAY);
/** The calendar day (Vietnam time) `days` from now, as the report's date inputs take it. */
const day = (days: number) => new Date(NOW + days * DAY + 7 * 3_600_000).toISOString().slice(0, 10);

let server: RunningServer;
let hr: Client;
const courses = { egov: 0, security: 0, payment: 0 };

/**
 * Province T1: department T1.SNV (with its office T1.SNV.VP, two levels down) and communes
 * T1X1 and T1X2. Enrolment dates are days from now; c1/c2 are the cycles of the yearly
 * security course.
 *
 *   An     T1X1  e-gov completed (valid cert); security c1 completed (cert still valid), c2 in progress
 *   Bình   T1X1  e-gov overdue; security c1 completed (cert replaced), c2 completed (valid cert)
 *   Chi    T1X2  payment in progress; security c1 overdue (never completed, so no c2)
 *   Dũng   T1X2  payment completed (cert revoked)
 *   Em     T1.SNV, moved from T1X1: e-gov completed there (valid cert issued at T1X1)
 *   Khánh  T1.SNV  nothing
 *   Giang  T1.SNV.VP  e-gov self-enrolled without due date; payment completed (cert expired)
 *   Hoa    T1.SNV.VP  left: e-gov completed (valid cert), payment overdue — counted nowhere
 */
async function buildProvince() {
  const t1 = await createUnit("T1", undefined, "province");
  const snv = await createUnit("T1.SNV", t1, "agency");
  const vp = await createUnit("T1.SNV.VP", snv, "agency");
  const x1 = await createUnit("T1X1", t1, "commune");
  const x2 = await createUnit("T1X2", t1, "commune");
  const name = async (unit: { id: number }, nameVi: string, approvedHeadcount: number) =>
    db.orgUnit.update({ where: { id: unit.id }, data: { nameVi, nameEn: nameVi, approvedHeadcount } });
  await name(snv, "Sở Nội vụ", 3);
  await name(vp, "Văn phòng Sở Nội vụ", 2);
  await name(x1, "Xã Bản Lầu", 4);
  await name(x2, "Xã Cốc Lếu", 1); // two staff for one approved post: overstaffed

  // HR of T1 lives in another province, so they add nothing to T1's figures.
  const t9 = await createUnit("T9", undefined, "province");
  await createUser("nhansu@t1.vn", t9, [{ role: "hr", unit: t1 }]);
  await createUser("nhansu@t9.vn", t9, [{ role: "hr", unit: t9 }]);

  for (const [key, category] of [["egov", "egov"], ["security", "security"], ["payment", "payment"]] as const) {
    courses[key] = (await db.course.create({ data: { slug: `khoa-${key}`, title: `Khóa ${key}`, category } })).id;
  }
  const yearly = await db.trainingAssignment.create({ data: { courseId: courses.security, orgUnitId: t1.id, dueAt: at(20), recurrence: "yearly" } });

  const person = (email: string, unit: { id: number }, fullName: string) => createUser(email, unit, [], { fullName });
  type Enrolment = { course: keyof typeof courses; cycle?: number; due?: number; created?: number; completed?: number; cert?: { status?: string; expires?: number; unit?: { id: number } } };
  const enrol = async (user: { id: number; fullName: string; orgUnitId: number }, e: Enrolment) => {
    const enrolment = await db.enrollment.create({
      data: {
        userId: user.id,
        courseId: courses[e.course],
        cycle: e.cycle ?? 1,
        origin: e.course === "security" ? "assigned" : "self",
        assignmentId: e.course === "security" ? yearly.id : null,
        dueAt: e.due === undefined ? null : at(e.due),
        createdAt: at(e.created ?? (e.due ?? 0) - 40),
        completedAt: e.completed === undefined ? null : at(e.completed),
      },
    });
    if (!e.cert) return;
    await db.certificate.create({
      data: {
        code: `T${String(enrolment.id).padStart(20, "0")}`,
        enrollmentId: enrolment.id,
        userId: user.id,
        courseId: courses[e.course],
        orgUnitId: e.cert.unit?.id ?? user.orgUnitId,
        fullName: user.fullName,
        position: "",
        unitName: "",
        courseTitle: "",
        issuer: "",
        completedAt: at(e.completed!),
        expiresAt: e.cert.expires === undefined ? null : at(e.cert.expires),
        status: e.cert.status ?? "valid",
      },
    });
  };

  const an = await person("an@t1.vn", x1, "Phạm Thị An");
  await enrol(an, { course: "egov", due: -100, completed: -120, cert: {} });
  await enrol(an, { course: "security", cycle: 1, due: -345, completed: -350, cert: { expires: 15 } });
  await enrol(an, { course: "security", cycle: 2, due: 20, created: -345 });
  const binh = await person("binh@t1.vn", x1, "Trần Văn Bình");
  await enrol(binh, { course: "egov", due: -10 });
  await enrol(binh, { course: "security", cycle: 1, due: -345, completed: -360, cert: { status: "replaced", expires: 5 } });
  await enrol(binh, { course: "security", cycle: 2, due: 20, created: -345, completed: -5, cert: { expires: 360 } });
  const chi = await person("chi@t1.vn", x2, "Lê Thị Chi");
  await enrol(chi, { course: "payment", due: 30, created: -20 });
  await enrol(chi, { course: "security", cycle: 1, due: -345, created: -400 });
  const dung = await person("dung@t1.vn", x2, "Hoàng Văn Dũng");
  await enrol(dung, { course: "payment", due: -50, completed: -60, cert: { status: "revoked" } });
  const em = await person("em@t1.vn", x1, "Vũ Thị Em");
  await enrol(em, { course: "egov", due: -100, completed: -110, cert: {} });
  await db.user.update({ where: { id: em.id }, data: { orgUnitId: snv.id } });
  const khanh = await person("khanh@t1.vn", snv, "Đỗ Quốc Khánh");
  // Imported from a roster, never signed in: counted as staff, not among activated accounts.
  await db.user.update({ where: { id: khanh.id }, data: { activatedAt: null } });
  const giang = await person("giang@t1.vn", vp, "Ngô Thu Giang");
  await enrol(giang, { course: "egov", created: -25 });
  await enrol(giang, { course: "payment", due: -200, completed: -210, cert: { expires: -10 } });
  const hoa = await person("hoa@t1.vn", vp, "Bùi Thị Hoa");
  await enrol(hoa, { course: "egov", due: -20, completed: -30, cert: {} });
  await enrol(hoa, { course: "payment", due: -15 });
  await db.user.update({ where: { id: hoa.id }, data: { active: false } });
}

beforeAll(async () => {
  await buildProvince();
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
  hr = new Client(server.url);
  expect((await hr.login("nhansu@t1.vn", PASSWORD)).status).toBe(302);
});
afterAll(async () => server?.stop());

const decode = (s: string) =>
  s
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

/** Every <table> of a page as rows of cell texts (header row first, total row last). */
function tablesOf(html: string): string[][][] {
  return [...html.matchAll(/<table\b[\s\S]*?<\/table>/g)].map(([table]) =>
    [...table.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)].map(([, row]) => [...row.matchAll(/<t([hd])\b[^>]*>([\s\S]*?)<\/t\1>/g)].map((c) => decode(c[2]))),
  );
}

/** A CSV/XLSX row as the page prints it: numbers in Vietnamese, completion as a percent. */
function shown(row: string[], percentColumn: number): string[] {
  return row.map((v, i) => (i === 0 || v === "" ? v : i === percentColumn ? `${v}%` : new Intl.NumberFormat("vi-VN").format(Number(v))));
}

/** Loads the page and both downloads for a query; checks that all three show the same rows. */
async function report(query: string) {
  const res = await hr.get(`/hr/coverage${query}`);
  expect(res.status).toBe(200);
  const [units, categories] = tablesOf(await res.text());

  const csvText = await (await hr.get(`/hr/coverage${query}${query ? "&" : "?"}format=csv`)).text();
  const csv: string[][] = parse(csvText, { bom: true, relax_column_count: true });
  const gap = csv.findIndex((r) => r.every((c) => c === ""));
  const [csvUnits, csvCategories] = [csv.slice(0, gap), csv.slice(gap + 1)];
  // The unit code leads each CSV row; the rest is what the page shows.
  expect(csvUnits.map((r, i) => (i === 0 ? r.slice(1) : shown(r.slice(1), 7)))).toEqual(units);
  expect(csvCategories.map((r, i) => (i === 0 ? r : shown(r, 3)))).toEqual(categories);

  const xlsx = readTable("r.xlsx", new Uint8Array(await (await hr.get(`/hr/coverage${query}${query ? "&" : "?"}format=xlsx`)).arrayBuffer()));
  expect([xlsx.headers, ...xlsx.rows].map((r) => (r.length ? r : [""]))).toEqual(csv);
  return { units: units.slice(1), categories: categories.slice(1), codes: csvUnits.slice(1).map((r) => r[0]) };
}

const HEADERS = ["Đơn vị", "Số cán bộ", "Đã kích hoạt tài khoản", "Biên chế giao", "Còn thiếu", "Đã ghi danh", "Hoàn thành", "Tỷ lệ hoàn thành", "Quá hạn", "Được miễn", "Giấy chứng nhận còn hiệu lực"];
const CATEGORY_HEADERS = ["Chủ đề", "Đã ghi danh", "Hoàn thành", "Tỷ lệ hoàn thành", "Quá hạn", "Được miễn", "Giấy chứng nhận còn hiệu lực"];
const NO_TRAINING = ["0", "0", "0%", "0", "0", "0"];

describe("coverage report on a known province", () => {
  it("shows every figure for the province: people once per course, per-unit vacancies, movers where they are now", async () => {
    const page = await hr.get("/hr/coverage");
    const [units, categories] = tablesOf(await page.text());
    expect(units[0]).toEqual(HEADERS);
    expect(categories[0]).toEqual(CATEGORY_HEADERS);

    const r = await report("");
    expect(r.codes).toEqual(["T1.SNV", "T1X1", "T1X2", "T1"]);
    expect(r.units).toEqual([
      // Em (moved in with a certificate from T1X1), Khánh, Giang; Hoa has left.
      ["Sở Nội vụ", "3", "2", "5", "2", "3", "2", "67%", "0", "0", "1"],
      // An and Bình count once each for the yearly course (their second cycle).
      ["Xã Bản Lầu", "2", "2", "4", "2", "4", "2", "50%", "1", "0", "3"],
      // One more person than approved: no vacancy here, and none taken from elsewhere.
      ["Xã Cốc Lếu", "2", "2", "1", "0", "3", "1", "33%", "1", "0", "0"],
      ["Tổng cộng", "7", "6", "10", "4", "10", "5", "50%", "2", "0", "4"],
    ]);
    expect(r.categories).toEqual([
      ["Công cụ chính quyền số", "4", "2", "50%", "1", "0", "2"],
      ["An toàn thông tin", "3", "1", "33%", "1", "0", "2"],
      ["Thanh toán trực tuyến", "3", "2", "67%", "0", "0", "0"],
    ]);
  });

  it("drills down into a department and its office", async () => {
    const r = await report("?unit=T1.SNV");
    expect(r.codes).toEqual(["T1.SNV", "T1.SNV.VP", "T1.SNV"]);
    expect(r.units).toEqual([
      ["Sở Nội vụ (trực thuộc trực tiếp)", "2", "1", "3", "1", "1", "1", "100%", "0", "0", "1"],
      ["Văn phòng Sở Nội vụ", "1", "1", "2", "1", "2", "1", "50%", "0", "0", "0"],
      ["Tổng cộng", "3", "2", "5", "2", "3", "2", "67%", "0", "0", "1"],
    ]);
    expect(r.categories).toEqual([
      ["Công cụ chính quyền số", "2", "1", "50%", "0", "0", "1"],
      ["An toàn thông tin", ...NO_TRAINING],
      ["Thanh toán trực tuyến", "1", "1", "100%", "0", "0", "0"],
    ]);
    const leaf = await report("?unit=T1.SNV.VP");
    expect(leaf.units).toEqual([
      ["Văn phòng Sở Nội vụ", "1", "1", "2", "1", "2", "1", "50%", "0", "0", "0"],
      ["Tổng cộng", "1", "1", "2", "1", "2", "1", "50%", "0", "0", "0"],
    ]);
  });

  it("filters by course and by category", async () => {
    const security = await report(`?course=${courses.security}`);
    expect(security.units).toEqual([
      ["Sở Nội vụ", "3", "2", "5", "2", ...NO_TRAINING],
      ["Xã Bản Lầu", "2", "2", "4", "2", "2", "1", "50%", "0", "0", "2"],
      ["Xã Cốc Lếu", "2", "2", "1", "0", "1", "0", "0%", "1", "0", "0"],
      ["Tổng cộng", "7", "6", "10", "4", "3", "1", "33%", "1", "0", "2"],
    ]);
    expect(security.categories).toEqual([
      ["Công cụ chính quyền số", ...NO_TRAINING],
      ["An toàn thông tin", "3", "1", "33%", "1", "0", "2"],
      ["Thanh toán trực tuyến", ...NO_TRAINING],
    ]);

    const payment = await report("?category=payment");
    expect(payment.units).toEqual([
      ["Sở Nội vụ", "3", "2", "5", "2", "1", "1", "100%", "0", "0", "0"],
      ["Xã Bản Lầu", "2", "2", "4", "2", ...NO_TRAINING],
      ["Xã Cốc Lếu", "2", "2", "1", "0", "2", "1", "50%", "0", "0", "0"],
      ["Tổng cộng", "7", "6", "10", "4", "3", "2", "67%", "0", "0", "0"],
    ]);
    // The breakdown by category keeps every category under a category filter.
    expect(payment.categories.map((c) => c[1])).toEqual(["4", "3", "3"]);
  });

  it("filters by period: last year's cycle of the yearly course, then the current weeks", async () => {
    const lastYear = await report(`?from=${day(-400)}&to=${day(-300)}`);
    expect(lastYear.units).toEqual([
      ["Sở Nội vụ", "3", "2", "5", "2", ...NO_TRAINING],
      // An's and Bình's first cycles, both completed; only An's certificate is still valid.
      ["Xã Bản Lầu", "2", "2", "4", "2", "2", "2", "100%", "0", "0", "1"],
      ["Xã Cốc Lếu", "2", "2", "1", "0", "1", "0", "0%", "1", "0", "0"],
      ["Tổng cộng", "7", "6", "10", "4", "3", "2", "67%", "1", "0", "1"],
    ]);
    expect(lastYear.categories).toEqual([
      ["Công cụ chính quyền số", ...NO_TRAINING],
      ["An toàn thông tin", "3", "2", "67%", "1", "0", "1"],
      ["Thanh toán trực tuyến", ...NO_TRAINING],
    ]);

    const recent = await report(`?unit=T1&from=${day(-30)}&to=${day(40)}`);
    expect(recent.units).toEqual([
      // Giang's e-gov enrolment has no due date: its enrolment date places it in the period.
      ["Sở Nội vụ", "3", "2", "5", "2", "1", "0", "0%", "0", "0", "0"],
      ["Xã Bản Lầu", "2", "2", "4", "2", "3", "1", "33%", "1", "0", "1"],
      ["Xã Cốc Lếu", "2", "2", "1", "0", "1", "0", "0%", "0", "0", "0"],
      ["Tổng cộng", "7", "6", "10", "4", "5", "1", "20%", "1", "0", "1"],
    ]);
  });

  it("says so when a period is not real, and then reports without one", async () => {
    const whole = await report("?unit=T1");
    const notice = "Khoảng thời gian không hợp lệ (ngày không có thật, hoặc ngày kết thúc trước ngày bắt đầu)";
    expect(await (await hr.get("/hr/coverage?unit=T1")).text()).not.toContain(notice);
    for (const period of ["from=2026-02-31", `from=${day(10)}&to=${day(-10)}`, "to=2026-13-01", "from=26-11-2026"]) {
      const page = await (await hr.get(`/hr/coverage?unit=T1&${period}`)).text();
      expect(page, period).toContain(notice);
      expect(await report(`?unit=T1&${period}`), period).toEqual(whole);
    }
  });

  it("keeps units outside the user's scope out of reach", async () => {
    expect((await hr.get("/hr/coverage?unit=T9")).status).toBe(404);
    const other = new Client(server.url);
    await other.login("nhansu@t9.vn", PASSWORD);
    expect((await other.get("/hr/coverage?unit=T1.SNV")).status).toBe(404);
    expect((await other.get("/hr/coverage?unit=T1&format=csv")).status).toBe(404);
  });

  it("neutralises formulas in both downloads", async () => {
    const names = { "T1.SNV": "=HYPERLINK(\"http://x\")", T1X1: "+SUM(A1:A9)", T1X2: "-2+3" };
    for (const [code, nameVi] of Object.entries(names)) await db.orgUnit.update({ where: { code }, data: { nameVi } });
    await db.orgUnit.update({ where: { code: "T1.SNV.VP" }, data: { nameVi: "@cmd" } });
    const xlsx = readTable("r.xlsx", new Uint8Array(await (await hr.get("/hr/coverage?format=xlsx")).arrayBuffer()));
    const neutralised = ["'+SUM(A1:A9)", "'-2+3", "'=HYPERLINK(\"http://x\")"];
    expect(xlsx.rows.slice(0, 3).map((r) => r[1]).sort()).toEqual(neutralised);
    const drill = readTable("d.xlsx", new Uint8Array(await (await hr.get("/hr/coverage?unit=T1.SNV&format=xlsx")).arrayBuffer()));
    expect(drill.rows[1][1]).toBe("'@cmd");
    const csv: string[][] = parse(await (await hr.get("/hr/coverage?format=csv")).text(), { bom: true, relax_column_count: true });
    expect(csv.slice(1, 4).map((r) => r[1]).sort()).toEqual(neutralised);
  });

  it("skips the report of an officer who left while it waited its turn", async () => {
    const officer = await db.user.findUniqueOrThrow({ where: { email: "nhansu@t1.vn" } });
    const session = await lucia.createSession(officer.id, { secondFactor: "totp" });
    const user = (await getUser(new Request("http://localhost/hr/coverage", { headers: { Cookie: lucia.createSessionCookie(session.id).serialize() } })))!;
    const url = new URL("http://localhost/hr/coverage?unit=T1");
    // A store of its own, to count what is computed (the app's is shared by the whole file).
    const snapshots = createCoverageSnapshots({ turn: reportTurn });
    const still = await coverageForRequest(user, url, "127.0.0.1", { signal: new AbortController().signal, snapshots });
    expect(still.report.total.staff).toBeGreaterThan(0);
    // Three at once, the last two (other courses: reports of their own) closed before their
    // turn came: they end with the reason they were closed for instead of a report, and their
    // reports are never computed.
    const gone = [new AbortController(), new AbortController()];
    const elsewhere = [courses.egov, courses.payment].map((c) => new URL(`http://localhost/hr/coverage?unit=T1&course=${c}`));
    const asked = [coverageForRequest(user, url, "127.0.0.1", { snapshots }), ...gone.map((c, i) => coverageForRequest(user, elsewhere[i], "127.0.0.1", { signal: c.signal, snapshots }))];
    for (const c of gone) c.abort(new Error("the officer closed the tab"));
    const [first, ...others] = await Promise.allSettled(asked);
    expect(first).toMatchObject({ status: "fulfilled", value: { report: { total: { staff: still.report.total.staff } } } });
    expect(snapshots.computations()).toBe(2);
    expect(others.map((o) => (o.status === "rejected" ? (o.reason as Error).message : "computed"))).toEqual(["the officer closed the tab", "the officer closed the tab"]);
  });
});

