// HR at the scale of a province, in a process of its own so that its peak memory is its own:
// the follow-up list of a course assigned to the whole province (every active person enrolled,
// a third overdue; first page with the figures per status, and the full export), then the
// province's roster sent back as an XLSX of every person (a tenth with a new position) read,
// checked and applied. It writes to the database it is given: run it on a copy.
// usage: DATABASE_URL=… npx tsx bench/hr-files.ts <province code>   (prints one JSON line)
// The import runs in a child of its own (`--import <file> <code>`), so its peak memory is what a
// server process would add for it, not what building the file cost here.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const importing = process.argv[2] === "--import";
const code = (importing ? process.argv[4] : process.argv[2]) ?? "15";
const { db } = await import("~/platform/db.server");
const { followUpPage, followUpTable } = await import("~/hr/progress.server");
const { readTable, toWorkbook } = await import("~/hr/spreadsheet.server");
const { planImport, applyImport, ROSTER_HEADERS } = await import("~/hr/staff-import.server");
const { hoursReport, currentYear } = await import("~/hr/hours.server");
const { renderTranscriptPdf } = await import("~/learning/transcript-pdf.server");
const { transcriptEntries, transcriptPerson } = await import("~/learning/transcript.data.server");

const round = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const peakMb = () => round(process.resourceUsage().maxRSS / 1024);
const heapMb = () => round(process.memoryUsage().heapUsed / 1048576);
async function timed<T>(work: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const value = await work();
  return [value, round(performance.now() - t)];
}

const province = await db.orgUnit.findUniqueOrThrow({ where: { code } });
if (importing) {
  const startMb = peakMb();
  const file = new Uint8Array(fs.readFileSync(process.argv[3]));
  const [table, readMs] = await timed(() => readTable("danh-sach.xlsx", file, ROSTER_HEADERS));
  const afterReadMb = peakMb();
  const heapAfterRead = heapMb();
  const [plan, planMs] = await timed(() => planImport(table, [province.path]));
  const afterPlanMb = peakMb();
  const heapAfterCheck = heapMb();
  const [applied, applyMs] = await timed(() => applyImport(plan, { id: null, orgUnitId: province.id }, "bench", "danh-sach.xlsx"));
  await db.$disconnect();
  console.log(JSON.stringify({
    readMs, planMs, applyMs, totalSeconds: round((readMs + planMs + applyMs) / 1000),
    planned: { update: plan.update.length, unchanged: plan.unchanged, errors: plan.errors.length }, applied,
    peakRssMb: { atStart: startMb, afterRead: afterReadMb, afterCheck: afterPlanMb, afterApply: peakMb() },
    heapUsedMb: { afterRead: heapAfterRead, afterCheck: heapAfterCheck, afterApply: heapMb() },
  }));
  process.exit(0);
}
const staff = await db.user.count({ where: { active: true, orgUnit: { path: { startsWith: province.path } } } });
const [busiest] = await db.enrollment.groupBy({ by: ["courseId"], _count: { _all: true }, orderBy: { _count: { courseId: "desc" } }, take: 1 });
const course = await db.course.findUniqueOrThrow({ where: { id: busiest.courseId }, select: { id: true, slug: true, publishedVersion: { select: { _count: { select: { lessons: true } } } } } });
const courses = await db.course.count({ where: { publishedVersionId: { not: null } } });
// A province-wide mandatory course: everyone not yet enrolled in the busiest course is, a third past due.
const enrolled = new Set((await db.enrollment.findMany({ where: { courseId: course.id }, select: { userId: true } })).map((e) => e.userId));
const missing = (await db.user.findMany({ where: { active: true, orgUnit: { path: { startsWith: province.path } } }, select: { id: true } })).filter((u) => !enrolled.has(u.id));
const DAY = 86_400_000;
for (let i = 0; i < missing.length; i += 1000) {
  await db.enrollment.createMany({
    data: missing.slice(i, i + 1000).map((u, j) => ({ userId: u.id, courseId: course.id, origin: "assigned", dueAt: new Date(Date.now() + ((i + j) % 3 === 0 ? -10 : 30) * DAY) })),
  });
}
const query = { paths: [province.path], courseId: course.id, assignmentId: null, status: null, text: "", sort: "status" as const, now: new Date() };

