// Going live at a province's scale: `npx tsx bench/activation.ts [people]` (default 40,000;
// build/ must exist).
//
// On a fresh temporary SQLite database: `people` imported staff who never signed in, in one
// province, and 100 learners reading lessons. The production server (build/server.js) runs with
// SMTP pointed at a local SMTP server in this process. An HR officer sends activation mail to the
// whole province through the page (time until the request returns: queueing), then the server
// delivers in the background (time until the last mail arrived), while a separate process reads
// lesson pages at a steady 150 a second (p50/p99/max alone and during queueing and delivery). Then the activation letters of a 500-person
// unit (seconds, PDF size). Prints a table, writes bench/results/activation-<date>.json.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { startServer } from "../tests/support/server";
import { lessonLoad } from "./lesson-load";

const people = Number(process.argv[2] ?? 40_000);
const READERS = 100;
const CONNECTIONS = 10;
// Lessons read at a steady pace during delivery, as a working day brings them (not as fast as the
// server can answer, which would leave delivery only what a saturated server spares).
const LESSON_RATE = 150;
const BASELINE_S = 8;
const DELIVERY_LIMIT_S = 600;
const LETTER_UNIT_SIZE = 500;
const COOKIE = "__Host-kns_session";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kns-bench-"));
const databaseUrl = `file:${path.join(dir, "bench.db")}`;
process.env.DATABASE_URL = databaseUrl;
execFileSync("npx", ["tsx", "scripts/migrate.ts"], { env: process.env, stdio: "pipe" });

const { db } = await import("~/platform/db.server");
const { syncContent } = await import("~/content/content-sync.server");
const { lucia } = await import("~/identity/auth.server");

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const say = (line: string) => console.log(`· ${line}`);

// ---------------------------------------------------------------------------------------------
// Data: a province, a 500-person commune inside it, the imported staff, HR, lesson readers.

const { problems } = await syncContent("content");
if (problems.length) throw new Error(JSON.stringify(problems));
const courses = await db.course.findMany({
  where: { publishedVersionId: { not: null } },
  select: { id: true, slug: true, publishedVersion: { select: { lessons: { orderBy: { position: "asc" }, take: 1, select: { slug: true } } } } },
});
const province = await db.orgUnit.create({ data: { code: "15", kind: "province", nameVi: "Tỉnh Lào Cai", nameEn: "Lao Cai", path: "/15/", depth: 0 } });
const commune = await db.orgUnit.create({ data: { code: "02647", kind: "commune", nameVi: "Phường Lào Cai", nameEn: "Lao Cai", parentId: province.id, path: "/15/02647/", depth: 1 } });
for (let i = 0; i < people; i += 5000) {
  await db.user.createMany({
    data: Array.from({ length: Math.min(5000, people - i) }, (_, j) => ({
      email: `cb${i + j}@laocai.gov.vn`,
      employeeCode: `LC${String(i + j).padStart(6, "0")}`,
      fullName: `Nguyễn Thị Ánh Tuyết ${i + j}`,
      position: "Chuyên viên",
      orgUnitId: i + j < LETTER_UNIT_SIZE ? commune.id : province.id,
    })),
  });
}
const { hashPassword } = await import("~/identity/auth.server");
const hr = await db.user.create({
  data: { email: "nhansu@laocai.gov.vn", fullName: "Lê Thu Hà", orgUnitId: province.id, passwordHash: await hashPassword("Nhan-su-2026"), activatedAt: new Date(), roles: { create: { role: "hr", orgUnitId: province.id } } },
});
const hrCookie = `${COOKIE}=${(await lucia.createSession(hr.id, { secondFactor: "totp" })).id}`;
const readers = await Promise.all(
  Array.from({ length: READERS }, (_, i) =>
    db.user.create({ data: { email: `hv${i}@bench.vn`, fullName: `Học viên ${i}`, orgUnitId: province.id, passwordHash: "x", activatedAt: new Date() } }),
  ),
);
const lessonRequests: { path: string; cookie: string }[] = [];
for (const [i, u] of readers.entries()) {
  const course = courses[i % courses.length];
  await db.enrollment.create({ data: { userId: u.id, courseId: course.id } });
  lessonRequests.push({ path: `/courses/${course.slug}/${course.publishedVersion!.lessons[0].slug}`, cookie: `${COOKIE}=${(await lucia.createSession(u.id, { secondFactor: "totp" })).id}` });
}
const requestsFile = path.join(dir, "requests.json");
fs.writeFileSync(requestsFile, JSON.stringify(lessonRequests));

// ---------------------------------------------------------------------------------------------
// A local SMTP server that counts what arrives.

