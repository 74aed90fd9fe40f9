// Snapshots of large coverage reports (docs/decisions/033-coverage-snapshots.md), on a real
// database: a store with a budget of 0 keeps every report, as a national one is kept, and its
// clock is set by the test; the app's own store, with the real budget, keeps this small province
// live.
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getUser, lucia } from "~/identity/auth.server";
import { coveragePageForRequest, coverageTable, reportTurn, snapshotNote } from "~/hr/coverage-request.server";
import { createCoverageSnapshots, FRESH_MS, SERVED_STALE_MS } from "~/hr/coverage-snapshots.server";
import { completionTrend, coverageByOrgUnit, type CoverageFilters } from "~/hr/coverage.server";
import { db } from "~/platform/db.server";
import { TEST_PROVIDER } from "../support/config";
import { createUnit, createUser, PASSWORD } from "../support/factories";
import { signedInClient, type Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY);
const NO_FILTERS: CoverageFilters = { courseId: null, category: null, from: null, to: null };
const LABEL_VI = /Số liệu tính lúc \d\d:\d\d \(\d\d\/\d\d\/\d{4}\); báo cáo lớn được tính lại mỗi phút\./g;

type Unit = { id: number; path: string; depth: number };
let province: Unit;
let commune1: Unit;
let commune2: Unit;
const courses = { egov: 0, security: 0 };
/** The enrolment whose completion the tests turn on and off: a write that changes the figures. */
let toggled = 0;

/**
 * Province S1 with communes S1X1 (An, Bình) and S1X2 (Chi):
 *   An    e-gov in progress (the toggled one), security completed
 *   Bình  e-gov completed
 *   Chi   security overdue
 */
async function buildProvince() {
  province = await createUnit("S1", undefined, "province");
  commune1 = await createUnit("S1X1", province, "commune");
  commune2 = await createUnit("S1X2", province, "commune");
  await createUser("nhansu@s1.vn", province, [{ role: "hr", unit: province }]);
  for (const category of ["egov", "security"] as const) {
    courses[category] = (await db.course.create({ data: { slug: `snap-${category}`, title: `Khóa ${category}`, category } })).id;
  }
  const enrol = async (userId: number, course: keyof typeof courses, due: number, completed?: number) =>
    db.enrollment.create({ data: { userId, courseId: courses[course], dueAt: at(due), createdAt: at(due - 40), completedAt: completed === undefined ? null : at(completed) } });
  const an = await createUser("an@s1.vn", commune1);
  const binh = await createUser("binh@s1.vn", commune1);
  const chi = await createUser("chi@s1.vn", commune2);
  toggled = (await enrol(an.id, "egov", 30)).id;
  await enrol(an.id, "security", -20, -25);
  await enrol(binh.id, "egov", -10, -12);
  await enrol(chi.id, "security", -5);
}

/** Completes the toggled enrolment (a day ago) when it is open, opens it again when completed. */
async function write() {
  const e = await db.enrollment.findUniqueOrThrow({ where: { id: toggled } });
  await db.enrollment.update({ where: { id: toggled }, data: { completedAt: e.completedAt ? null : at(-1) } });
}

/** A store that keeps every report (budget 0), with a clock the test moves. */
function keepingStore(options: { maxSnapshots?: number } = {}) {
  let clock = Date.now();
  const snapshots = createCoverageSnapshots({ turn: reportTurn, now: () => new Date(clock), liveBudgetMs: 0, ...options });
  return { snapshots, at: () => new Date(clock), advance: (ms: number) => (clock += ms) };
}

const live = (unit: Unit = province, filters = NO_FILTERS) => coverageByOrgUnit(unit, filters);

beforeAll(buildProvince);

