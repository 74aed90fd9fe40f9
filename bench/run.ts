// Load benchmark of the production server: `npm run bench` (SQLite, a 40,000-staff province) or
// `npm run bench -- --postgres` (KNS_BENCH_POSTGRES_URL, default
// postgresql://postgres:postgres@127.0.0.1:5432/kns_bench, generated nationally when empty).
//
// Options: --duration <s> (10), --connections <n> (50), --only <names,…>, --profile (runs the
// lesson scenario under `node --cpu-prof` and prints where the server's time goes; `--profile
// <scenario>` another one), --node-options "<flags>" (more Node flags for the server, e.g. heap
// limits), --submissions <n> (4000), --completers <n> (1000 learners for the lesson-complete
// scenario, each finishing every lesson they have left), --no-build (use build/ as it is; the
// default builds first), --server-log <file> (writes what the server printed there), --no-wrk
// (autocannon only), --pin (the server's main thread on CPU 1, the bench and its load generators
// on CPU 0; the server's helper threads, V8's garbage collection and compilation, may run on
// either, as they would on a machine with cores to spare; see docs/performance.md),
// --nginx (the load goes through nginx with the README's settings, bench/nginx-site.conf: one
// worker, beside the load generators; the server's CPU per request is the app's alone),
// --certificates <n> (1000 signed certificates issued during lesson load, bench/certificates.ts);
// scenario "trainer-tools": question statistics at 20× a province's attempts and a 1,000-question import.
// Scenario "coverage-national" (--postgres): the coverage page of the whole country, one connection.
//
// Every scenario that can be repeated is measured twice: by autocannon, in this process, and then
// by wrk (bench/wrk.ts), a C load generator in a process of its own, with the same connections,
// duration and rotation of learners and sessions. The two can disagree about the slow end (see
// docs/performance.md, "Tail latency"): both are reported, p50, p99 and max, with the server's
// CPU time per request over each run. Scenarios whose requests can each be sent only once
// (quiz submissions, lesson completions) are measured by autocannon alone.
//
// Everything runs on loopback and stops by itself. Prints one table and writes
// bench/results/<yyyy-mm-dd>.json (…-postgres.json for PostgreSQL).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startNginxFront } from "./nginx-front";
import { productionServerArgs, productionServerEnv } from "./production-node";
import { runWrk, wrkAvailable, type WrkRequest, type WrkResult } from "./wrk";

// ---------------------------------------------------------------------------------------------
// Options

const argv = process.argv.slice(2);
const opt = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const postgres = argv.includes("--postgres");
const profile = argv.includes("--profile");
// `--profile` profiles the lesson scenario; `--profile <scenario>` another one (e.g. floor-login).
const profileTarget = (() => {
  const next = opt("profile");
  return next && !next.startsWith("--") ? next : "lesson";
})();
const DURATION = Number(opt("duration") ?? 10);
const CONNECTIONS = Number(opt("connections") ?? 50);
const only = opt("only")?.split(",");
const wanted = (name: string) => !only || only.includes(name);
const READERS = 200; // learners spread over the read scenarios' connections
const SUBMISSIONS = Number(opt("submissions") ?? 4000); // prepared open attempts, one submission each
const COMPLETERS = Number(opt("completers") ?? 1000); // learners who mark their remaining lessons done
// Two cores: with --pin the server has one to itself and the load generators share the other.
const pin = argv.includes("--pin");
const SERVER_CPU = "1";
const LOAD_CPU = "0";
const withWrk = !argv.includes("--no-wrk") && !profile && wrkAvailable();
const viaNginx = argv.includes("--nginx");
// Requests in wrk's rotation: enough for every learner, session and (for /verify) address.
const WRK_LIST = 20_000;

// autocannon ships no types: the little of its API used here.
type AcRequest = { method: string; path: string; headers: Record<string, string>; body?: string };
type AcClient = { setRequests(requests: { method: string; path: string; setupRequest(req: AcRequest): AcRequest; onResponse(status: number): void }[]): void };
type AcResult = { duration: number; errors: number; timeouts: number; latency: { p50: number; p99: number; max: number }; throughput: { total: number } };
type AcInstance = Promise<AcResult> & { stop(): void };
const autocannon = createRequire(import.meta.url)("autocannon") as (options: {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  timeout: number;
  setupClient(client: AcClient): void;
}) => AcInstance;

const ROOT = process.cwd();
const DATA_DIR = path.join(ROOT, "bench/.data");
const PROVINCE_DB = path.join(DATA_DIR, "province.db");
// One copy per bench process, so two benches on one machine never share a database.
const RUN_DB = path.join(DATA_DIR, `run-${process.pid}.db`);
const PG_URL = process.env.KNS_BENCH_POSTGRES_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/kns_bench";
const PROVINCE_CODE = "15"; // Lào Cai: the province of the SQLite data, and one of the 34 nationally
const COOKIE = "__Host-kns_session"; // the production cookie name
const ACCEPT_ENCODING = "gzip, deflate, br"; // what browsers send: compression is part of the cost

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const say = (line: string) => console.log(`· ${line}`);