let received = 0;
let lastReceivedAt = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  // No reverse DNS lookup of every client: there is no resolver to ask on this machine.
  disableReverseLookup: true,
  onData(stream, _session, done) {
    stream.on("data", () => {});
    stream.on("end", () => {
      received++;
      lastReceivedAt = performance.now();
      done();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
const smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as { port: number }).port}`;
const server = await startServer({ DATABASE_URL: databaseUrl, SMTP_URL: smtpUrl, APP_URL: "https://kynangso.laocai.gov.vn", JOBS_EVERY_MINUTES: "0" });

const lessonLoadOf = (seconds: number) => lessonLoad(server.url, requestsFile, seconds, CONNECTIONS, LESSON_RATE);

const post = (form: Record<string, string>, cookie = hrCookie) =>
  fetch(`${server.url}/hr/staff/activation`, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, Origin: server.url },
    redirect: "manual",
  });

const baseline = await lessonLoadOf(BASELINE_S).done;
say(`lessons alone: ${round(baseline.rps)} req/s, p50 ${baseline.p50} ms, p99 ${baseline.p99} ms, max ${baseline.max} ms`);

// ---------------------------------------------------------------------------------------------
// Activation mail to the whole province, while lessons are read.

const load = lessonLoadOf(DELIVERY_LIMIT_S + 60);
let start = performance.now();
const queued = await post({ unit: "15", intent: "mail" });
const queueMs = performance.now() - start;
if (queued.status !== 302) throw new Error(`activation answered ${queued.status}: ${server.output().slice(-2000)}`);
const count = Number(new URL(queued.headers.get("location")!, server.url).searchParams.get("count"));
say(`queued ${count} activation mails in ${round(queueMs / 1000, 2)} s`);
while (received < count && performance.now() - start < DELIVERY_LIMIT_S * 1000) await new Promise((r) => setTimeout(r, 200));
const deliveryS = (lastReceivedAt - start) / 1000;
load.stop();
const during = await load.done;
say(`delivered ${received} of ${count} in ${round(deliveryS, 1)} s; lessons meanwhile: p50 ${during.p50} ms, p99 ${during.p99} ms, max ${during.max} ms, errors ${during.errors}`);
const sent = await db.outboxMail.count({ where: { sentAt: { not: null } } });

// ---------------------------------------------------------------------------------------------
// Letters for the 500-person commune (its people got mail but never signed in), with a session
// young enough for the password confirmation that printing letters asks for.

start = performance.now();
const letters = await post({ unit: "02647", intent: "letters" }, `${COOKIE}=${(await lucia.createSession(hr.id, { secondFactor: "totp" })).id}`);
const pdf = Buffer.from(await letters.arrayBuffer());
const lettersS = (performance.now() - start) / 1000;
if (letters.status !== 200) throw new Error(`letters answered ${letters.status}`);
say(`letters for ${LETTER_UNIT_SIZE} people: ${round(lettersS, 2)} s, ${round(pdf.byteLength / 1024)} KB`);

await server.stop();
await new Promise<void>((resolve) => smtp.close(() => resolve()));

const results = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadAverage: os.loadavg().map((x) => round(x, 2)) },
  people,
  activationMail: { queued: count, queueSeconds: round(queueMs / 1000, 2), delivered: received, recordedSent: sent, deliverySeconds: round(deliveryS, 1), perSecond: round(received / deliveryS) },
  lessonsAlone: { ...baseline, rps: round(baseline.rps) },
  lessonsDuringDelivery: { ...during, rps: round(during.rps) },
  letters: { people: LETTER_UNIT_SIZE, seconds: round(lettersS, 2), pdfKb: round(pdf.byteLength / 1024) },
};
console.table({
  "activation mail: queued (people)": count,
  "activation mail: time to queue (s)": results.activationMail.queueSeconds,
  "activation mail: time to deliver all (s)": results.activationMail.deliverySeconds,
  "activation mail: delivered · recorded sent": `${received} · ${sent}`,
  "lessons alone: req/s · p50 · p99 · max (ms)": `${results.lessonsAlone.rps} · ${baseline.p50} · ${baseline.p99} · ${baseline.max}`,
  "lessons during delivery: req/s · p50 · p99 · max (ms)": `${results.lessonsDuringDelivery.rps} · ${during.p50} · ${during.p99} · ${during.max}`,
  "lessons during delivery: errors": during.errors,
  [`letters for ${LETTER_UNIT_SIZE} people (s)`]: results.letters.seconds,
  "letters PDF (KB)": results.letters.pdfKb,
});
fs.mkdirSync("bench/results", { recursive: true });
const file = `bench/results/activation-${results.date.slice(0, 10)}.json`;
fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`written ${file}`);
await db.$disconnect();
fs.rmSync(dir, { recursive: true, force: true });
if (during.errors > 0 || received < count) process.exitCode = 1;