const firstPage: number[] = [];
let people = 0;
for (let i = 0; i < 5; i++) {
  const [page, ms] = await timed(() => followUpPage(query, 0));
  people = page.total;
  firstPage.push(ms);
}
const overduePage: number[] = [];
for (let i = 0; i < 5; i++) overduePage.push((await timed(() => followUpPage({ ...query, status: "overdue" }, 0)))[1]);
// Every course at once (the list a coverage figure without a course filter leads to).
const everyCourse: number[] = [];
let everyCourseRows = 0;
for (let i = 0; i < 3; i++) {
  const [page, ms] = await timed(() => followUpPage({ ...query, courseId: null }, 0));
  everyCourseRows = page.total;
  everyCourse.push(ms);
}
const fullExport: number[] = [];
let exportRows = 0;
for (let i = 0; i < 3; i++) {
  const [table, ms] = await timed(() => followUpTable(query, "vi"));
  exportRows = table.rows.length;
  fullExport.push(ms);
}
const [workbook, exportXlsxMs] = await timed(async () => {
  const table = await followUpTable(query, "vi");
  return toWorkbook([{ name: code, headers: table.headers, rows: table.rows }]);
});

// The yearly hours report of the whole province, and 500 transcripts (a large commune's ZIP).
const hoursRuns: number[] = [];
for (let i = 0; i < 3; i++) hoursRuns.push((await timed(() => hoursReport(province, currentYear())))[1]);
const transcriptPeople = await db.user.findMany({ where: { active: true, orgUnit: { path: { startsWith: province.path } } }, select: { id: true }, take: 500 });
const [transcriptBytes, transcriptsMs] = await timed(async () => {
  let bytes = 0;
  for (const p of transcriptPeople) bytes += (await renderTranscriptPdf((await transcriptPerson(p.id))!, await transcriptEntries(p.id))).byteLength;
  return bytes;
});

// The roster as the office sends it back: everyone, a tenth with a new position.
const roster = await db.user.findMany({
  where: { active: true, employeeCode: { not: null }, orgUnit: { path: { startsWith: province.path } } },
  select: { employeeCode: true, fullName: true, email: true, position: true, birthDate: true, orgUnit: { select: { code: true } } },
  orderBy: { id: "asc" },
});
const rows = roster.map((p, i) => [i + 1, p.employeeCode!, p.fullName, p.email, p.orgUnit.code, i % 10 === 0 ? `${p.position} (kiêm nhiệm)` : p.position, p.birthDate ? p.birthDate.toISOString().slice(0, 10) : ""]);
const file = toWorkbook([{ name: "Danh sách", headers: ["STT", "Mã cán bộ", "Họ và tên", "Email", "Mã đơn vị", "Chức vụ", "Ngày sinh"], rows }]);
const out = path.join(os.tmpdir(), `kns-roster-${process.pid}.xlsx`);
fs.writeFileSync(out, file);
const child = spawnSync("npx", ["tsx", "bench/hr-files.ts", "--import", out, code], { env: process.env, encoding: "utf8" });
fs.rmSync(out, { force: true });
const childLine = child.stdout.trim().split("\n").pop() ?? "";
if (child.status !== 0 || !childLine.startsWith("{")) throw new Error(`roster import failed: ${child.stderr.slice(-2000)}`);
const imported = JSON.parse(childLine) as Record<string, unknown>;
await db.$disconnect();

console.log(
  JSON.stringify({
    province: code,
    staff,
    publishedCourses: courses,
    followUp: {
      course: course.slug,
      people,
      firstPageMs: firstPage,
      firstPageMedianMs: median(firstPage),
      overduePageMedianMs: median(overduePage),
      everyCourse: { rows: everyCourseRows, firstPageMs: everyCourse },
      fullExportMs: fullExport,
      exportRows,
      exportXlsxMs,
      exportXlsxKb: round(workbook.byteLength / 1024),
    },
    hoursReportMs: hoursRuns,
    transcripts: { people: transcriptPeople.length, seconds: round(transcriptsMs / 1000), msEach: round(transcriptsMs / transcriptPeople.length), megabytes: round(transcriptBytes / 1048576), signed: Boolean(process.env.SIGNING_P12_FILE) },
    rosterImport: { rows: rows.length, fileKb: round(file.byteLength / 1024), ...imported },
  }),
);