describe("a report kept as a snapshot", () => {
  it("is served as it is for a minute: a write does not show, and it says when it was computed", async () => {
    const { snapshots, at: now, advance } = keepingStore();
    const computedAt = now();
    const first = await snapshots.report(province, NO_FILTERS);
    const trend = await snapshots.trend(province, null);
    expect(first.computedAt).toEqual(computedAt);
    expect(first.value).toEqual(await live());
    expect(trend.computedAt).toEqual(computedAt);
    expect(snapshots.computations()).toBe(2);

    await write();
    expect((await live()).total.completed).not.toBe(first.value.total.completed);
    advance(FRESH_MS - 1);
    const again = await snapshots.report(province, NO_FILTERS);
    expect(again).toEqual(first);
    expect(again.computedAt).toEqual(computedAt);
    expect(await snapshots.trend(province, null)).toEqual(trend);
    expect(snapshots.computations()).toBe(2);
  });

  it("after a minute is served at once while one background computation refreshes it", async () => {
    const { snapshots, at: now, advance } = keepingStore();
    const first = await snapshots.report(province, NO_FILTERS);
    const firstTrend = await snapshots.trend(province, null);
    await write();
    advance(FRESH_MS);
    const refreshedAt = now();
    // Ten officers at once: all get the old figures now, and they start one computation.
    const stale = await Promise.all(Array.from({ length: 10 }, () => snapshots.report(province, NO_FILTERS)));
    for (const s of stale) expect(s).toEqual(first);
    await vi.waitFor(async () => expect((await snapshots.report(province, NO_FILTERS)).computedAt).toEqual(refreshedAt));
    const refreshed = await snapshots.report(province, NO_FILTERS);
    expect(refreshed.value).toEqual(await live());
    expect(refreshed.value.total.completed).not.toBe(first.value.total.completed);
    expect(snapshots.computations()).toBe(3);

    // The trend the same way.
    expect(await snapshots.trend(province, null)).toEqual(firstTrend);
    await vi.waitFor(async () => expect((await snapshots.trend(province, null)).computedAt).toEqual(refreshedAt));
    expect((await snapshots.trend(province, null)).value).toEqual(await completionTrend(province, null, refreshedAt));
    expect(snapshots.computations()).toBe(4);
  });

  it("after ten minutes is computed again while the request waits", async () => {
    const { snapshots, at: now, advance } = keepingStore();
    const first = await snapshots.report(province, NO_FILTERS);
    await write();
    advance(SERVED_STALE_MS);
    const waitedAt = now();
    const fresh = await snapshots.report(province, NO_FILTERS);
    expect(fresh.computedAt).toEqual(waitedAt);
    expect(fresh.value).toEqual(await live());
    expect(fresh.value.total.completed).not.toBe(first.value.total.completed);
    expect(snapshots.computations()).toBe(2);
  });

  it("costs one computation for many identical requests at once", async () => {
    const { snapshots } = keepingStore();
    const reports = await Promise.all(Array.from({ length: 50 }, () => snapshots.report(province, NO_FILTERS)));
    const trends = await Promise.all(Array.from({ length: 50 }, () => snapshots.trend(province, null)));
    expect(snapshots.computations()).toBe(2);
    for (const r of reports) expect(r).toBe(reports[0]);
    for (const t of trends) expect(t).toBe(trends[0]);
  });

  it("is never served for another unit or other filters", async () => {
    const { snapshots } = keepingStore();
    const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * DAY);
    const variants: [Unit, CoverageFilters][] = [
      [province, NO_FILTERS],
      [commune1, NO_FILTERS],
      [commune2, NO_FILTERS],
      [province, { ...NO_FILTERS, courseId: courses.egov }],
      [province, { ...NO_FILTERS, courseId: courses.security }],
      [province, { ...NO_FILTERS, category: "security" }],
      [province, { ...NO_FILTERS, from: day(0) }],
      [province, { ...NO_FILTERS, to: day(0) }],
      [province, { ...NO_FILTERS, from: day(0), to: day(400) }],
      [province, { ...NO_FILTERS, from: day(0), to: day(401) }],
    ];
    const kept = [];
    for (const [unit, filters] of variants) kept.push(await snapshots.report(unit, filters));
    expect(snapshots.computations()).toBe(variants.length);
    // Each asked again: its own snapshot, equal to its own live figures, nothing recomputed.
    for (const [i, [unit, filters]] of variants.entries()) {
      const again = await snapshots.report(unit, filters);
      expect(again).toBe(kept[i]);
      expect(again.value).toEqual(await live(unit, filters));
    }
    expect(snapshots.computations()).toBe(variants.length);
    expect(kept.map((k) => k.value.unit.path)).toEqual(variants.map(([u]) => u.path));
    expect(kept[1].value.total.staff).not.toBe(kept[2].value.total.staff);

    const trends = [await snapshots.trend(province, null), await snapshots.trend(commune2, null), await snapshots.trend(province, courses.egov)];
    expect(snapshots.computations()).toBe(variants.length + 3);
    expect(trends.map((t) => t.value)).toEqual([await completionTrend(province, null), await completionTrend(commune2, null), await completionTrend(province, courses.egov)]);
  });

  it("is dropped, the oldest first, beyond the number kept", async () => {
    const { snapshots } = keepingStore({ maxSnapshots: 2 });
    for (const unit of [province, commune1, commune2]) await snapshots.report(unit, NO_FILTERS);
    expect(snapshots.computations()).toBe(3);
    await snapshots.report(commune2, NO_FILTERS);
    await snapshots.report(commune1, NO_FILTERS);
    expect(snapshots.computations()).toBe(3);
    await snapshots.report(province, NO_FILTERS);
    expect(snapshots.computations()).toBe(4);
  });

  it("stays when its background refresh fails, and the failure is logged without secrets", async () => {
    const { snapshots, advance } = keepingStore();
    const empty = await createUnit("S1X9", province, "commune");
    const first = await snapshots.report(empty, NO_FILTERS);
    // The unit is gone (merged away): computing its report again fails.
    await db.orgUnit.delete({ where: { id: empty.id } });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      advance(FRESH_MS + 1000);
      expect(await snapshots.report(empty, NO_FILTERS)).toEqual(first);
      await vi.waitFor(() => expect(logged).toHaveBeenCalledTimes(1));
      const line = String(logged.mock.calls[0][0]);
      expect(logged.mock.calls[0]).toHaveLength(1);
      expect(line).toMatch(/^\[kns:coverage\] a report snapshot could not be refreshed: \w*Error: /);
      expect(line).not.toContain(process.env.DATABASE_URL!);
      expect(line).not.toContain("\n");
      // Still stale: served again, and refreshed again (which fails again).
      expect(await snapshots.report(empty, NO_FILTERS)).toEqual(first);
      await vi.waitFor(() => expect(logged).toHaveBeenCalledTimes(2));
    } finally {
      logged.mockRestore();
    }
  });

  it("is not computed for requests whose officers left while it waited its turn", async () => {
    const { snapshots } = keepingStore();
    const left = [new AbortController(), new AbortController()];
    const asked = left.map((c, i) => snapshots.report(province, { ...NO_FILTERS, courseId: i + 1000 }, c.signal));
    // Two ask for the same report; one leaves: it is still computed for the other.
    const stays = new AbortController();
    const leaves = new AbortController();
    const shared = [snapshots.report(commune1, NO_FILTERS, stays.signal), snapshots.report(commune1, NO_FILTERS, leaves.signal)];
    for (const c of [...left, leaves]) c.abort(new Error("the officer closed the tab"));
    const settled = await Promise.allSettled([...asked, ...shared]);
    expect(settled.map((s) => (s.status === "rejected" ? (s.reason as Error).message : "served"))).toEqual([
      "the officer closed the tab",
      "the officer closed the tab",
      "served",
      "the officer closed the tab",
    ]);
    expect(snapshots.computations()).toBe(1);
  });
});

