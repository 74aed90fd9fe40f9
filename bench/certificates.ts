// Certificate throughput: `npx tsx bench/certificates.ts [count]` (default 1,000).
// Runs on a fresh temporary SQLite database; prints a table and writes
// bench/results/certificates-<date>.json.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { subtreesOf } from "~/utils/org-units";

const count = Number(process.argv[2] ?? 1000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kns-bench-"));
process.env.DATABASE_URL = `file:${path.join(dir, "bench.db")}`;
execFileSync("npx", ["tsx", "scripts/migrate.ts"], { env: process.env, stdio: "pipe" });

// Imported only now: the database client reads DATABASE_URL when it loads.
const { db } = await import("~/services/db.server");
const { syncContent } = await import("~/services/content.server");
const certs = await import("~/services/certificates.server");

const ms = (start: number) => performance.now() - start;
// CPU time of this process: on a busy machine wall-clock time mostly measures the neighbours.
const cpuMs = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const { problems } = await syncContent("tests/fixtures/content");
if (problems.length) throw new Error(JSON.stringify(problems));
const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
const unit = await db.orgUnit.create({ data: { code: "B1", kind: "province", nameVi: "Uỷ ban nhân dân xã Bảo Hà, tỉnh Lào Cai", nameEn: "Bao Ha", path: "/B1/", depth: 0 } });
await db.user.createMany({
  data: Array.from({ length: count }, (_, i) => ({
    email: `hv${i}@bench.vn`,
    fullName: `Nguyễn Thị Ánh Tuyết ${i}`,
    position: "Chuyên viên",
    orgUnitId: unit.id,
  })),
});
const users = await db.user.findMany({ select: { id: true }, orderBy: { id: "asc" } });
const completedAt = new Date();
await db.enrollment.createMany({ data: users.map((u) => ({ userId: u.id, courseId: course.id, completedAt })) });
const enrollments = await db.enrollment.findMany({ select: { id: true }, orderBy: { id: "asc" } });

const origin = "https://kynangso.example.gov.vn";
const ctx = { userId: null };

// 1. Cold: the first certificate of the process loads and parses the fonts.
let start = performance.now();
const first = await certs.issueCertificate(enrollments[0].id, ctx);
const firstRecord = await db.certificate.findUniqueOrThrow({ where: { id: first.id } });
const firstPdf = await certs.renderCertificatePdf(firstRecord, { origin });
const coldMs = ms(start);

// 2. Warm rendering of one certificate, repeated.
const renders: number[] = [];
let cpu = process.cpuUsage();
for (let i = 0; i < 50; i++) {
  start = performance.now();
  await certs.renderCertificatePdf(firstRecord, { origin });
  renders.push(ms(start));
}
const warmRenderCpuMs = cpuMs(cpu) / 50;

// 3. Issue and render the rest, one after another as completions arrive.
const issueTimes: number[] = [];
const renderTimes: number[] = [];
let bytes = 0;
cpu = process.cpuUsage();
start = performance.now();
for (const e of enrollments.slice(1)) {
  let t = performance.now();
  const issued = await certs.issueCertificate(e.id, ctx);
  issueTimes.push(ms(t));
  const record = await db.certificate.findUniqueOrThrow({ where: { id: issued.id } });
  t = performance.now();
  bytes += (await certs.renderCertificatePdf(record, { origin })).byteLength;
  renderTimes.push(ms(t));
}
const batchMs = ms(start) + coldMs;
const batchCpuMs = cpuMs(cpu);

// 4. Public verification of one code.
const verifies: number[] = [];
for (let i = 0; i < 200; i++) {
  start = performance.now();
  await certs.verifyCertificate(certs.verifyUrl(firstRecord.code, origin).split("/").pop()!);
  verifies.push(ms(start));
}

// 5. The ZIP an HR officer downloads for the whole unit.
start = performance.now();
const all = await certs.certificatesForZip(subtreesOf(["/"]), "B1", new Date(0), new Date(Date.now() + 86_400_000));
const reader = certs.zipCertificates(all!.certificates, origin).getReader();
let zipBytes = 0;
for (let r = await reader.read(); !r.done; r = await reader.read()) zipBytes += r.value.byteLength;
const zipMs = ms(start);

const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadAverage: os.loadavg().map((x) => round(x, 2)) },
  count,
  coldFirstCertificateMs: round(coldMs),
  warmRenderMsMedian: round(median(renders)),
  warmRenderMsMean: round(renders.reduce((a, b) => a + b, 0) / renders.length),
  warmRenderCpuMs: round(warmRenderCpuMs),
  pdfSizeKb: round(firstPdf.byteLength / 1024),
  meanPdfSizeKb: round(bytes / (count - 1) / 1024),
  issueMsMedian: round(median(issueTimes), 2),
  renderMsMedianInBatch: round(median(renderTimes)),
  issueAndRenderTotalSeconds: round(batchMs / 1000, 2),
  issueAndRenderMsPerCertificate: round(batchMs / count),
  issueAndRenderCpuMsPerCertificate: round(batchCpuMs / (count - 1)),
  verifyMsMedian: round(median(verifies), 2),
  zipSeconds: round(zipMs / 1000, 2),
  zipSizeMb: round(zipBytes / 1024 / 1024, 2),
};

console.table({
  "first certificate, cold (ms)": results.coldFirstCertificateMs,
  "render one PDF, warm median (ms)": results.warmRenderMsMedian,
  "render one PDF, warm mean (ms)": results.warmRenderMsMean,
  "render one PDF, warm CPU time (ms)": results.warmRenderCpuMs,
  "PDF size (KB)": results.pdfSizeKb,
  "issue one (DB, median ms)": results.issueMsMedian,
  [`issue + render ${count} (s)`]: results.issueAndRenderTotalSeconds,
  "issue + render, per certificate (ms)": results.issueAndRenderMsPerCertificate,
  "issue + render, CPU per certificate (ms)": results.issueAndRenderCpuMsPerCertificate,
  "verify one code (median ms)": results.verifyMsMedian,
  [`ZIP of ${count} (s)`]: results.zipSeconds,
  [`ZIP of ${count} (MB)`]: results.zipSizeMb,
});
console.log(`machine: ${results.machine.cpus} CPU ${results.machine.cpu ?? ""}, load ${results.machine.loadAverage.join(" ")}, node ${results.machine.node}`);

fs.mkdirSync("bench/results", { recursive: true });
const file = `bench/results/certificates-${results.date.slice(0, 10)}.json`;
fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`written ${file}`);
await db.$disconnect();
fs.rmSync(dir, { recursive: true, force: true });