// ---------------------------------------------------------------------------------------------
// 1. Build, data and database

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status})`);
}

// Always the current source: a stale build/ would measure yesterday's code.
if (!argv.includes("--no-build") || !fs.existsSync("build/server.js")) {
  say("npm run build");
  run("npm", ["run", "build"]);
}

async function pgUserCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return Number((await client.query(`SELECT COUNT(*) AS n FROM "User"`)).rows[0].n);
  } catch {
    return 0;
  } finally {
    await client.end().catch(() => {});
  }
}

let databaseUrl: string;
if (postgres) {
  databaseUrl = PG_URL;
  if ((await pgUserCount(PG_URL)) === 0) {
    say("PostgreSQL bench database is empty: generating national data (several minutes)");
    run("npx", ["tsx", "scripts/generate-data.ts", "--national", "--db", PG_URL]);
  }
} else {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  if (!fs.existsSync(PROVINCE_DB)) {
    say("generating the province database once: bench/.data/province.db");
    run("npx", ["tsx", "scripts/generate-data.ts", "--province", "--db", `file:${PROVINCE_DB}`]);
  }
  // Each run starts from the same data: scenarios write (sessions, answers, submissions).
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(RUN_DB + suffix, { force: true });
  fs.copyFileSync(PROVINCE_DB, RUN_DB);
  databaseUrl = `file:${RUN_DB}`;
}
// Data generated by an older version gets the migrations added since.
run("npx", ["tsx", "scripts/migrate.ts"], { DATABASE_URL: databaseUrl });
process.env.DATABASE_URL = databaseUrl;
// Certificates are signed as a deployment with a key signs them: a demo key made once.
const SIGNING_KEY = path.join(DATA_DIR, "bench-signing.p12");
process.env.SIGNING_P12_FILE = SIGNING_KEY;
process.env.SIGNING_P12_PASSPHRASE = "bench";
if (!fs.existsSync(SIGNING_KEY)) {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  (await import("~/certificates/pdf-signing.server")).createDemoSigningIdentity(SIGNING_KEY, "bench", "Kỹ Năng Số (bench)");
}

// The app's modules read DATABASE_URL when they load.
const { db } = await import("~/platform/db.server");
const { lucia } = await import("~/identity/auth.server");
const { startAttempt } = await import("~/learning/quiz.server");
const { getPublishedCourse } = await import("~/content/catalog.data.server");
const { coverageByOrgUnit } = await import("~/hr/coverage.server");
const { subtreeOf } = await import("~/utils/org-units");

// ---------------------------------------------------------------------------------------------
// 2. Set-up: distinct learners with sessions, open attempts, certificate codes, an HR officer

type Learner = { userId: number; enrollmentId: number; slug: string; lesson: string; cookie: string };

/** Learners enrolled in a course they have not finished and have no attempt in yet. */
async function freshLearners(count: number, skipUsers: Set<number>): Promise<Omit<Learner, "cookie">[]> {
  const rows = await db.$queryRawUnsafe<{ userId: number; enrollmentId: number; slug: string; lastLessonId: number | null; versionId: number }[]>(
    `SELECT e."userId" AS "userId", e."id" AS "enrollmentId", c."slug" AS slug, e."lastLessonId" AS "lastLessonId", c."publishedVersionId" AS "versionId"
     FROM "Enrollment" e JOIN "Course" c ON c."id" = e."courseId" JOIN "User" u ON u."id" = e."userId"
     WHERE e."completedAt" IS NULL AND u."active" = TRUE AND u."email" LIKE 'cb${PROVINCE_CODE}.%'
       AND NOT EXISTS (SELECT 1 FROM "QuizAttempt" a WHERE a."enrollmentId" = e."id")
     ORDER BY e."id" LIMIT ${count * 3 + skipUsers.size * 2}`,
  );
  const lessons = new Map<number, { lessonId: number; slug: string }[]>();
  const seen = new Set<number>();
  const out: Omit<Learner, "cookie">[] = [];
  for (const r of rows) {
    const userId = Number(r.userId);
    if (seen.has(userId) || skipUsers.has(userId)) continue; // one enrolment per learner
    seen.add(userId);
    const versionId = Number(r.versionId);
    if (!lessons.has(versionId)) {
      lessons.set(versionId, await db.versionLesson.findMany({ where: { versionId }, orderBy: { position: "asc" }, select: { lessonId: true, slug: true } }));
    }
    const list = lessons.get(versionId)!;
    // The lesson they would resume: the one after the last they opened.
    const at = list.findIndex((l) => l.lessonId === Number(r.lastLessonId));
    out.push({ userId, enrollmentId: Number(r.enrollmentId), slug: r.slug, lesson: list[Math.min(at + 1, list.length - 1)].slug });
    if (out.length === count) break;
  }
  if (out.length < count) throw new Error(`only ${out.length} of ${count} suitable learners in the data`);
  return out;
}

async function withSessions(list: Omit<Learner, "cookie">[]): Promise<Learner[]> {
  const out: Learner[] = [];
  for (const l of list) out.push({ ...l, cookie: `${COOKIE}=${(await lucia.createSession(l.userId, { secondFactor: "totp" })).id}` });
  return out;
}

async function openAttemptFor(l: Learner): Promise<number> {
  const course = await getPublishedCourse(l.slug);
  return startAttempt({ id: l.enrollmentId }, course!, { userId: l.userId, ip: "127.0.0.1" });
}

/** Many open attempts at once, written in bulk (startAttempt one by one would take minutes). */
async function bulkOpenAttempts(list: Learner[]) {
  const versions = new Map<string, { versionId: number; bank: { id: number; choices: string }[] }>();
  for (const l of list) {
    if (versions.has(l.slug)) continue;
    const course = await db.course.findUniqueOrThrow({ where: { slug: l.slug }, select: { publishedVersionId: true } });
    const bank = await db.versionQuestion.findMany({ where: { versionId: course.publishedVersionId! }, select: { id: true, choices: true } });
    versions.set(l.slug, { versionId: course.publishedVersionId!, bank });
  }
  const out: { learner: Learner; attemptId: number; body: string }[] = [];
  for (let i = 0; i < list.length; i += 500) {
    const chunk = list.slice(i, i + 500);
    const created = await db.quizAttempt.createManyAndReturn({
      data: chunk.map((l) => ({ enrollmentId: l.enrollmentId, versionId: versions.get(l.slug)!.versionId, number: 1, questionCount: 10, startedAt: new Date() })),
      select: { id: true, enrollmentId: true },
    });
    const questions: { attemptId: number; position: number; questionId: number; choiceOrder: string }[] = [];
    for (const a of created) {
      const learner = chunk.find((l) => l.enrollmentId === a.enrollmentId)!;
      const bank = versions.get(learner.slug)!.bank;
      const drawn = [...bank].sort(() => Math.random() - 0.5).slice(0, 10);
      const form = new URLSearchParams({ intent: "submit", attemptId: String(a.id) });
      drawn.forEach((q, i) => {
        const choices = JSON.parse(q.choices) as { id: string; correct: boolean }[];
        questions.push({ attemptId: a.id, position: i + 1, questionId: q.id, choiceOrder: JSON.stringify(choices.map((c) => c.id)) });
        // Mostly right answers: about two thirds of the submissions pass.
        const pickRight = Math.random() < 0.85;
        const choice = choices.find((c) => c.correct === pickRight) ?? choices[0];
        form.append(`q${i + 1}`, choice.id);
      });
      out.push({ learner, attemptId: a.id, body: form.toString() });
    }
    await db.attemptQuestion.createMany({ data: questions });
  }
  return out;
}

type Completion = { learner: Learner; lessonId: number; lesson: string };

/**
 * Every lesson these learners have not done yet, in course order, interleaved learner by learner:
 * a learner's next lesson comes a whole round of learners later, long after the previous one was
 * answered, so sequential courses find it open.
 */
async function lessonsLeft(list: Learner[]): Promise<Completion[]> {
  const done = new Set<string>();
  for (let i = 0; i < list.length; i += 500) {
    const rows = await db.lessonCompletion.findMany({ where: { enrollmentId: { in: list.slice(i, i + 500).map((l) => l.enrollmentId) } }, select: { enrollmentId: true, lessonId: true } });
    for (const r of rows) done.add(`${r.enrollmentId}:${r.lessonId}`);
  }
  const lessons = new Map<string, { lessonId: number; slug: string }[]>();
  for (const slug of new Set(list.map((l) => l.slug))) {
    const course = await db.course.findUniqueOrThrow({ where: { slug }, select: { publishedVersionId: true } });
    lessons.set(slug, await db.versionLesson.findMany({ where: { versionId: course.publishedVersionId! }, orderBy: { position: "asc" }, select: { lessonId: true, slug: true } }));
  }
  const perLearner = list.map((l) => lessons.get(l.slug)!.filter((x) => !done.has(`${l.enrollmentId}:${x.lessonId}`)).map((x) => ({ learner: l, lessonId: x.lessonId, lesson: x.slug })));
  const rounds = Math.max(0, ...perLearner.map((c) => c.length));
  return Array.from({ length: rounds }, (_, r) => perLearner.flatMap((c) => (c[r] ? [c[r]] : []))).flat();
}

const setupStart = performance.now();
const readers = await withSessions(await freshLearners(READERS, new Set()));
const used = new Set(readers.map((l) => l.userId));
const savers = await withSessions(await freshLearners(CONNECTIONS, used));
for (const l of savers) used.add(l.userId);
const submitters = wanted("submit") ? await withSessions(await freshLearners(SUBMISSIONS, used)) : [];
// Open attempts: the quiz page shows one to every reader; savers answer in theirs.
const readerAttempts = new Map<number, number>();
for (const l of readers) readerAttempts.set(l.userId, await openAttemptFor(l));
const saverAttempts = new Map<number, { attemptId: number; positions: { position: number; choices: string[] }[] }>();
for (const l of savers) {
  const attemptId = await openAttemptFor(l);
  const questions = await db.attemptQuestion.findMany({ where: { attemptId }, orderBy: { position: "asc" }, select: { position: true, choiceOrder: true } });
  saverAttempts.set(l.userId, { attemptId, positions: questions.map((q) => ({ position: q.position, choices: JSON.parse(q.choiceOrder) })) });
}
const submissions = submitters.length ? await bulkOpenAttempts(submitters) : [];
const completers = wanted("complete") ? await withSessions(await freshLearners(COMPLETERS, used)) : [];
for (const l of completers) used.add(l.userId);
const completions = completers.length ? await lessonsLeft(completers) : [];
const province = await db.orgUnit.findUniqueOrThrow({ where: { code: PROVINCE_CODE }, select: { id: true, path: true, nameVi: true } });
const provinceStaff = await db.user.count({ where: { orgUnit: { path: subtreeOf(province.path) } } });
const hr = await db.user.findUniqueOrThrow({ where: { email: `nhansu.${PROVINCE_CODE}@kynangso.vn` }, select: { id: true } });
const hrCookie = `${COOKIE}=${(await lucia.createSession(hr.id, { secondFactor: "totp" })).id}`;
/**
 * On the country: Hà Nội's HR officer also holds HR in every province, as a ministry's officer
 * does, for the national coverage page (granted once, kept in the bench database).
 */
async function nationalHrCookie(): Promise<string> {
  const officer = await db.user.findUniqueOrThrow({ where: { email: "nhansu.01@kynangso.vn" }, select: { id: true } });
  const provinces = await db.orgUnit.findMany({ where: { parentId: null }, select: { id: true } });
  const held = new Set((await db.roleAssignment.findMany({ where: { userId: officer.id, role: "hr" }, select: { orgUnitId: true } })).map((r) => r.orgUnitId));
  const missing = provinces.filter((p) => !held.has(p.id));
  if (missing.length) await db.roleAssignment.createMany({ data: missing.map((p) => ({ userId: officer.id, role: "hr", orgUnitId: p.id })) });
  return `${COOKIE}=${(await lucia.createSession(officer.id, { secondFactor: "totp" })).id}`;
}
const nationalCookie = postgres && wanted("coverage-national") ? await nationalHrCookie() : null;
const codes = (await db.certificate.findMany({ where: { status: "valid" }, select: { code: true }, take: 2000 })).map((c) => c.code);
say(`set-up: ${readers.length + savers.length + submitters.length + completers.length} learners with sessions, ${completions.length} lessons left to complete, ${submissions.length + readers.length + savers.length} open attempts, ${codes.length} certificate codes in ${round((performance.now() - setupStart) / 1000)} s`);

// ---------------------------------------------------------------------------------------------
// 3. Content benches (no server running, so they do not compete for the CPU)

type ContentResults = { lessons: number; compileMsMedian: number; compileMsMean: number; coldFirstMs: number; pdf?: { coldMs: number; warmMsMedian: number; sizeKb: number; unsignedWarmMsMedian: number; unsignedSizeKb: number } };
async function contentBenches(): Promise<ContentResults> {
  const { compileLessonMdx } = await import("~/content/mdx-compile.server");
  const files = fs
    .readdirSync("content/courses")
    .flatMap((c) => fs.readdirSync(path.join("content/courses", c, "lessons")).map((f) => path.join("content/courses", c, "lessons", f)));
  const sources = files.map((f) => fs.readFileSync(f, "utf8"));
  let t = performance.now();
  await compileLessonMdx(sources[0]);
  const coldFirstMs = performance.now() - t;
  for (const s of sources) await compileLessonMdx(s); // warm every code path
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    for (const s of sources) {
      t = performance.now();
      const r = await compileLessonMdx(s);
      times.push(performance.now() - t);
      if (!r.ok) throw new Error("a shipped lesson failed to compile");
    }
  }
  const result: ContentResults = {
    lessons: sources.length,
    compileMsMedian: round(median(times)),
    compileMsMean: round(times.reduce((a, b) => a + b, 0) / times.length),
    coldFirstMs: round(coldFirstMs),
  };
  const { renderCertificatePdf: render } = await import("~/certificates/certificate-pdf.server");
  const cert = await db.certificate.findFirstOrThrow({ where: { status: "valid" } });
  t = performance.now();
  const first = await render(cert);
  const coldMs = performance.now() - t;
  const warm: number[] = [];
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    await render(cert);
    warm.push(performance.now() - t);
  }
  // The same certificate unsigned: what the signature adds (the bench signs with a demo key).
  const unsignedWarm: number[] = [];
  for (let i = 0; i < 20; i++) {
    t = performance.now();
    await render(cert, { sign: false });
    unsignedWarm.push(performance.now() - t);
  }
  const unsigned = await render(cert, { sign: false });
  result.pdf = {
    coldMs: round(coldMs),
    warmMsMedian: round(median(warm)),
    sizeKb: round(first.byteLength / 1024),
    unsignedWarmMsMedian: round(median(unsignedWarm)),
    unsignedSizeKb: round(unsigned.byteLength / 1024),
  };
  return result;
}
const content = wanted("content") && !profile ? await contentBenches() : null;
if (content) say(`content: ${content.lessons} lessons compile in ${content.compileMsMedian} ms (median, warm); PDF ${JSON.stringify(content.pdf)}`);

// Coverage computed in-process, without HTTP: the province, and the whole country on PostgreSQL.
type CoverageTiming = { scope: string; staff: number; runsMs: number[] };
const coverageTimings: CoverageTiming[] = [];
async function timeCoverage(scope: { id: number; path: string }, label: string, staff: number, runs: number) {
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await coverageByOrgUnit(scope, { courseId: null, category: null, from: null, to: null });
    runsMs.push(round(performance.now() - t));
  }
  coverageTimings.push({ scope: label, staff, runsMs });
  say(`coverage ${label} (${staff.toLocaleString("en")} staff): ${runsMs.join(", ")} ms`);
}
if (wanted("coverage") && !profile) {
  await timeCoverage(province, `province ${province.nameVi}`, provinceStaff, 5);
  if (postgres) {
    const everyone = await db.user.count();
    await timeCoverage({ id: 0, path: "/" }, "whole country", everyone, 3);
  }
}
await db.$disconnect();

// HR files at the province's scale (bench/hr-files.ts), in a child process on a copy of the data:
// it writes (a province-wide course, a roster import) and its peak memory must be its own.
let hrFiles: unknown = null;
if (wanted("hr-files") && !profile && !postgres) {
  const copy = path.join(DATA_DIR, `hr-files-${process.pid}.db`);
  fs.copyFileSync(RUN_DB, copy);
  const result = spawnSync("npx", ["tsx", "bench/hr-files.ts", PROVINCE_CODE], { env: { ...process.env, DATABASE_URL: `file:${copy}` }, encoding: "utf8" });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(copy + suffix, { force: true });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  if (result.status !== 0 || !line.startsWith("{")) throw new Error(`bench/hr-files.ts failed: ${result.stderr.slice(-2000)}`);
  hrFiles = JSON.parse(line);
  const h = hrFiles as { followUp: { people: number; firstPageMedianMs: number; fullExportMs: number[]; exportXlsxMs: number }; rosterImport: { rows: number; readMs: number; planMs: number; applyMs: number; peakRssMb: { afterApply: number } } };
  say(`follow-up list, ${h.followUp.people.toLocaleString("en")} people: first page ${h.followUp.firstPageMedianMs} ms (median), CSV rows ${h.followUp.fullExportMs.join(", ")} ms, XLSX ${h.followUp.exportXlsxMs} ms`);
  const extra = hrFiles as { hoursReportMs: number[]; transcripts: { people: number; seconds: number; msEach: number; signed: boolean } };
  say(`hours report of the province: ${extra.hoursReportMs.join(", ")} ms; ${extra.transcripts.people} transcripts${extra.transcripts.signed ? " (signed)" : ""}: ${extra.transcripts.seconds} s, ${extra.transcripts.msEach} ms each`);
  say(`roster XLSX of ${h.rosterImport.rows.toLocaleString("en")} rows: read ${h.rosterImport.readMs} ms, check ${h.rosterImport.planMs} ms, apply ${h.rosterImport.applyMs} ms, peak RSS ${h.rosterImport.peakRssMb.afterApply} MB`);
}

// Signed certificates (bench/certificates.ts): 1,000 issued, rendered and signed while learners
// read lessons from a production server; on its own fresh database, so it runs once per bench.
if (wanted("certificates") && !profile && !postgres) {
  const result = spawnSync("npx", ["tsx", "bench/certificates.ts", opt("certificates") ?? "1000"], { stdio: ["ignore", "inherit", "inherit"] });
  if (result.status !== 0) throw new Error("bench/certificates.ts failed");
}

// Trainers' tools at scale, each in a process of its own: the question statistics of the busiest
// course with its attempts copied 20 times (on a copy of the data: it writes), and a
// 1,000-question Moodle XML bank imported (on a fresh database).
let trainerTools: { questionStats: unknown; questionImport: unknown } | null = null;
if (wanted("trainer-tools") && !profile && !postgres) {
  const lastLine = (r: { stdout: string; stderr: string; status: number | null }, name: string) => {
    const line = r.stdout.trim().split("\n").pop() ?? "";
    if (r.status !== 0 || !line.startsWith("{")) throw new Error(`${name} failed: ${r.stderr.slice(-2000)}`);
    return JSON.parse(line) as Record<string, unknown>;
  };
  const copy = path.join(DATA_DIR, `question-stats-${process.pid}.db`);
  fs.copyFileSync(RUN_DB, copy);
  const stats = spawnSync("npx", ["tsx", "bench/question-stats.ts", "--copies", "20"], { env: { ...process.env, DATABASE_URL: `file:${copy}` }, encoding: "utf8" });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(copy + suffix, { force: true });
  const questionStats = lastLine(stats, "bench/question-stats.ts");
  const questionImport = lastLine(spawnSync("npx", ["tsx", "bench/question-import.ts", "1000"], { encoding: "utf8" }), "bench/question-import.ts");
  trainerTools = { questionStats, questionImport };
  say(`question statistics: ${JSON.stringify(questionStats)}`);
  say(`question bank import: ${JSON.stringify(questionImport)}`);
}

// ---------------------------------------------------------------------------------------------
// 4. Servers

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

async function waitFor(url: string, child: ChildProcess, output: () => string) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${output()}`);
}

