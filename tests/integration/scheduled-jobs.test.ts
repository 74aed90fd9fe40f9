// The app runs renewals and reminders by itself: a real server with a short job period, and the
// rows and mail those jobs leave behind.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCertificate } from "~/certificates/issue.server";
import { addMonths } from "~/utils/vietnam-time";
import { syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { saveAnswers, startAttempt } from "~/learning/quiz.server";
import { getPublishedCourse } from "~/content/catalog.data.server";
import type { Choice } from "~/utils/course";
import { twoProvinces } from "../support/factories";
import { startServer, type RunningServer } from "../support/server";

const DAY = 86_400_000;
let servers: RunningServer[] = [];
let timedOutEnrollmentId = 0;

async function until<T>(probe: () => Promise<T | null>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  const world = await twoProvinces();
  expect((await syncContent("tests/fixtures/content")).problems).toEqual([]);
  const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
  // A certificate that expires in ten days, inside the default 30-day renewal lead.
  const done = await db.enrollment.create({
    data: { userId: world.users.learner.id, courseId: course.id, completedAt: addMonths(new Date(Date.now() + 10 * DAY), -12) },
  });
  await issueCertificate(done.id, { userId: null });
  // Mandatory training due in three days for someone who has not started it.
  const assignment = await db.trainingAssignment.create({
    data: { courseId: course.id, orgUnitId: world.units.b.id, dueAt: new Date(Date.now() + 3 * DAY), reminderDays: 7 },
  });
  await db.enrollment.create({
    data: { userId: world.users.otherLearner.id, courseId: course.id, origin: "assigned", assignmentId: assignment.id, dueAt: assignment.dueAt },
  });
  // A learner who read every lesson and answered every question right, then left the quiz
  // open until its time ran out.
  const published = (await getPublishedCourse("khoa-thu"))!;
  const reader = await db.enrollment.create({ data: { userId: world.users.trainer.id, courseId: course.id } });
  timedOutEnrollmentId = reader.id;
  for (const l of published.version.lessons) await db.lessonCompletion.create({ data: { enrollmentId: reader.id, lessonId: l.lessonId } });
  const ctx = { userId: world.users.trainer.id, ip: "127.0.0.1" };
  const attemptId = await startAttempt({ id: reader.id }, published, ctx);
  const rows = await db.attemptQuestion.findMany({ where: { attemptId }, include: { question: true } });
  const key = new Map(rows.map((r) => [r.position, (JSON.parse(r.question.choices) as Choice[]).filter((c) => c.correct).map((c) => c.id)]));
  await saveAnswers(attemptId, reader.id, key, 1, ctx);
  await db.quizAttempt.update({ where: { id: attemptId }, data: { deadlineAt: new Date(Date.now() - 60_000) } });
  // Two instances on the same database, as behind a load balancer: each runs the jobs.
  for (let i = 0; i < 2; i++) servers.push(await startServer({ DATABASE_URL: process.env.DATABASE_URL!, JOBS_EVERY_MINUTES: "0.02" }));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});

describe("scheduled jobs", () => {
  it("close timed-out attempts, create the renewal enrolment and send the reminder once, however many instances run them", async () => {
    const renewal = await until(() => db.enrollment.findFirst({ where: { origin: "renewal" } }), "the renewal enrolment");
    expect(renewal).toMatchObject({ cycle: 2, completedAt: null });
    const mail = await until(() => db.outboxMail.findFirst({ where: { to: "hocvien@p2.vn" } }), "the reminder");
    expect(mail.subject).toBe("Sắp đến hạn học: Khóa học thử nghiệm");
    // The link names the configured public address: never a bare path, which a mail client cannot open.
    expect(mail.text).toMatch(/http:\/\/127\.0\.0\.1:\d+\/courses\/khoa-thu/);
    // Let both instances run several more times: nothing is created or sent twice.
    await until(async () => (servers.every((s) => (s.output().match(/\[kns:jobs\]/g) ?? []).length >= 4) ? true : null), "more runs");
    expect(await db.enrollment.count({ where: { origin: "renewal" } })).toBe(1);
    expect(await db.outboxMail.count({ where: { to: "hocvien@p2.vn" } })).toBe(1);
    expect(await db.reminderLog.count()).toBe(1);
    // The attempt left open past its time was graded, completing the course with a certificate.
    expect(await db.quizAttempt.findFirstOrThrow({ where: { enrollmentId: timedOutEnrollmentId } })).toMatchObject({ status: "submitted", passed: true });
    expect((await db.enrollment.findUniqueOrThrow({ where: { id: timedOutEnrollmentId } })).completedAt).not.toBeNull();
    expect(await db.certificate.count({ where: { enrollmentId: timedOutEnrollmentId } })).toBe(1);
    expect(servers[0].output()).toMatch(/\[kns:jobs\] \d+ timed-out attempts closed, renewals \d+\/\d+, reminders \d+ due soon \+ \d+ overdue, \d+ yearly roll-overs/);
  });

});
