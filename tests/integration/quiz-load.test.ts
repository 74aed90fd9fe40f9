// 200 learners submit their quiz at the same moment, plus 20 duplicate submissions:
// every attempt is graded exactly once, correctly, with no errors.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPublishedCourse } from "~/content/catalog.data.server";
import { lucia } from "~/identity/auth.server";
import { syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { startAttempt } from "~/learning/quiz.server";
import type { Choice } from "~/utils/course";
import { createUnit, createUser } from "../support/factories";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
const LEARNERS = 200;
const DUPLICATES = 20;

type Prepared = { attemptId: number; cookie: string; entries: [string, string][]; expectedScore: number };
const prepared: Prepared[] = [];

beforeAll(async () => {
  await syncContent("tests/fixtures/content");
  const course = (await getPublishedCourse("khoa-thu"))!;
  const unit = await createUnit("LOAD");
  for (let i = 0; i < LEARNERS; i++) {
    const user = await createUser(`load${i}@p.vn`, unit);
    const enrollment = await db.enrollment.create({ data: { userId: user.id, courseId: course.id } });
    const attemptId = await startAttempt({ id: enrollment.id }, course, { userId: user.id, ip: "test" });
    const session = await lucia.createSession(user.id, { secondFactor: "totp" });
    const rows = await db.attemptQuestion.findMany({ where: { attemptId }, include: { question: true } });
    let right = 0;
    const entries: [string, string][] = [["intent", "submit"], ["attemptId", String(attemptId)]];
    rows.forEach((r, k) => {
      const choices = JSON.parse(r.question.choices) as Choice[];
      const correct = choices.filter((c) => c.correct).map((c) => c.id);
      // Learners answer a varied mix of right and wrong.
      const answerRight = (i + k) % 3 !== 0;
      const chosen = answerRight ? correct : [choices.find((c) => !c.correct)!.id];
      if (answerRight) right++;
      for (const id of chosen) entries.push([`q${r.position}`, id]);
    });
    prepared.push({ attemptId, cookie: `__Host-kns_session=${session.id}`, entries, expectedScore: Math.round((100 * right) / rows.length) });
  }
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
}, 300_000);
afterAll(async () => server?.stop());

describe("a burst of quiz submissions", () => {
  it("grades every attempt exactly once and correctly", async () => {
    const requests = [...prepared, ...prepared.slice(0, DUPLICATES)].map((p) =>
      fetch(`${server.url}/courses/khoa-thu/quiz`, {
        method: "POST",
        body: new URLSearchParams(p.entries),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: p.cookie, Origin: server.url },
        redirect: "manual",
      }).then((r) => r.status),
    );
    const statuses = await Promise.all(requests);
    expect(statuses.filter((s) => s !== 302)).toEqual([]);

    const attempts = await db.quizAttempt.findMany({ where: { id: { in: prepared.map((p) => p.attemptId) } } });
    expect(attempts.filter((a) => a.status === "submitted")).toHaveLength(LEARNERS);
    for (const p of prepared) expect(attempts.find((a) => a.id === p.attemptId)?.score).toBe(p.expectedScore);
    const graded = await db.auditEvent.count({ where: { action: "quiz.submit" } });
    expect(graded).toBe(LEARNERS);
  }, 300_000);
});