const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), "kns-prof-"));
const appPort = await freePort();
const base = `http://127.0.0.1:${appPort}`;
// Where the load goes: the app itself, or nginx in front of it (--nginx).
const nginxPort = viaNginx ? await freePort() : 0;
const front = viaNginx ? `http://127.0.0.1:${nginxPort}` : base;
let appOutput = "";
const serverFlags = [...(opt("node-options")?.split(/\s+/).filter(Boolean) ?? []), ...(profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [])];
if (pin) spawnSync("taskset", ["-apc", LOAD_CPU, String(process.pid)], { stdio: "ignore" });
/**
 * A server started with --pin may use both cores (taskset runs it in its own process, which
 * would otherwise inherit the bench's CPU 0); once it has started, `pinMainThread` keeps its main
 * thread on the server's core. V8 starts its helper threads at start-up with the wider set, so
 * they stay free: pinned to one core with the main thread, they took 12 % of it in bursts, and
 * the requests served during a burst took 1.7 times as long.
 */
const onServerCpu = (command: string, args: string[]): [string, string[]] => (pin ? ["taskset", ["-c", `${LOAD_CPU},${SERVER_CPU}`, command, ...args]] : [command, args]);
function pinMainThread(pid: number) {
  if (pin) spawnSync("taskset", ["-pc", SERVER_CPU, String(pid)], { stdio: "ignore" });
}
const app = spawn(...onServerCpu(process.execPath, productionServerArgs(serverFlags)), {
  // TRUST_PROXY as behind the recommended nginx: /verify load then comes from many addresses.
  env: { ...process.env, ...productionServerEnv(), NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(appPort), APP_URL: front, DATABASE_URL: databaseUrl, TRUST_PROXY: "1" },
  stdio: ["ignore", "pipe", "pipe"],
});
app.stdout!.on("data", (d) => (appOutput += d));
app.stderr!.on("data", (d) => (appOutput += d));
await waitFor(`${base}/healthz`, app, () => appOutput);
pinMainThread(app.pid!);

