// The end of a training session: thousands of learners sign in, start the same quiz and submit
// it within a minute. `npx tsx bench/quiz-burst.ts [options]`, on loopback, stops by itself.
//
//   --learners <n>      3000
//   --ramp <s>          30: learners arrive evenly over this many seconds, then go as fast as
//                       the server answers (sign in, enrol, start, read the quiz, submit)
//   --postgres          two app processes on PostgreSQL behind nginx (bench/nginx.conf, ports
//                       8380 → 8381, 8382); needs nginx and KNS_BENCH_POSTGRES_ADMIN_URL
//                       (default postgresql://postgres:postgres@127.0.0.1:5432/postgres)
//   --sessions          skip the real sign-in: sessions are created in the database beforehand
//   --deadline <s>      240: no learner starts a new step after this; the rest count as not done
//
// Checks afterwards: every learner has exactly one attempt, submitted with exactly the answers
// sent and graded once (one quiz.submit audit event); no 5xx. Prints a table and writes
// bench/results/quiz-burst-<date>[-postgres][-sessions].json.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
// Remix's own dependency: its Agent makes the client wait for a connection as a browser would.
import { Agent, setGlobalDispatcher } from "undici";
import { productionServerArgs, productionServerEnv } from "./production-node";

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] && !argv[i + 1].startsWith("--") ? argv[i + 1] : fallback;
};
const LEARNERS = Number(opt("learners", "3000"));
const RAMP_SECONDS = Number(opt("ramp", "30"));
const DEADLINE_SECONDS = Number(opt("deadline", "240"));
const postgres = argv.includes("--postgres");
const presession = argv.includes("--sessions");
const PASSWORD = "MatKhau-Burst-2026";
const COURSE = "khoa-thu";
const COOKIE = "__Host-kns_session";
const NGINX_PORT = 8380;
const APP_PORTS = postgres ? [8381, 8382] : [8381];
const ADMIN_URL = process.env.KNS_BENCH_POSTGRES_ADMIN_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/postgres";

