// Crash safety: learners stream lesson completions, quiz answer saves and submissions at the
// production server while it is killed (SIGKILL) at random moments, again and again. After
// every kill the database (SQLite: PRAGMA integrity_check and foreign_key_check) must hold every write the
// server acknowledged (2xx/3xx); an unacknowledged write may or may not be there, but nothing
// in between. Each learner has one request in flight at a time, so after a kill their data must
// equal the state after their acknowledged requests, with or without the one in flight.
//
// Start-up of the production server takes seconds (tsx and the server bundle), so the next
// process is started while the current one serves; it does not open the database before the
// kill (its first query, after the kill, opens it), and that first request is checked.
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import net from "node:net";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPublishedCourse, type PublishedCourse } from "~/content/catalog.data.server";
import { syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { startAttempt } from "~/learning/quiz.server";
import { TEST_PROVIDER } from "../support/config";
import { createUnit, createUser } from "../support/factories";

const KILLS = 50;
const LEARNERS = 400;
/** Learners with a request in flight at any moment. */
const CONCURRENCY = 24;
const SAVES = 12;
const COOKIE = "__Host-kns_session";

type Op = { kind: "lesson"; slug: string; lessonId: number } | { kind: "save" | "submit"; answers: Map<number, string[]> };
type Learner = {
  cookie: string;
  enrollmentId: number;
  attemptId: number;
  ops: Op[];
  /** Requests acknowledged so far (ops[0..done) are applied for sure). */
  done: number;
  /** Whether ops[done] was sent without an answer (connection cut by the kill). */
  inFlight: boolean;
};
type State = { lessons: number[]; answers: Record<number, string | null>; submitted: boolean };

let course: PublishedCourse;
const learners: Learner[] = [];
const sqliteFile = (process.env.DATABASE_URL ?? "").replace(/^file:/, "");

function expected(l: Learner, count: number, positions: number[]): State {
  const lessons = new Set<number>();
  let answers = new Map<number, string[]>();
  let submitted = false;
  for (const op of l.ops.slice(0, count)) {
    if (op.kind === "lesson") lessons.add(op.lessonId);
    else {
      answers = op.answers;
      if (op.kind === "submit") submitted = true;
    }
  }
  const byPosition: Record<number, string | null> = {};
  for (const p of positions) byPosition[p] = answers.has(p) ? JSON.stringify([...new Set(answers.get(p))].sort()) : null;
  return { lessons: [...lessons].sort((a, b) => a - b), answers: byPosition, submitted };
}

beforeAll(async () => {
  await syncContent("tests/fixtures/content");
  course = (await getPublishedCourse("khoa-thu"))!;
  const unit = await createUnit("CRASH");
  const lessons = course.version.lessons;
  for (let i = 0; i < LEARNERS; i++) {
    const user = await createUser(`crash${i}@p.vn`, unit);
    const enrollment = await db.enrollment.create({ data: { userId: user.id, courseId: course.id } });
    const attemptId = await startAttempt({ id: enrollment.id }, course, { userId: user.id, ip: "test" });
    const sessionId = crypto.randomBytes(20).toString("hex");
    await db.session.create({ data: { id: sessionId, userId: user.id, expiresAt: new Date(Date.now() + 3600_000) } });
    const questions = await db.attemptQuestion.findMany({ where: { attemptId }, select: { position: true, choiceOrder: true, question: { select: { type: true } } } });
    const ops: Op[] = lessons.map((lesson) => ({ kind: "lesson", slug: lesson.slug, lessonId: lesson.lessonId }));
    // Each save changes one answer and sends them all, as the quiz form does.
    const answers = new Map<number, string[]>();
    for (let k = 0; k < SAVES; k++) {
      const q = questions[(i + k) % questions.length];
      const choices = JSON.parse(q.choiceOrder) as string[];
      const pick = [choices[(i * 7 + k) % choices.length]];
      if (q.question.type === "multiple" && k % 2) pick.push(choices[(i + k + 1) % choices.length]);
      answers.set(q.position, pick);
      ops.push({ kind: k === SAVES - 1 ? "submit" : "save", answers: new Map(answers) });
    }
    learners.push({ cookie: `${COOKIE}=${sessionId}`, enrollmentId: enrollment.id, attemptId, ops, done: 0, inFlight: false });
  }
  // From here on only the server (and the checks below, each on a fresh connection) opens the database.
  await db.$disconnect();
}, 300_000);

type Server = { child: ChildProcess; url: string; listening: Promise<void>; exited: Promise<void>; output: () => string };

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

const standby: Server[] = [];
async function spawnServer(): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ["build/server.js"], {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), APP_URL: `http://127.0.0.1:${port}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const listening = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (d) => {
      output += d;
      if (output.includes(`:${port} (production)`)) resolve();
    });
    void exited.then(() => reject(new Error(`server exited before listening: ${output}`)));
  });
  listening.catch(() => undefined);
  return { child, url: `http://127.0.0.1:${port}`, listening, exited, output: () => output };
}