// nginx with the README's settings in front of the app (--nginx).
const nginxFront = viaNginx ? startNginxFront({ dir: path.join(profileDir, "nginx"), upstream: `127.0.0.1:${appPort}`, port: nginxPort }) : undefined;
const nginx = nginxFront?.child;
if (nginxFront) await waitFor(`${front}/healthz`, nginxFront.child, () => fs.readFileSync(nginxFront.errorLog, "utf8"));
/** CPU time of nginx's master and worker so far, in ms (0 without --nginx). */
function nginxCpuMs(): number {
  if (!nginx?.pid) return 0;
  const children = fs.readFileSync(`/proc/${nginx.pid}/task/${nginx.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  return [nginx.pid, ...children].reduce((sum, pid) => sum + cpuMs(pid), 0);
}

/** CPU time (user + system, all threads) a process has used so far, in ms. */
function cpuMs(pid: number): number {
  // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"]).stdout?.toString().trim()) || 100;

function memory(pid: number) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: round(kb("VmRSS") / 1024), peakMb: round(kb("VmHWM") / 1024) };
}

// The static floor: node:http answering with the bytes of a real lesson page, no framework.
const sample = readers[0];
const lessonHtml = await (await fetch(`${base}/courses/${sample.slug}/${sample.lesson}`, { headers: { Cookie: sample.cookie } })).text();
const staticFile = path.join(profileDir, "static.html");
fs.writeFileSync(staticFile, lessonHtml);
const staticPort = await freePort();
const staticServer = spawn(
  ...onServerCpu(process.execPath, [
    "-e",
    `const body = require("fs").readFileSync(process.argv[1]);
     require("http").createServer((q, s) => { s.writeHead(200, { "content-type": "text/html; charset=utf-8", "content-length": body.length }); s.end(body); }).listen(${staticPort}, "127.0.0.1");`,
    staticFile,
  ]),
  { stdio: "ignore" },
);
await waitFor(`http://127.0.0.1:${staticPort}/`, staticServer, () => "");
pinMainThread(staticServer.pid!);

// ---------------------------------------------------------------------------------------------
// 5. Scenarios

type Row = {
  scenario: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  bytesPerRequest: number;
  /** Server CPU per request: robust to other load on the machine, unlike req/s. */
  cpuMsPerRequest: number;
  rssMb: number;
  peakRssMb: number;
  note?: string;
  extra?: Record<string, unknown>;
  /** The same scenario driven by wrk, after autocannon; why not, when it was not. */
  wrk?: (WrkResult & { cpuMsPerRequest: number; nginxCpuMsPerRequest?: number }) | { skipped: string };
};
const rows: Row[] = [];

type Req = { method?: string; path: string; headers?: Record<string, string>; body?: string };
type Plan = {
  name: string;
  label: string;
  target?: string;
  connections?: number;
  duration?: number;
  amount?: number;
  server?: "app" | "static";
  /** Called once per connection; returns the function that makes that connection's next request. */
  client: (index: number) => () => Req;
  onResponse?: (index: number, status: number, req: Req) => void;
  note?: string;
};

/**
 * Waits until the previous scenario's backlog is gone: the server under 5% CPU for 300 ms and a
 * database round trip (/healthz, through the same pool) answered within 200 ms. At most 3 min.
 */
async function settle(pid: number) {
  const until = performance.now() + 180_000;
  while (performance.now() < until) {
    const before = cpuMs(pid);
    await new Promise((r) => setTimeout(r, 300));
    if (cpuMs(pid) - before >= 15) continue;
    const t = performance.now();
    const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (ok && performance.now() - t < 200) return;
  }
}

/** When the last scenario's load started and ended (the profile counts only that time). */
const loadWindow = { start: 0, end: 0 };

async function drive(plan: Plan): Promise<Row> {
  const url = plan.server === "static" ? `http://127.0.0.1:${staticPort}` : front;
  const connections = plan.connections ?? CONNECTIONS;
  let clients = 0;
  const statuses = new Map<number, number>();
  await settle(app.pid!);
  loadWindow.start = performance.now();
  const load1 = os.loadavg()[0];
  const serverPid = plan.server === "static" ? staticServer.pid! : app.pid!;
  const cpuBefore = cpuMs(serverPid);
  const instance = autocannon({
    url,
    connections,
    ...(plan.amount ? { amount: plan.amount } : { duration: plan.duration ?? DURATION }),
    timeout: 30,
    setupClient(client) {
      const index = clients++;
      const next = plan.client(index);
      let current: Req | undefined;
      client.setRequests([
        {
          method: "GET",
          path: "/",
          setupRequest(req) {
            current = next();
            const headers = { "accept-encoding": ACCEPT_ENCODING, ...(current.body ? { "content-type": "application/x-www-form-urlencoded", origin: front } : {}), ...current.headers };
            return { ...req, method: current.method ?? (current.body ? "POST" : "GET"), path: current.path, headers, body: current.body };
          },
          onResponse(status) {
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (plan.onResponse && current) plan.onResponse(index, status, current);
          },
        },
      ]);
    },
  });
  // Bounded in time even when a fixed amount of requests was asked for.
  const stopper = setTimeout(() => instance.stop(), ((plan.duration ?? DURATION) + 5) * 1000);
  const result = await instance;
  clearTimeout(stopper);
  const cpuUsed = cpuMs(serverPid) - cpuBefore;
  loadWindow.end = performance.now();
  const completed = [...statuses.values()].reduce((a, b) => a + b, 0);
  const bad = [...statuses].filter(([s]) => s >= 400).reduce((a, [, n]) => a + n, 0) + result.errors + result.timeouts;
  const mem = plan.server === "static" ? { rssMb: 0, peakMb: 0 } : memory(app.pid!);
  const seconds = result.duration;
  const row: Row = {
    scenario: plan.label,
    requests: completed,
    rps: round(completed / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: bad,
    bytesPerRequest: completed ? Math.round(result.throughput.total / completed) : 0,
    cpuMsPerRequest: completed ? round(cpuUsed / completed, 2) : 0,
    rssMb: mem.rssMb,
    peakRssMb: mem.peakMb,
    note: plan.note,
    extra: { statuses: Object.fromEntries(statuses), seconds: round(seconds, 2), loadAverageBefore: round(load1, 2), loadAverageAfter: round(os.loadavg()[0], 2) },
  };
  say(`${plan.label}: ${row.rps} req/s, ${row.cpuMsPerRequest} CPU ms/req, p50 ${row.p50} ms, p99 ${row.p99} ms, max ${row.max} ms, errors ${row.errors}, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  if (withWrk) row.wrk = plan.amount ? { skipped: "each request can be sent once" } : await driveWrk(plan, url, serverPid, connections);
  return row;
}

/** The plan's requests as wrk sends them: the connections' rotations interleaved, as a list. */
function wrkRequests(plan: Plan, base: string, connections: number): WrkRequest[] {
  const clients = Array.from({ length: connections }, (_, i) => plan.client(i));
  return Array.from({ length: WRK_LIST }, (_, n) => {
    const r = clients[n % connections]();
    const headers = { "accept-encoding": ACCEPT_ENCODING, ...(r.body ? { "content-type": "application/x-www-form-urlencoded", origin: base } : {}), ...r.headers };
    return { method: r.method, path: r.path, headers, body: r.body };
  });
}

async function driveWrk(plan: Plan, url: string, serverPid: number, connections: number): Promise<Row["wrk"]> {
  const requests = wrkRequests(plan, front, connections);
  await settle(app.pid!);
  const cpuBefore = cpuMs(serverPid);
  const nginxBefore = nginxCpuMs();
  const result = await runWrk({ url, requests, connections, seconds: plan.duration ?? DURATION, cpus: pin ? LOAD_CPU : undefined });
  const cpuMsPerRequest = result.requests ? round((cpuMs(serverPid) - cpuBefore) / result.requests, 2) : 0;
  const nginxCpuMsPerRequest = nginx && result.requests ? round((nginxCpuMs() - nginxBefore) / result.requests, 2) : undefined;
  const wrk = { ...result, rps: round(result.rps), p50: round(result.p50), p90: round(result.p90), p99: round(result.p99), max: round(result.max), seconds: round(result.seconds, 2), cpuMsPerRequest, nginxCpuMsPerRequest };
  say(`${plan.label}, wrk: ${wrk.rps} req/s, ${cpuMsPerRequest} CPU ms/req${nginx ? ` (nginx ${nginxCpuMsPerRequest})` : ""}, p50 ${wrk.p50} ms, p99 ${wrk.p99} ms, max ${wrk.max} ms, errors ${wrk.errors}`);
  return wrk;
}

const round_robin = <T>(list: T[], start: number) => {
  let i = start;
  return () => list[i++ % list.length];
};

const plans: Plan[] = [
  { name: "floor-static", label: "floor: node:http static (same bytes)", server: "static", client: () => () => ({ path: "/" }) },
  { name: "floor-healthz", label: "floor: /healthz (1 DB query, JSON)", client: () => () => ({ path: "/healthz" }) },
  { name: "floor-login", label: "floor: /login page (anonymous, no DB)", client: () => () => ({ path: "/login" }) },
  {
    name: "lesson",
    label: "1 lesson page (learner)",
    target: "≥ 600/s, p99 ≤ 100 ms, ≥ ½ floor",
    client: (i) => {
      const next = round_robin(readers, i);
      return () => {
        const l = next();
        return { path: `/courses/${l.slug}/${l.lesson}`, headers: { cookie: l.cookie } };
      };
    },
  },
  {
    name: "overview",
    label: "2 course overview + progress",
    client: (i) => {
      const next = round_robin(readers, i);
      return () => {
        const l = next();
        return { path: `/courses/${l.slug}`, headers: { cookie: l.cookie } };
      };
    },
  },
  {
    name: "quiz",
    label: "3 quiz page, open attempt",
    target: "≥ 400/s",
    client: (i) => {
      const next = round_robin(readers, i);
      return () => {
        const l = next();
        return { path: `/courses/${l.slug}/quiz`, headers: { cookie: l.cookie } };
      };
    },
  },
  {
    name: "save",
    label: "4a quiz answer saves",
    client: (i) => {
      // Each connection is one learner answering their own attempt; every save changes an answer.
      const l = savers[i % savers.length];
      const a = saverAttempts.get(l.userId)!;
      let n = 0;
      return () => {
        const q = a.positions[n % a.positions.length];
        const choice = q.choices[Math.floor(n / a.positions.length) % q.choices.length];
        n++;
        return { path: `/courses/${l.slug}/quiz`, headers: { cookie: l.cookie }, body: new URLSearchParams({ intent: "save", attemptId: String(a.attemptId), [`q${q.position}`]: choice }).toString() };
      };
    },
  },
];

// 4b: every request submits a different learner's attempt once; then the database is asked
// which acknowledged submissions were really recorded.
const acknowledged = new Set<number>();
const submitQueue = [...submissions];
const submitPlan: Plan = {
  name: "submit",
  label: "4b quiz submissions",
  target: "≥ 300/s, 0 lost",
  amount: submissions.length,
  client: () => () => {
    const s = submitQueue.shift();
    if (!s) return { path: "/healthz" }; // never reached: amount equals the queue
    return { path: `/courses/${s.learner.slug}/quiz`, headers: { cookie: s.learner.cookie, "x-attempt": String(s.attemptId) }, body: s.body };
  },
  onResponse: (_i, status, req) => {
    if (status === 302 && req.headers?.["x-attempt"]) acknowledged.add(Number(req.headers["x-attempt"]));
  },
};
plans.push(submitPlan);

// 7: every request marks a different (learner, lesson) done, as the lesson page's form does;
// then the database is asked which acknowledged completions were really recorded.
const acknowledgedCompletions = new Set<string>();
const completionQueue = [...completions];
plans.push({
  name: "complete",
  label: "7 lesson complete (form POST)",
  amount: completions.length,
  client: () => () => {
    const c = completionQueue.shift();
    if (!c) return { path: "/healthz" }; // never reached: amount equals the queue
    return { path: `/courses/${c.learner.slug}/${c.lesson}`, headers: { cookie: c.learner.cookie, "x-completion": `${c.learner.enrollmentId}:${c.lessonId}` }, body: "complete=1" };
  },
  onResponse: (_i, status, req) => {
    if (status >= 200 && status < 400 && req.headers?.["x-completion"]) acknowledgedCompletions.add(req.headers["x-completion"]);
  },
});

plans.push({
  name: "verify",
  label: "5 /verify/:code (public)",
  target: "≥ 1,000/s",
  note: "X-Forwarded-For rotates over 20,000 addresses (TRUST_PROXY=1): the limit is 30 look-ups per address per minute",
  client: (i) => {
    let n = i * 1000;
    return () => {
      n++;
      const a = n % 20_000;
      return { path: `/verify/${codes[n % codes.length]}`, headers: { "x-forwarded-for": `10.${a >> 16}.${(a >> 8) & 255}.${a & 255}` } };
    };
  },
});
plans.push({
  name: "coverage",
  label: `6 HR coverage page (${provinceStaff.toLocaleString("en")} staff)`,
  target: "p50 ≤ 300 ms",
  duration: Math.max(DURATION, 20), // each request takes long: give the queue time to complete some
  note: "50 HR officers at once: p50 is mostly queueing; see the 1-connection row",
  client: () => () => ({ path: "/hr/coverage", headers: { cookie: hrCookie } }),
});
if (nationalCookie) {
  plans.push({
    name: "coverage-national",
    label: "6 HR coverage page of the whole country, 1 connection",
    target: "p50 ≤ 300 ms",
    connections: 1,
    note: "the first request computes (seconds); later ones within the minute are served from its snapshot (decision 033)",
    client: () => () => ({ path: "/hr/coverage", headers: { cookie: nationalCookie } }),
  });
}
plans.push({
  name: "coverage1",
  label: "6 HR coverage page, 1 connection",
  target: "p50 ≤ 300 ms",
  connections: 1,
  client: () => () => ({ path: "/hr/coverage", headers: { cookie: hrCookie } }),
});

// The verify route exists only once another engineer has finished it.
const verifyProbe = codes.length ? await fetch(`${base}/verify/${codes[0]}`, { headers: { "x-forwarded-for": "192.0.2.1" } }) : null;
const verifyExists = !!verifyProbe && verifyProbe.status !== 404;

let profileWindow: { start: number; end: number } | null = null;
const selected = profile ? plans.filter((p) => p.name === profileTarget) : plans.filter((p) => wanted(p.name) || (p.name.startsWith("floor") && !only));
for (const plan of selected) {
  if (plan.name === "verify" && !verifyExists) {
    rows.push({ scenario: plan.label, requests: 0, rps: 0, p50: 0, p99: 0, max: 0, errors: 0, bytesPerRequest: 0, cpuMsPerRequest: 0, rssMb: 0, peakRssMb: 0, note: "skipped: /verify/:code does not exist yet" });
    continue;
  }
  if (plan.name === "submit" && !submissions.length) continue;
  if (plan.name === "complete" && !completions.length) continue;
  const row = await drive(plan);
  if (profile) profileWindow = { ...loadWindow };
  if (plan.name === "submit") {
    // Lost: acknowledged with a redirect but not recorded as submitted.
    const { db: check } = await import("~/platform/db.server");
    const ids = [...acknowledged];
    let recorded = 0;
    for (let i = 0; i < ids.length; i += 500) {
      recorded += await check.quizAttempt.count({ where: { id: { in: ids.slice(i, i + 500) }, status: "submitted" } });
    }
    let graded = 0;
    const all = submissions.map((s) => s.attemptId);
    for (let i = 0; i < all.length; i += 500) graded += await check.quizAttempt.count({ where: { id: { in: all.slice(i, i + 500) }, status: "submitted" } });
    row.extra = { ...row.extra, acknowledged: ids.length, recordedSubmitted: recorded, lost: ids.length - recorded, submittedInDatabase: graded, submissionsPerSecond: row.rps };
    await check.$disconnect();
    say(`submissions: ${ids.length} acknowledged, ${recorded} recorded, lost ${ids.length - recorded}`);
  }
  if (plan.name === "complete") {
    // Lost: acknowledged (2xx/3xx) but no completion row for that learner and lesson.
    const { db: check } = await import("~/platform/db.server");
    const enrollmentIds = [...new Set(completers.map((l) => l.enrollmentId))];
    const recorded = new Set<string>();
    for (let i = 0; i < enrollmentIds.length; i += 500) {
      const rows = await check.lessonCompletion.findMany({ where: { enrollmentId: { in: enrollmentIds.slice(i, i + 500) } }, select: { enrollmentId: true, lessonId: true } });
      for (const r of rows) recorded.add(`${r.enrollmentId}:${r.lessonId}`);
    }
    const lost = [...acknowledgedCompletions].filter((k) => !recorded.has(k)).length;
    row.extra = { ...row.extra, planned: completions.length, acknowledged: acknowledgedCompletions.size, lost, completionsPerSecond: row.rps };
    await check.$disconnect();
    say(`lesson completions: ${completions.length} planned, ${acknowledgedCompletions.size} acknowledged, lost ${lost}`);
  }
  rows.push(row);
}

// ---------------------------------------------------------------------------------------------
// 6. Stop, profile, report

const finalMemory = memory(app.pid!);
const appExit = new Promise((r) => app.once("exit", r));
app.kill("SIGTERM");
staticServer.kill("SIGTERM");
nginx?.kill("SIGQUIT");
await appExit;
// What the server printed (e.g. with --node-options "--trace-gc"), when asked for.
if (opt("server-log")) fs.writeFileSync(opt("server-log")!, appOutput);
const exitedAt = performance.now();

type ProfileNode = { id: number; callFrame: { functionName: string; url: string; lineNumber: number } };
/**
 * Self time by module and by function, counting only the samples taken while the scenario ran
 * (start-up and shutdown left out). The profile's clock is aligned on its end, which is when
 * the server exited.
 */
function summariseProfile(file: string, window: { start: number; end: number }) {
  const prof = JSON.parse(fs.readFileSync(file, "utf8")) as { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };
  const fromUs = prof.endTime - (exitedAt - window.start) * 1000 + 500_000;
  const toUs = prof.endTime - (exitedAt - window.end) * 1000 - 500_000;
  const hitsById = new Map<number, number>();
  let t = prof.startTime;
  let total = 0;
  prof.samples.forEach((id, i) => {
    t += prof.timeDeltas[i];
    if (t < fromUs || t > toUs) return;
    hitsById.set(id, (hitsById.get(id) ?? 0) + 1);
    total++;
  });
  const perSampleMs = (toUs - fromUs) / 1000 / Math.max(total, 1);
  const categoryOf = (url: string, fn: string) => {
    if (!url) return fn.startsWith("(") ? fn : "(native/V8)";
    if (url.startsWith("wasm://")) return "prisma (query compiler, wasm)";
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    if (m) return m[1].startsWith("@prisma") || m[1] === ".prisma" ? `prisma (${m[1]})` : m[1];
    if (url.includes("/app/generated/")) return "prisma (generated client)";
    if (url.includes("/build/server/")) return "app (build/server: routes + bundled deps)";
    if (url.startsWith("node:")) return url.replace(/\.js$/, "").split("/").slice(0, 3).join("/");
    return path.relative(ROOT, url.replace(/^file:\/\//, "")) || url;
  };
  const byFunction = new Map<string, number>();
  const byCategory = new Map<string, number>();
  for (const n of prof.nodes) {
    const hits = hitsById.get(n.id) ?? 0;
    if (!hits) continue;
    const cat = categoryOf(n.callFrame.url, n.callFrame.functionName);
    const fn = `${n.callFrame.functionName || "(anonymous)"} ${cat}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ""}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + hits);
    byCategory.set(cat, (byCategory.get(cat) ?? 0) + hits);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([name, hits]) => ({ name, percent: round((100 * hits) / total), ms: round(hits * perSampleMs, 0) }));
  return { samples: total, seconds: round((toUs - fromUs) / 1e6, 1), categories: top(byCategory, 22), functions: top(byFunction, 30) };
}

let profileSummary: ReturnType<typeof summariseProfile> | null = null;
if (profile) {
  const file = fs.readdirSync(profileDir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error("no CPU profile was written");
  profileSummary = summariseProfile(path.join(profileDir, file), profileWindow!);
  console.log(`\nServer CPU profile, ${profileTarget} scenario (self time over ${profileSummary.seconds} s, ${profileSummary.samples} samples):`);
  console.table(profileSummary.categories.map((c) => ({ module: c.name, "%": c.percent, ms: c.ms })));
  console.table(profileSummary.functions.map((c) => ({ function: c.name.slice(0, 110), "%": c.percent, ms: c.ms })));
  const out = `bench/results/${new Date().toISOString().slice(0, 10)}-profile-${profileTarget}${postgres ? "-postgres" : ""}.json`;
  fs.mkdirSync("bench/results", { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), scenario: profileTarget, result: rows[0], profile: profileSummary }, null, 2)}\n`);
  console.log(`written ${out}`);
  // The whole profile, for call trees in Chrome DevTools (Performance → Load profile).
  const kept = path.join(os.tmpdir(), `kns-${profileTarget}${postgres ? "-postgres" : ""}.cpuprofile`);
  fs.copyFileSync(path.join(profileDir, file), kept);
  console.log(`full profile: ${kept}`);
}
fs.rmSync(profileDir, { recursive: true, force: true });

const floor = rows.find((r) => r.scenario.startsWith("floor: /login"))?.rps;
console.log(`\nKỹ Năng Số load benchmark — ${postgres ? "PostgreSQL (national data)" : "SQLite (province data)"}, ${CONNECTIONS} connections, ${DURATION} s per scenario`);
console.table(
  rows.map((r) => ({
    scenario: r.scenario,
    "req/s": r.rps,
    "p50 ms": r.p50,
    "p99 ms": r.p99,
    "max ms": r.max,
    errors: r.errors,
    "× floor": floor && r.rps && !r.scenario.startsWith("floor: /login") ? round(r.rps / floor, 2) : "",
    "CPU ms/req": r.cpuMsPerRequest || "",
    "KB/req": round(r.bytesPerRequest / 1024),
    "peak RSS MB": r.peakRssMb || "",
    lost: r.extra && "lost" in r.extra ? (r.extra.lost as number) : "",
    note: r.note ?? "",
  })),
);
if (withWrk) {
  console.log(`\nThe same scenarios driven by wrk (2 threads, ${CONNECTIONS} connections, ${DURATION} s${pin ? "; server on CPU 1, wrk on CPU 0" : ""}), after autocannon:`);
  console.table(
    rows.map((r) => {
      const w = r.wrk;
      if (!w || "skipped" in w) return { scenario: r.scenario, "req/s": "", "p50 ms": "", "p99 ms": "", "max ms": "", errors: "", "CPU ms/req": "", note: w?.skipped ?? "" };
      return { scenario: r.scenario, "req/s": w.rps, "p50 ms": w.p50, "p99 ms": w.p99, "max ms": w.max, errors: w.errors, "CPU ms/req": w.cpuMsPerRequest || "", note: "" };
    }),
  );
} else if (!profile && !argv.includes("--no-wrk")) {
  console.log("\nwrk is not installed (apt-get install wrk): the scenarios were measured by autocannon only.");
}
console.log(`server peak RSS (VmHWM): ${finalMemory.peakMb} MB; machine: ${os.cpus().length} CPU, load average ${os.loadavg().map((x) => round(x, 2)).join(" ")}`);
if (content) console.table({ "lesson compile, warm median (ms)": content.compileMsMedian, "lesson compile, first/cold (ms)": content.coldFirstMs, "certificate PDF": typeof content.pdf === "string" ? content.pdf : `${content.pdf?.warmMsMedian} ms warm, ${content.pdf?.coldMs} ms cold, ${content.pdf?.sizeKb} KB` });
if (coverageTimings.length) console.table(coverageTimings.map((c) => ({ scope: c.scope, staff: c.staff, "runs (ms)": c.runsMs.join(", "), "median ms": median(c.runsMs) })));

if (!profile) {
  const date = new Date().toISOString().slice(0, 10);
  const file = `bench/results/${date}${postgres ? "-postgres" : ""}${viaNginx ? "-nginx" : ""}${only ? `-${only.join("-")}` : ""}.json`;
  fs.mkdirSync("bench/results", { recursive: true });
  const results = {
    date: new Date().toISOString(),
    database: postgres ? "postgresql" : "sqlite",
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    acceptEncoding: ACCEPT_ENCODING,
    loadGenerators: withWrk ? ["autocannon", "wrk"] : ["autocannon"],
    pinned: pin ? { serverMainThread: SERVER_CPU, serverHelperThreads: `${LOAD_CPU},${SERVER_CPU}`, loadGenerators: LOAD_CPU } : null,
    behindNginx: viaNginx,
    machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadAverage: os.loadavg().map((x) => round(x, 2)) },
    floorRps: floor ?? null,
    serverNodeOptions: opt("node-options") ?? null,
    serverPeakRssMb: finalMemory.peakMb,
    scenarios: rows,
    content,
    coverage: coverageTimings,
    hrFiles,
    trainerTools,
  };
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written ${file}`);
}
if (!postgres) for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(RUN_DB + suffix, { force: true });
process.exit(0);
