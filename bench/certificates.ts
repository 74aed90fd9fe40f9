// Certificate cost: `npx tsx bench/certificates.ts [count]` (default 1,000; build/ must exist).
// `npm run bench` runs it too (scenario "certificates").
//
// Certificates are signed (PAdES) as a deployment with a key signs them: a demo key is made in
// the temporary folder, and the first PDF is checked with pdfsig when poppler is installed.
// On a fresh temporary SQLite database with the shipped courses: the first certificate of a
// process (cold), one PDF rendered warm, its size, a public verification, and then a batch of
// `count` certificates issued and rendered one after another WHILE the production server
// (build/server.js, on the same database) serves lesson pages to signed-in learners driven by
// autocannon in a separate process. Lesson latency is measured alone first, then during the
// batch; every lesson request must succeed. The batch stops after BATCH_LIMIT_S whatever the
// count, so the run stays bounded. Prints a table, writes bench/results/certificates-<date>.json.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer } from "../tests/support/server";
import { lessonLoad } from "./lesson-load";

const count = Number(process.argv[2] ?? 1000);
const READERS = 100; // learners reading lessons during the batch
const CONNECTIONS = 10; // lesson requests in flight at any moment
const BASELINE_S = 8; // lesson load alone, for comparison
const BATCH_LIMIT_S = 240;
const COOKIE = "__Host-kns_session"; // the production cookie name

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kns-bench-"));
const databaseUrl = `file:${path.join(dir, "bench.db")}`;
process.env.DATABASE_URL = databaseUrl;
execFileSync("npx", ["tsx", "scripts/migrate.ts"], { env: process.env, stdio: "pipe" });
process.env.SIGNING_P12_FILE = path.join(dir, "signing.p12");
process.env.SIGNING_P12_PASSPHRASE = "bench";
(await import("~/certificates/pdf-signing.server")).createDemoSigningIdentity(process.env.SIGNING_P12_FILE, "bench", "Kỹ Năng Số (bench)");

// Imported only now: the database client reads DATABASE_URL when it loads.
const { db } = await import("~/platform/db.server");
const { syncContent } = await import("~/content/content-sync.server");
const { lucia } = await import("~/identity/auth.server");
const certs = { ...(await import("~/certificates/issue.server")), ...(await import("~/certificates/certificate-pdf.server")), ...(await import("~/certificates/verification.server")) };

const ms = (start: number) => performance.now() - start;
// CPU time of this process: on a busy machine wall-clock time mostly measures the neighbours.
const cpuMs = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const say = (line: string) => console.log(`· ${line}`);

// ---------------------------------------------------------------------------------------------
// Data: the shipped courses, one unit, learners who completed a course, learners reading one.

const { problems } = await syncContent("content");
if (problems.length) throw new Error(JSON.stringify(problems));
const courses = await db.course.findMany({
  where: { publishedVersionId: { not: null } },
  orderBy: { slug: "asc" },
  select: { id: true, slug: true, publishedVersion: { select: { lessons: { orderBy: { position: "asc" }, take: 1, select: { slug: true } } } } },
});
const unit = await db.orgUnit.create({ data: { code: "B1", kind: "commune", nameVi: "Ủy ban nhân dân xã Bảo Hà, tỉnh Lào Cai", nameEn: "Bao Ha", path: "/B1/", depth: 0 } });
await db.user.createMany({
  data: Array.from({ length: count + 1 + READERS }, (_, i) => ({
    email: `hv${i}@bench.vn`,
    fullName: `Nguyễn Thị Ánh Tuyết ${i}`,
    position: "Chuyên viên",
    orgUnitId: unit.id,
  })),
});
const users = await db.user.findMany({ select: { id: true }, orderBy: { id: "asc" } });
const graduates = users.slice(0, count + 1);
const readerIds = users.slice(count + 1);
const completedAt = new Date();
await db.enrollment.createMany({ data: graduates.map((u) => ({ userId: u.id, courseId: courses[0].id, completedAt })) });
const enrollments = await db.enrollment.findMany({ select: { id: true }, orderBy: { id: "asc" } });
await db.enrollment.createMany({ data: readerIds.map((u, i) => ({ userId: u.id, courseId: courses[i % courses.length].id })) });
const lessonRequests: { path: string; cookie: string }[] = [];
for (const [i, u] of readerIds.entries()) {
  const course = courses[i % courses.length];
  const session = await lucia.createSession(u.id, { secondFactor: "totp" });
  lessonRequests.push({ path: `/courses/${course.slug}/${course.publishedVersion!.lessons[0].slug}`, cookie: `${COOKIE}=${session.id}` });
}

const ctx = { userId: null };

// ---------------------------------------------------------------------------------------------
// 1–3. Alone: cold, warm, size, verification

let start = performance.now();
const first = await certs.issueCertificate(enrollments[0].id, ctx);
const firstRecord = await db.certificate.findUniqueOrThrow({ where: { id: first.id } });
const firstPdf = await certs.renderCertificatePdf(firstRecord);
const coldMs = ms(start);
const signature = (() => {
  const file = path.join(dir, "first.pdf");
  fs.writeFileSync(file, firstPdf);
  try {
    const report = execFileSync("pdfsig", [file], { encoding: "utf8" });
    if (!/Signature Validation: Signature is Valid/.test(report)) throw new Error(`pdfsig does not find the signature valid:\n${report}`);
    return "valid (pdfsig)";
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "not checked (no pdfsig)";
    throw e;
  }
})();
say(`first certificate signed: ${signature}`);