/** A server that is listening; one that died starting (say, build/ was being rebuilt) is replaced. */
async function ready(server: Server, tries = 5): Promise<Server> {
  try {
    await server.listening;
    return server;
  } catch (error) {
    if (tries <= 1) throw error;
    await new Promise((r) => setTimeout(r, 2_000));
    return ready(await spawnServer(), tries - 1);
  }
}

afterAll(async () => {
  for (const s of standby.splice(0)) s.child.kill("SIGKILL");
});

async function send(base: string, l: Learner, op: Op): Promise<number> {
  const body = new URLSearchParams();
  // Saves go to the single-fetch endpoint as the page's autosave does; the rest are plain form posts.
  let path = `/courses/${course.slug}/quiz${op.kind === "save" ? ".data" : ""}`;
  if (op.kind === "lesson") path = `/courses/${course.slug}/${op.slug}`;
  else {
    body.set("intent", op.kind);
    body.set("attemptId", String(l.attemptId));
    for (const [position, ids] of op.answers) for (const id of ids) body.append(`q${position}`, id);
  }
  const res = await fetch(base + path, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: l.cookie, Origin: base },
    redirect: "manual",
  });
  await res.arrayBuffer();
  return res.status;
}

/** Runs learners against `base` until the connection dies; returns unexpected statuses. */
async function traffic(base: string, stop: { killed: boolean }, acked: { count: number }): Promise<string[]> {
  const unexpected: string[] = [];
  const queue = learners.filter((l) => l.done < l.ops.length);
  const worker = async () => {
    for (let l = queue.shift(); l; l = queue.shift()) {
      while (l.done < l.ops.length) {
        if (stop.killed) return;
        l.inFlight = true;
        let status: number;
        try {
          status = await send(base, l, l.ops[l.done]);
        } catch {
          return; // the server died with this request in flight
        }
        if (status >= 200 && status < 400) {
          l.inFlight = false;
          l.done++;
          acked.count++;
        } else {
          l.inFlight = false;
          unexpected.push(`${l.ops[l.done].kind} → ${status}`);
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return unexpected;
}

/** The database after a kill: intact, and every learner at an acknowledged state (or one past it). */
async function check(): Promise<string[]> {
  const problems: string[] = [];
  if (TEST_PROVIDER === "sqlite") {
    const sqlite = new Database(sqliteFile);
    try {
      const integrity = String(sqlite.pragma("integrity_check", { simple: true }));
      if (integrity !== "ok") problems.push(`integrity_check: ${integrity}`);
      const fk = sqlite.pragma("foreign_key_check") as unknown[];
      if (fk.length) problems.push(`foreign_key_check: ${JSON.stringify(fk).slice(0, 200)}`);
    } finally {
      sqlite.close();
    }
  }
  try {
    const enrollmentIds = learners.map((l) => l.enrollmentId);
    const attemptIds = learners.map((l) => l.attemptId);
    const [completions, questions, attempts, enrollments] = await Promise.all([
      db.lessonCompletion.findMany({ where: { enrollmentId: { in: enrollmentIds } }, select: { enrollmentId: true, lessonId: true } }),
      db.attemptQuestion.findMany({ where: { attemptId: { in: attemptIds } }, orderBy: { position: "asc" }, select: { attemptId: true, position: true, answer: true } }),
      db.quizAttempt.findMany({ where: { id: { in: attemptIds } }, select: { id: true, status: true, score: true, passed: true } }),
      db.enrollment.findMany({ where: { id: { in: enrollmentIds } }, select: { id: true, completedAt: true, _count: { select: { certificates: true } } } }),
    ]);
    for (const l of learners) {
      const rows = questions.filter((q) => q.attemptId === l.attemptId);
      const attempt = attempts.find((a) => a.id === l.attemptId)!;
      const actual: State = {
        lessons: completions.filter((c) => c.enrollmentId === l.enrollmentId).map((c) => c.lessonId).sort((a, b) => a - b),
        answers: Object.fromEntries(rows.map((r) => [r.position, r.answer])),
        submitted: attempt.status === "submitted",
      };
      const positions = rows.map((r) => r.position);
      const same = (s: State) => JSON.stringify(s) === JSON.stringify(actual);
      const acknowledged = expected(l, l.done, positions);
      const withInFlight = l.inFlight ? expected(l, l.done + 1, positions) : acknowledged;
      // A submit saves the answers, then grades in a second transaction: a kill in between
      // leaves the attempt open with the answers saved, which is what an autosave leaves.
      const savedOnly = { ...withInFlight, submitted: acknowledged.submitted };
      if (!same(acknowledged) && !same(withInFlight) && !same(savedOnly)) {
        problems.push(`learner ${l.enrollmentId} (done ${l.done}/${l.ops.length}, in flight: ${l.inFlight}): ${JSON.stringify(actual)} is neither ${JSON.stringify(acknowledged)} nor ${JSON.stringify(withInFlight)}`);
      }
      if (actual.submitted && attempt.score === null) problems.push(`attempt ${l.attemptId} submitted without a score`);
      // An acknowledged submit of a passed attempt, after all lessons, completed the course and issued its certificate.
      const e = enrollments.find((x) => x.id === l.enrollmentId)!;
      if (l.done === l.ops.length && attempt.passed && (e.completedAt === null || e._count.certificates !== 1)) {
        problems.push(`enrolment ${l.enrollmentId} passed but completedAt=${e.completedAt} certificates=${e._count.certificates}`);
      }
    }
  } finally {
    // Nothing but the server holds the database open when it is killed.
    await db.$disconnect();
  }
  return problems;
}

describe(`crash safety (${TEST_PROVIDER}, SIGKILL)`, () => {
  it(`keeps every acknowledged write through ${KILLS} kills`, async () => {
    const acked = { count: 0 };
    const unexpected: string[] = [];
    const problems: string[] = [];
    let kills = 0;
    let current = await ready(await spawnServer());
    while (kills < KILLS) {
      // The next process starts while this one serves, so a restart costs little waiting.
      if (!standby.length) standby.push(await spawnServer());
      // The first request of a restarted server opens the database after the crash; a page
      // view warms the process up so the kill lands among writes, not during start-up.
      expect((await fetch(`${current.url}/healthz`)).status).toBe(200);
      await (await fetch(`${current.url}/courses/${course.slug}/quiz`, { headers: { Cookie: learners[0].cookie } })).arrayBuffer();
      const stop = { killed: false };
      const before = acked.count;
      const running = traffic(current.url, stop, acked);
      // A random moment: after a random number of acknowledged writes, plus a random delay.
      const target = before + 5 + crypto.randomInt(40);
      const deadline = Date.now() + 10_000;
      while (acked.count < target && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, crypto.randomInt(50)));
      stop.killed = true;
      current.child.kill("SIGKILL");
      await current.exited;
      kills++;
      const refused = await running;
      if (refused.length) console.log(current.output());
      unexpected.push(...refused);
      problems.push(...(await check()));
      if (problems.length || learners.every((l) => l.done === l.ops.length)) break;
      current = await ready(standby.shift()!);
    }
    current.child.kill("SIGKILL");
    await current.exited;
    problems.push(...(await check()));
    console.log(`crash safety: ${kills} kills, ${acked.count} acknowledged writes, ${learners.filter((l) => l.done === l.ops.length).length}/${LEARNERS} learners finished`);
    expect({ problems, unexpected }).toEqual({ problems: [], unexpected: [] });
    expect(kills).toBeGreaterThanOrEqual(KILLS);
    expect(acked.count).toBeGreaterThan(KILLS * 5);
  }, 600_000);
});
