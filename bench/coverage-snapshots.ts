// The coverage page's figures for the whole country and for Lào Cai inside it, cold (computed,
// then kept as a snapshot because they take longer than the live budget) and served from the
// snapshot, in-process (decision 033). It only reads: no migration, no session, no audit (the
// officer is built in memory and is checked to be allowed before every call).
// usage: npx tsx bench/coverage-snapshots.ts [--cold 3] [--served 15]
//   (KNS_BENCH_POSTGRES_URL, default postgresql://postgres:postgres@127.0.0.1:5432/kns_bench; prints
//   a table, writes bench/results/coverage-snapshots-<date>-postgres.json)
import fs from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const COLD = arg("cold", 3);
const SERVED = arg("served", 15);
process.env.DATABASE_URL = process.env.KNS_BENCH_POSTGRES_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/kns_bench";

const { db } = await import("~/platform/db.server");
const { coveragePageForRequest, reportTurn } = await import("~/hr/coverage-request.server");
const { createCoverageSnapshots } = await import("~/hr/coverage-snapshots.server");
const { ancestorsOf, topLevelUnits } = await import("~/hr/org-units.data.server");
const { publishedCourseChoices } = await import("~/hr/published-courses.data.server");
const { authorize } = await import("~/identity/authorize.server");
const { hasNationalScope } = await import("~/hr/hr-scope.server");
type SessionUser = import("~/identity/auth.server").SessionUser;

const round = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// An HR officer of every province (a ministry's), in memory: the generated country has HR
// officers per province only, and a session would be a write.
const hrLaoCai = await db.user.findUniqueOrThrow({ where: { email: "nhansu.15@kynangso.vn" }, select: { id: true, email: true, fullName: true, orgUnitId: true, orgUnit: { select: { path: true } } } });
const provinces = await topLevelUnits();
const officer: SessionUser = {
  id: hrLaoCai.id,
  email: hrLaoCai.email,
  fullName: hrLaoCai.fullName,
  orgUnitId: hrLaoCai.orgUnitId,
  orgUnitPath: hrLaoCai.orgUnit.path,
  locale: null,
  roles: provinces.map((p) => ({ role: "hr", orgUnitId: p.id, path: p.path, unitCode: p.code, unitName: p.code })),
  secondFactor: "totp",
  secondFactorExempt: false,
};
const laoCai = await db.orgUnit.findUniqueOrThrow({ where: { code: "15" }, select: { id: true, path: true } });
if (!(await hasNationalScope(officer, "report.view")) || !authorize(officer, "report.view", laoCai)) throw new Error("the officer built for the bench may not see both scopes");

type Store = ReturnType<typeof createCoverageSnapshots>;
/** What the page's loader reads: the report and trend (through the snapshots), courses and ancestors. */
async function pageData(code: string, snapshots: Store) {
  const page = await coveragePageForRequest(officer, new URL(`http://localhost/hr/coverage?unit=${encodeURIComponent(code)}`), "127.0.0.1", { snapshots });
  await publishedCourseChoices();
  await ancestorsOf(page.unit.path);
  return page;
}
async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const result = await work();
  return [round(performance.now() - t), result];
}

const loadBefore = os.loadavg().map((x) => round(x));
const results = [];
for (const [label, code, staffWhere] of [
  ["whole country", "*", {}],
  ["Lào Cai inside the country", "15", { orgUnit: { path: { startsWith: laoCai.path } } }],
] as const) {
  const staff = await db.user.count({ where: { active: true, ...staffWhere } });
  const unit = code === "*" ? { id: 0, path: "/" } : laoCai;
  const filters = { courseId: null, category: null, from: null, to: null };
  const cold: { reportMs: number; trendAndPageMs: number; pageMs: number }[] = [];
  let store: Store | undefined;
  let kept = true;
  for (let i = 0; i < COLD; i++) {
    // A new store each time: nothing kept, as after a restart. The report first, then the page,
    // whose trend is then the one cold computation left (the page computes them in that order).
    store = createCoverageSnapshots({ turn: reportTurn });
    const [reportMs] = await timed(() => store!.report(unit, filters));
    const [trendAndPageMs, page] = await timed(() => pageData(code, store!));
    cold.push({ reportMs, trendAndPageMs, pageMs: round(reportMs + trendAndPageMs) });
    kept &&= page.computedAt !== null && page.trendComputedAt !== null;
  }
  const servedMs: number[] = [];
  const storeOnlyMs: number[] = [];
  for (let i = 0; i < SERVED; i++) {
    const [ms, page] = await timed(() => pageData(code, store!));
    if (page.computedAt === null || page.trendComputedAt === null) throw new Error("expected the figures to be served from their snapshots");
    servedMs.push(ms);
    storeOnlyMs.push((await timed(() => Promise.all([store!.report(unit, filters), store!.trend(unit, null)])))[0]);
  }
  const coldPageMs = cold.map((c) => c.pageMs);
  const row = {
    scope: label,
    staff,
    cold,
    coldPageMedianMs: median(coldPageMs),
    keptAsSnapshot: kept,
    servedPageMedianMs: median(servedMs),
    servedPageMaxMs: Math.max(...servedMs),
    servedFiguresMedianMs: median(storeOnlyMs),
    computations: store!.computations(),
  };
  console.log(
    `· ${label} (${staff.toLocaleString("en")} active staff): cold ${coldPageMs.join(", ")} ms (report ${cold.map((c) => c.reportMs).join(", ")}); ` +
      `from the snapshot ${row.servedPageMedianMs} ms (median of ${SERVED}, the page's data), ${row.servedFiguresMedianMs} ms (report and trend alone)`,
  );
  results.push(row);
}
console.table(results.map(({ cold, ...r }) => ({ ...r, "cold page (ms)": cold.map((c) => c.pageMs).join(", ") })));
const file = `bench/results/coverage-snapshots-${new Date().toISOString().slice(0, 10)}-postgres.json`;
const machine = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadAverageBefore: loadBefore, loadAverageAfter: os.loadavg().map((x) => round(x)) };
fs.writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), database: "postgresql", cold: COLD, served: SERVED, machine, results }, null, 2)}\n`);
console.log(`written to ${file}`);
await db.$disconnect();