const say = (line: string) => console.log(`· ${line}`);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
const percentile = (xs: number[], p: number) => {
  if (!xs.length) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

if (!fs.existsSync("build/server.js")) throw new Error("build/ is missing: npm run build");

// ---------------------------------------------------------------------------------------------
// 1. A fresh database with the test course and the learners

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kns-burst-"));
const pgName = `kns_burst_${crypto.randomBytes(4).toString("hex")}`;
if (postgres) {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${pgName}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${pgName}`;
  process.env.DATABASE_URL = url.toString();
} else {
  process.env.DATABASE_URL = `file:${path.join(tmp, "burst.db")}`;
}
const migrated = spawnSync("npx", ["tsx", "scripts/migrate.ts"], { env: process.env, stdio: "pipe" });
if (migrated.status !== 0) throw new Error(`migration failed: ${migrated.stderr}`);

// Imported only now: the database client reads DATABASE_URL when it loads.
const { db } = await import("~/platform/db.server");
const { hashPassword, verifyPassword } = await import("~/identity/auth.server");
const { syncContent } = await import("~/content/content-sync.server");

const { problems } = await syncContent("tests/fixtures/content");
if (problems.length) throw new Error(JSON.stringify(problems));
const unit = await db.orgUnit.create({ data: { code: "BURST", kind: "province", nameVi: "Tỉnh thử tải", nameEn: "Burst", path: "/BURST/", depth: 0 } });
const passwordHash = await hashPassword(PASSWORD);
// The cost of one sign-in's password check on this machine, measured alone.
const argon: number[] = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  await verifyPassword(passwordHash, PASSWORD);
  argon.push(performance.now() - t);
}
for (let i = 0; i < LEARNERS; i += 1000) {
  await db.user.createMany({
    data: Array.from({ length: Math.min(1000, LEARNERS - i) }, (_, k) => ({ email: `hv${i + k}@burst.vn`, fullName: `Học viên ${i + k}`, orgUnitId: unit.id, passwordHash })),
  });
}
const users = await db.user.findMany({ where: { orgUnitId: unit.id }, select: { id: true, email: true }, orderBy: { id: "asc" } });
const cookies = new Map<string, string>();
if (presession) {
  const sessions = users.map((u) => ({ id: crypto.randomBytes(20).toString("hex"), userId: u.id, expiresAt: new Date(Date.now() + 3600_000) }));
  for (let i = 0; i < sessions.length; i += 1000) await db.session.createMany({ data: sessions.slice(i, i + 1000) });
  sessions.forEach((s, i) => cookies.set(users[i].email, `${COOKIE}=${s.id}`));
}
await db.$disconnect();
say(`${LEARNERS} learners on ${postgres ? "PostgreSQL" : "SQLite"}; argon2id verify alone: p50 ${round(percentile(argon, 50))} ms`);

// ---------------------------------------------------------------------------------------------
// 2. The app processes (and nginx in front of two of them)

type Proc = { child: ChildProcess; output: string };
const procs: Proc[] = [];
function start(cmd: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const proc = { child, output: "" };
  child.stdout?.on("data", (d) => (proc.output += d));
  child.stderr?.on("data", (d) => (proc.output += d));
  procs.push(proc);
  return proc;
}
async function waitFor(url: string) {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}
function stopAll() {
  for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGTERM");
}
process.on("exit", stopAll);

const apps = APP_PORTS.map((port) =>
  start(process.execPath, productionServerArgs(), {
    ...productionServerEnv(),
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    APP_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: process.env.DATABASE_URL!,
    TRUST_PROXY: postgres ? "1" : "0",
  }),
);
for (const port of APP_PORTS) await waitFor(`http://127.0.0.1:${port}/healthz`);
let base = `http://127.0.0.1:${APP_PORTS[0]}`;
if (postgres) {
  const prefix = path.join(tmp, "nginx");
  for (const dir of ["logs", "tmp"]) fs.mkdirSync(path.join(prefix, dir), { recursive: true, mode: 0o777 });
  start("nginx", ["-p", prefix, "-e", path.join(prefix, "logs/error.log"), "-c", path.resolve("bench/nginx.conf"), "-g", "daemon off;"], {});
  base = `http://127.0.0.1:${NGINX_PORT}`;
  await waitFor(`${base}/healthz`);
}
say(`serving at ${base}`);

// ---------------------------------------------------------------------------------------------
// 3. The burst

// Each learner is a browser: its own connections, a connect timeout of two minutes (undici's
// default of 10 s would report a server that is merely slow to accept as unreachable), and idle
// connections dropped before the server's 5 s keep-alive timeout closes them under a request.
setGlobalDispatcher(new Agent({ connect: { timeout: 120_000 }, keepAliveTimeout: 2_000, headersTimeout: 300_000, bodyTimeout: 300_000 }));

type Step = "login" | "enrol" | "start" | "read" | "submit";
const latency: Record<Step, number[]> = { login: [], enrol: [], start: [], read: [], submit: [] };
const failures: string[] = [];
let serverErrors = 0;
let requests = 0;
let inFlight = 0;
let peakInFlight = 0;
const sent = new Map<number, { attemptId: number; answers: Map<number, string> }>();
const finishedAt: number[] = [];
let started = 0;
const pastDeadline = () => performance.now() - started > DEADLINE_SECONDS * 1000;

async function request(step: Step, cookie: string, pathName: string, body?: URLSearchParams): Promise<Response> {
  if (pastDeadline()) throw new Error("deadline");
  const t = performance.now();
  inFlight++;
  peakInFlight = Math.max(peakInFlight, inFlight);
  try {
    const res = await fetch(base + pathName, {
      method: body ? "POST" : "GET",
      body,
      headers: { Cookie: cookie, Origin: base, "Accept-Encoding": "gzip, deflate, br", ...(body ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
      redirect: "manual",
    });
    requests++;
    if (res.status >= 500) serverErrors++;
    return res;
  } finally {
    inFlight--;
    latency[step].push(performance.now() - t);
  }
}

async function learner(index: number): Promise<void> {
  const email = users[index].email;
  const fail = (what: string, res: Response) => void failures.push(`${email} ${what}: ${res.status}`);
  let cookie = cookies.get(email) ?? "";
  if (!presession) {
    const res = await request("login", "", "/login", new URLSearchParams({ email, password: PASSWORD }));
    await res.arrayBuffer();
    if (res.status !== 302) return fail("login", res);
    cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  }
  let res = await request("enrol", cookie, `/courses/${COURSE}`, new URLSearchParams());
  await res.arrayBuffer();
  if (res.status !== 302) return fail("enrol", res);
  res = await request("start", cookie, `/courses/${COURSE}/quiz`, new URLSearchParams({ intent: "start" }));
  await res.arrayBuffer();
  if (res.status !== 302) return fail("start", res);
  res = await request("read", cookie, `/courses/${COURSE}/quiz`);
  const html = await res.text();
  const attemptId = Number(/name="attemptId" value="(\d+)"/.exec(html)?.[1]);
  if (res.status !== 200 || !attemptId) return fail("read", res);
  // Each learner picks a choice per question, varied across learners.
  const answers = new Map<number, string>();
  for (const m of html.matchAll(/name="q(\d+)" value="([^"]+)"/g)) {
    const position = Number(m[1]);
    if (!answers.has(position) || (index + position) % 2 === 0) answers.set(position, m[2]);
  }
  const body = new URLSearchParams({ intent: "submit", attemptId: String(attemptId) });
  for (const [position, choice] of answers) body.append(`q${position}`, choice);
  res = await request("submit", cookie, `/courses/${COURSE}/quiz`, body);
  await res.arrayBuffer();
  if (res.status !== 302) return fail("submit", res);
  sent.set(users[index].id, { attemptId, answers });
  finishedAt.push((performance.now() - started) / 1000);
}

function peakRssMb(pid: number | undefined): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

const loadBefore = os.loadavg();
started = performance.now();
const runs: Promise<void>[] = [];
for (let i = 0; i < LEARNERS; i++) {
  const due = started + (i * RAMP_SECONDS * 1000) / LEARNERS;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  runs.push(
    learner(i).catch((e: Error & { cause?: { code?: string } }) => {
      if (e.message !== "deadline") failures.push(`${users[i].email}: ${e.message}${e.cause?.code ? ` (${e.cause.code})` : ""}`);
    }),
  );
}
await Promise.all(runs);
const seconds = (performance.now() - started) / 1000;
const rss = apps.map((a) => peakRssMb(a.child.pid));

// ---------------------------------------------------------------------------------------------
// 4. Nothing lost, nothing twice

const attempts = await db.quizAttempt.findMany({
  where: { enrollment: { user: { orgUnitId: unit.id } } },
  select: { id: true, status: true, enrollment: { select: { userId: true } }, questions: { select: { position: true, answer: true } } },
});
const graded = await db.auditEvent.groupBy({ by: ["targetId"], where: { action: "quiz.submit" }, _count: { _all: true } });
const perUser = new Map<number, number>();
for (const a of attempts) perUser.set(a.enrollment.userId, (perUser.get(a.enrollment.userId) ?? 0) + 1);
let lost = 0;
for (const [userId, s] of sent) {
  const a = attempts.find((x) => x.id === s.attemptId);
  const same = a && a.status === "submitted" && a.enrollment.userId === userId && [...s.answers].every(([p, c]) => a.questions.find((q) => q.position === p)?.answer === JSON.stringify([c]));
  if (!same) lost++;
}
const duplicated = [...perUser.values()].filter((n) => n > 1).length + graded.filter((g) => g._count._all > 1).length;
const enrolments = await db.enrollment.groupBy({ by: ["userId"], where: { user: { orgUnitId: unit.id } }, _count: { _all: true } });
const duplicateEnrolments = enrolments.filter((e) => e._count._all > 1).length;
await db.$disconnect();
stopAll();

// What the servers and nginx said about errors, grouped (ids and times stripped), for the report.
const diagnostics = new Map<string, number>();
const logs = procs.map((p) => p.output);
const nginxLog = path.join(tmp, "nginx/logs/error.log");
if (fs.existsSync(nginxLog)) logs.push(fs.readFileSync(nginxLog, "utf8"));
for (const line of logs.join("\n").split("\n")) {
  if (!/error|alert|crit|invalid|timeout|refused|reset|closed|not enough|prisma/i.test(line)) continue;
  const key = line.replace(/^\S+ \S+ /, "").replace(/\d+/g, "#").replace(/client: .*$/, "").slice(0, 160);
  diagnostics.set(key, (diagnostics.get(key) ?? 0) + 1);
}

// ---------------------------------------------------------------------------------------------
// 5. Report

const reasons = new Map<string, number>();
for (const f of failures) {
  const reason = f.replace(/^\S+ /, "");
  reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
}
const all = Object.values(latency).flat();
const stepLatency = (step: Step) => (latency[step].length ? `${round(percentile(latency[step], 50))}/${round(percentile(latency[step], 99))}` : "—");
const result = {
  date: new Date().toISOString(),
  database: postgres ? "postgres (2 app processes behind nginx)" : "sqlite (1 app process)",
  signIn: presession ? "pre-created sessions" : "real POST /login (argon2id)",
  learners: LEARNERS,
  rampSeconds: RAMP_SECONDS,
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadAverageBefore: loadBefore.map((x) => round(x, 2)) },
  argon2VerifyMsP50: round(percentile(argon, 50)),
  burstSeconds: round(seconds),
  requests,
  requestsPerSecond: round(requests / seconds),
  latencyMs: {
    all: { p50: round(percentile(all, 50)), p99: round(percentile(all, 99)) },
    ...Object.fromEntries(Object.entries(latency).filter(([, xs]) => xs.length).map(([step, xs]) => [step, { p50: round(percentile(xs, 50)), p99: round(percentile(xs, 99)) }])),
  },
  peakInFlight,
  serverPeakRssMb: rss,
  completed: sent.size,
  completedWithin60s: finishedAt.filter((t) => t <= 60).length,
  lastCompletedAtSeconds: round(Math.max(0, ...finishedAt)),
  failures: failures.length,
  failureReasons: Object.fromEntries(reasons),
  serverErrors,
  lost,
  duplicated,
  duplicateEnrolments,
  serverLog: Object.fromEntries([...diagnostics].sort((a, b) => b[1] - a[1]).slice(0, 15)),
};
console.table({
  learners: LEARNERS,
  "finished (s)": result.burstSeconds,
  completed: result.completed,
  "completed ≤ 60 s": result.completedWithin60s,
  "req/s": result.requestsPerSecond,
  "p50 ms": result.latencyMs.all.p50,
  "p99 ms": result.latencyMs.all.p99,
  "login p50/p99 ms": stepLatency("login"),
  "submit p50/p99 ms": stepLatency("submit"),
  "peak RSS MB": rss.join(" + "),
  "5xx": serverErrors,
  lost,
  duplicated,
});
for (const [reason, n] of reasons) console.log(`  ${n} × ${reason}`);
for (const [line, n] of Object.entries(result.serverLog)) console.log(`  server log, ${n} × ${line}`);
const name = `quiz-burst-${result.date.slice(0, 10)}${postgres ? "-postgres" : ""}${presession ? "-sessions" : ""}.json`;
fs.mkdirSync("bench/results", { recursive: true });
fs.writeFileSync(path.join("bench/results", name), `${JSON.stringify(result, null, 2)}\n`);
say(`wrote bench/results/${name}`);
if (postgres) {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${pgName}" WITH (FORCE)`);
  await admin.end();
}
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(failures.length || serverErrors || lost || duplicated || sent.size < LEARNERS ? 1 : 0);
