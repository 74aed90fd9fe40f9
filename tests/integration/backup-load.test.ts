// An online backup taken while learners keep writing, restored into a new database: the copy
// is intact, holds every write acknowledged before the backup started, and is a consistent
// snapshot (no learner's later step without the earlier ones).
import { execFile, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPublishedCourse } from "~/content/catalog.data.server";
import { backupDatabase } from "~/platform/backup.server";
import { syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { startAttempt } from "~/learning/quiz.server";
import { POSTGRES_ADMIN_URL, postgresUrl, TEST_PROVIDER, TMP_DIR } from "../support/config";
import { createUnit, createUser } from "../support/factories";
import { startServer, type RunningServer } from "../support/server";

const run = promisify(execFile);
const LEARNERS = 150;
const CONCURRENCY = 16;

type Op = { path: string; fields: [string, string][]; kind: "lesson" | "save" | "submit"; lessonId?: number; answered?: number };
type Learner = { cookie: string; enrollmentId: number; attemptId: number; ops: Op[]; done: number; answers: Map<number, string> };

let server: RunningServer;
const learners: Learner[] = [];
const id = crypto.randomBytes(4).toString("hex");
const backupFile = path.join(TMP_DIR, `load-backup-${id}.${TEST_PROVIDER === "sqlite" ? "db" : "dump"}`);
const restoredSqlite = path.join(TMP_DIR, `load-restored-${id}.db`);
const restoredPg = `${new URL(process.env.DATABASE_URL!).pathname.slice(1)}_restored`;

beforeAll(async () => {
  await syncContent("tests/fixtures/content");
  const course = (await getPublishedCourse("khoa-thu"))!;
  const unit = await createUnit("BACKUP");
  for (let i = 0; i < LEARNERS; i++) {
    const user = await createUser(`backup${i}@p.vn`, unit);
    const enrollment = await db.enrollment.create({ data: { userId: user.id, courseId: course.id } });
    const attemptId = await startAttempt({ id: enrollment.id }, course, { userId: user.id, ip: "test" });
    const sessionId = crypto.randomBytes(20).toString("hex");
    await db.session.create({ data: { id: sessionId, userId: user.id, expiresAt: new Date(Date.now() + 3600_000) } });
    const questions = await db.attemptQuestion.findMany({ where: { attemptId }, orderBy: { position: "asc" }, select: { position: true, choiceOrder: true } });
    const answers = new Map(questions.map((q) => [q.position, (JSON.parse(q.choiceOrder) as string[])[i % 2]]));
    const ops: Op[] = course.version.lessons.map((l) => ({ kind: "lesson", path: `/courses/${course.slug}/${l.slug}`, fields: [], lessonId: l.lessonId }));
    // Save k answers questions 1..k and never changes an earlier answer.
    questions.forEach((_, k) => {
      const fields: [string, string][] = [["intent", "save"], ["attemptId", String(attemptId)]];
      for (const q of questions.slice(0, k + 1)) fields.push([`q${q.position}`, answers.get(q.position)!]);
      ops.push({ kind: "save", path: `/courses/${course.slug}/quiz`, fields, answered: k + 1 });
    });
    ops.push({ kind: "submit", path: `/courses/${course.slug}/quiz`, fields: [["intent", "submit"], ["attemptId", String(attemptId)], ...[...answers].map(([p, c]): [string, string] => [`q${p}`, c])] });
    learners.push({ cookie: `__Host-kns_session=${sessionId}`, enrollmentId: enrollment.id, attemptId, ops, done: 0, answers });
  }
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  for (const file of [backupFile, restoredSqlite, `${restoredSqlite}-wal`, `${restoredSqlite}-shm`]) fs.rmSync(file, { force: true });
  if (TEST_PROVIDER === "postgres") {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${restoredPg}" WITH (FORCE)`);
    await admin.end();
  }
});

async function traffic(stop: { done: boolean }): Promise<string[]> {
  const unexpected: string[] = [];
  const queue = [...learners];
  const worker = async () => {
    for (let l = queue.shift(); l; l = queue.shift()) {
      while (l.done < l.ops.length && !stop.done) {
        const op = l.ops[l.done];
        const res = await fetch(server.url + op.path, {
          method: "POST",
          body: new URLSearchParams(op.fields),
          headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: l.cookie, Origin: server.url },
          redirect: "manual",
        });
        await res.arrayBuffer();
        if (res.status >= 400) unexpected.push(`${op.kind} → ${res.status}`);
        else l.done++;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return unexpected;
}

/** Runs SQL on the restored database, whichever provider it is. */
async function restoredQuery<T>(sql: string): Promise<T[]> {
  if (TEST_PROVIDER === "sqlite") {
    const copy = new Database(restoredSqlite, { readonly: true });
    try {
      return copy.prepare(sql).all() as T[];
    } finally {
      copy.close();
    }
  }
  const client = new pg.Client({ connectionString: postgresUrl(restoredPg) });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe(`backup under load (${TEST_PROVIDER})`, () => {
  it("backs up while requests stream, and the restored copy is intact and consistent", async () => {
    const stop = { done: false };
    const running = traffic(stop);
    // Let the writes get going, then note what is acknowledged when the backup starts.
    while (learners.reduce((n, l) => n + l.done, 0) < 100) await new Promise((r) => setTimeout(r, 20));
    const ackedAtStart = learners.map((l) => l.done);
    const out = await run("npx", ["tsx", "scripts/kns.ts", "backup", backupFile], { env: process.env });
    expect(out.stdout).toMatch(/Đã sao lưu/);
    const ackedAtEnd = learners.reduce((n, l) => n + l.done, 0);
    stop.done = true;
    expect(await running).toEqual([]);
    // Writes went on while the backup ran.
    expect(ackedAtEnd).toBeGreaterThan(ackedAtStart.reduce((a, b) => a + b, 0));

    if (TEST_PROVIDER === "postgres") {
      const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${restoredPg}"`);
      await admin.end();
    }
    const target = TEST_PROVIDER === "sqlite" ? `file:${restoredSqlite}` : postgresUrl(restoredPg);
    const restored = await run("npx", ["tsx", "scripts/kns.ts", "restore", backupFile], { env: { ...process.env, DATABASE_URL: target } });
    expect(restored.stdout).toMatch(/Đã khôi phục/);
    if (TEST_PROVIDER === "sqlite") {
      const copy = new Database(restoredSqlite, { readonly: true });
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(copy.pragma("foreign_key_check")).toEqual([]);
      copy.close();
    }

    const completions = await restoredQuery<{ enrollmentId: number; lessonId: number }>(`SELECT "enrollmentId", "lessonId" FROM "LessonCompletion"`);
    const answers = await restoredQuery<{ attemptId: number; position: number; answer: string | null }>(`SELECT "attemptId", "position", "answer" FROM "AttemptQuestion"`);
    const attempts = await restoredQuery<{ id: number; status: string }>(`SELECT "id", "status" FROM "QuizAttempt"`);
    const users = await restoredQuery<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "User"`);
    expect(Number(users[0].n)).toBe(await db.user.count());
    const problems: string[] = [];
    learners.forEach((l, i) => {
      // The learner's state in the copy, as the number of their steps it contains.
      const lessons = l.ops.filter((op) => op.kind === "lesson" && completions.some((c) => Number(c.enrollmentId) === l.enrollmentId && Number(c.lessonId) === op.lessonId)).length;
      const mine = answers.filter((a) => Number(a.attemptId) === l.attemptId);
      const answered = mine.filter((a) => a.answer !== null).length;
      for (const a of mine) if (a.answer !== null && a.answer !== JSON.stringify([l.answers.get(Number(a.position))])) problems.push(`attempt ${l.attemptId}: answer ${a.answer}`);
      const submitted = attempts.find((a) => Number(a.id) === l.attemptId)?.status === "submitted" ? 1 : 0;
      const steps = lessons + answered + submitted;
      // A consistent snapshot: the steps present are a prefix of the learner's sequence…
      const prefix = l.ops.slice(0, steps).every((op, k) => (op.kind === "lesson" ? k < lessons : op.kind === "save" ? op.answered! <= answered : submitted === 1));
      if (!prefix || (answered > 0 && lessons < 2)) problems.push(`learner ${i}: lessons ${lessons}, answered ${answered}, submitted ${submitted}`);
      // …and include everything acknowledged before the backup started.
      if (steps < ackedAtStart[i]) problems.push(`learner ${i}: ${steps} steps in the copy, ${ackedAtStart[i]} acknowledged before the backup`);
    });
    expect(problems).toEqual([]);
  }, 300_000);

  it("finishes on a large SQLite file that another process writes to without pause", async () => {
    // SQLite's online backup API starts over after every write by another process, so on a busy
    // database it never finished; the copy is now one read snapshot (VACUUM INTO).
    const big = path.join(TMP_DIR, `busy-${id}.db`);
    const copy = path.join(TMP_DIR, `busy-${id}.copy.db`);
    const sqlite = new Database(big);
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec("CREATE TABLE blob (id INTEGER PRIMARY KEY, data BLOB); CREATE TABLE tick (id INTEGER PRIMARY KEY, at INTEGER)");
    const insert = sqlite.prepare("INSERT INTO blob (data) VALUES (?)");
    sqlite.transaction(() => {
      for (let i = 0; i < 1600; i++) insert.run(Buffer.alloc(64 * 1024, i % 251));
    })();
    sqlite.close();
    const writer = spawn(
      process.execPath,
      ["-e", `const D = require("better-sqlite3"); const d = new D(${JSON.stringify(big)}); d.pragma("busy_timeout = 10000"); const s = d.prepare("INSERT INTO tick (at) VALUES (?)"); setInterval(() => s.run(Date.now()), 2); process.stdout.write("ready\\n");`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((resolve) => writer.stdout!.once("data", () => resolve()));
      await new Promise((r) => setTimeout(r, 200));
      const result = await backupDatabase(`file:${big}`, copy);
      expect(result.integrity).toBe("ok");
      const check = new Database(copy, { readonly: true });
      expect(check.prepare("SELECT COUNT(*) AS n FROM blob").get()).toEqual({ n: 1600 });
      expect((check.prepare("SELECT COUNT(*) AS n FROM tick").get() as { n: number }).n).toBeGreaterThan(0);
      check.close();
      expect(fs.readdirSync(TMP_DIR).filter((f) => f.includes(`busy-${id}.copy.db.partial`))).toEqual([]);
    } finally {
      writer.kill();
      for (const f of [big, `${big}-wal`, `${big}-shm`, copy]) fs.rmSync(f, { force: true });
    }
  }, 300_000);
});