describe("a small report with the real budget", () => {
  it("stays live: a write shows at once, and nothing says it was computed earlier", async () => {
    const snapshots = createCoverageSnapshots({ turn: reportTurn });
    const before = await snapshots.report(province, NO_FILTERS);
    expect(before.computedAt).toBeNull();
    await write();
    const after = await snapshots.report(province, NO_FILTERS);
    expect(after.computedAt).toBeNull();
    expect(after.value).toEqual(await live());
    expect(after.value.total.completed).not.toBe(before.value.total.completed);
    const trend = await snapshots.trend(province, null);
    expect(trend.computedAt).toBeNull();
    expect(snapshots.computations()).toBe(3);
  });
});

describe("the page's data", () => {
  it("carries the instant of a snapshot for the report and the trend, and null when live", async () => {
    const officer = await db.user.findUniqueOrThrow({ where: { email: "nhansu@s1.vn" } });
    const session = await lucia.createSession(officer.id, { secondFactor: "totp" });
    const user = (await getUser(new Request("http://localhost/hr/coverage", { headers: { Cookie: lucia.createSessionCookie(session.id).serialize() } })))!;
    const url = new URL("http://localhost/hr/coverage?unit=S1");

    const { snapshots, at: now } = keepingStore();
    const kept = await coveragePageForRequest(user, url, "127.0.0.1", { snapshots });
    expect(kept).toMatchObject({ unit: { code: "S1" }, computedAt: now(), trendComputedAt: now(), periodError: null });
    expect(kept.trend).toHaveLength(12);

    const liveData = await coveragePageForRequest(user, url, "127.0.0.1", { snapshots: createCoverageSnapshots({ turn: reportTurn }) });
    expect(liveData).toMatchObject({ computedAt: null, trendComputedAt: null });
    expect(liveData.report).toEqual(kept.report);

    // Downloads add the line after the tables only for a snapshot.
    const computedAt = new Date("2026-12-07T07:03:00Z");
    expect(snapshotNote(computedAt, "vi")).toBe("Số liệu tính lúc 14:03 (07/12/2026); báo cáo lớn được tính lại mỗi phút.");
    expect(snapshotNote(computedAt, "en")).toBe("Figures computed at 14:03 (07/12/2026); large reports are recomputed every minute.");
    const plain = coverageTable(kept.report, "vi");
    const noted = coverageTable(kept.report, "vi", computedAt);
    expect(noted.rows).toEqual([...plain.rows, [], [snapshotNote(computedAt, "vi")]]);
  });
});