const renders: number[] = [];
let cpu = process.cpuUsage();
for (let i = 0; i < 30; i++) {
  start = performance.now();
  await certs.renderCertificatePdf(firstRecord);
  renders.push(ms(start));
}
const warmRenderCpuMs = cpuMs(cpu) / 30;

const verifies: number[] = [];
for (let i = 0; i < 200; i++) {
  start = performance.now();
  await certs.verifyCertificate(firstRecord.code);
  verifies.push(ms(start));
}

// ---------------------------------------------------------------------------------------------
// 4. Lesson pages from the production server, alone and then during the batch

const server = await startServer({ DATABASE_URL: databaseUrl, SIGNING_P12_FILE: process.env.SIGNING_P12_FILE, SIGNING_P12_PASSPHRASE: "bench" });
for (const r of lessonRequests.slice(0, courses.length)) {
  const res = await fetch(server.url + r.path, { headers: { cookie: r.cookie } });
  if (res.status !== 200) throw new Error(`lesson page answered ${res.status}: ${r.path}`);
}
const requestsFile = path.join(dir, "requests.json");
fs.writeFileSync(requestsFile, JSON.stringify(lessonRequests));

const lessonLoadOf = (seconds: number) => lessonLoad(server.url, requestsFile, seconds, CONNECTIONS);

const baseline = await lessonLoadOf(BASELINE_S).done;
say(`lessons alone: ${round(baseline.rps)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms, errors ${baseline.errors}`);

// 5. The batch: issue and render, one after another, as a nightly or bulk issue would.
const load = lessonLoadOf(BATCH_LIMIT_S + 30);
const issueTimes: number[] = [];
const renderTimes: number[] = [];
let bytes = 0;
cpu = process.cpuUsage();
start = performance.now();
for (const e of enrollments.slice(1)) {
  if (ms(start) > BATCH_LIMIT_S * 1000) break;
  let t = performance.now();
  const issued = await certs.issueCertificate(e.id, ctx);
  issueTimes.push(ms(t));
  const record = await db.certificate.findUniqueOrThrow({ where: { id: issued.id } });
  t = performance.now();
  bytes += (await certs.renderCertificatePdf(record)).byteLength;
  renderTimes.push(ms(t));
}
const batchMs = ms(start);
const batchCpuMs = cpuMs(cpu);
load.stop();
const during = await load.done;
const issued = issueTimes.length;
say(`batch: ${issued} certificates in ${round(batchMs / 1000, 1)} s; lessons meanwhile: ${during.requests} requests, p50 ${during.p50} ms, p99 ${during.p99} ms, errors ${during.errors}`);
await server.stop();

const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadAverage: os.loadavg().map((x) => round(x, 2)) },
  count,
  signed: signature,
  coldFirstCertificateMs: round(coldMs),
  warmRenderMsMedian: round(median(renders)),
  warmRenderMsMean: round(renders.reduce((a, b) => a + b, 0) / renders.length),
  warmRenderCpuMs: round(warmRenderCpuMs),
  pdfSizeKb: round(firstPdf.byteLength / 1024),
  verifyMsMedian: round(median(verifies), 2),
  batch: {
    issued,
    complete: issued === count,
    seconds: round(batchMs / 1000, 1),
    msPerCertificate: round(batchMs / issued),
    cpuMsPerCertificate: round(batchCpuMs / issued),
    issueMsMedian: round(median(issueTimes), 2),
    renderMsMedian: round(median(renderTimes)),
    meanPdfSizeKb: round(bytes / issued / 1024),
  },
  lessonsAlone: { ...baseline, rps: round(baseline.rps), seconds: round(baseline.seconds, 1) },
  lessonsDuringBatch: { ...during, rps: round(during.rps), seconds: round(during.seconds, 1) },
  lessonLoad: { connections: CONNECTIONS, learners: READERS, courses: courses.length },
};

console.table({
  "signature of the first PDF": signature,
  "first certificate, cold (ms)": results.coldFirstCertificateMs,
  "render one PDF, warm median (ms)": results.warmRenderMsMedian,
  "render one PDF, warm CPU time (ms)": results.warmRenderCpuMs,
  "PDF size (KB)": results.pdfSizeKb,
  "verify one code (median ms)": results.verifyMsMedian,
  [`batch: issue + render ${issued}${issued < count ? ` of ${count} (time limit)` : ""} (s)`]: results.batch.seconds,
  "batch: per certificate (ms)": results.batch.msPerCertificate,
  "batch: issue one, DB (median ms)": results.batch.issueMsMedian,
  "lessons alone: req/s · p50 · p99 (ms)": `${results.lessonsAlone.rps} · ${baseline.p50} · ${baseline.p99}`,
  "lessons during batch: requests": during.requests,
  "lessons during batch: req/s · p50 · p99 (ms)": `${results.lessonsDuringBatch.rps} · ${during.p50} · ${during.p99}`,
  "lessons during batch: errors": during.errors,
});
console.log(`machine: ${results.machine.cpus} CPU ${results.machine.cpu ?? ""}, load ${results.machine.loadAverage.join(" ")}, node ${results.machine.node}`);

fs.mkdirSync("bench/results", { recursive: true });
const file = `bench/results/certificates-${results.date.slice(0, 10)}.json`;
fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`written ${file}`);
await db.$disconnect();
fs.rmSync(dir, { recursive: true, force: true });
if (during.errors > 0) process.exitCode = 1;