describe("the page over HTTP", () => {
  let server: RunningServer;
  let hr: Client;
  beforeAll(async () => {
    server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
    hr = await signedInClient(server.url, "nhansu@s1.vn", PASSWORD);
  });
  afterAll(async () => server?.stop());

  const figures = (html: string) => [...html.matchAll(/<tfoot>([\s\S]*?)<\/tfoot>/g)].map((m) => m[1].replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim());

  it("says nothing new for a live report, and the downloads are unchanged", async () => {
    const page = await hr.get("/hr/coverage?unit=S1");
    expect(page.status).toBe(200);
    expect(await page.text()).not.toMatch(LABEL_VI);
    const csv: string[][] = parse(await (await hr.get("/hr/coverage?unit=S1&format=csv")).text(), { bom: true, relax_column_count: true });
    expect(csv.at(-1)![0]).toBe("Thanh toán trực tuyến");
  });

  // PostgreSQL can make the report slow from outside: while a transaction holds the enrolments
  // table, the report's statement waits for it, and the computation takes longer than the live
  // budget. SQLite's readers never wait for a writer, so there this runs on PostgreSQL only.
  it.runIf(TEST_PROVIDER === "postgres")("labels a report served from a snapshot, on the page and in its downloads", async () => {
    const query = "?unit=S1&category=egov";
    let asked: Promise<Response> | undefined;
    await db.$transaction(
      async (tx) => {
        await tx.$executeRaw`LOCK TABLE "Enrollment" IN ACCESS EXCLUSIVE MODE`;
        asked = hr.get(`/hr/coverage${query}`);
        // Once the report's statement waits for the table, hold it longer than the live budget.
        await vi.waitFor(
          async () => {
            const [waiting] = await db.$queryRaw<{ n: bigint }[]>`SELECT COUNT(*) AS n FROM pg_locks WHERE NOT granted AND relation = '"Enrollment"'::regclass`;
            expect(Number(waiting.n)).toBeGreaterThan(0);
          },
          { timeout: 5000, interval: 20 },
        );
        await new Promise((r) => setTimeout(r, 400));
      },
      { timeout: 10_000 },
    );
    const first = await asked!;
    expect(first.status).toBe(200);
    const html = await first.text();
    const labels = html.match(LABEL_VI) ?? [];
    // The report was slow and is kept; its trend, computed after the table was free, is live.
    expect(labels).toHaveLength(1);

    const egov: CoverageFilters = { ...NO_FILTERS, category: "egov" };
    const before = await live(province, egov);
    await write();
    expect((await live(province, egov)).total.completed).not.toBe(before.total.completed);
    const again = await (await hr.get(`/hr/coverage${query}`)).text();
    expect(again.match(LABEL_VI)).toEqual(labels);
    expect(figures(again)).toEqual(figures(html));
    const csv: string[][] = parse(await (await hr.get(`/hr/coverage${query}&format=csv`)).text(), { bom: true, relax_column_count: true });
    expect(csv.at(-1)).toEqual([labels[0]]);
    expect(csv.at(-2)).toEqual([""]);

    // Another filter is another report: small, so live.
    expect(await (await hr.get(`/hr/coverage?unit=S1&course=${courses.egov}`)).text()).not.toMatch(LABEL_VI);
  });
});
