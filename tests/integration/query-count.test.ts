// How many SQL statements a signed-in learner's lesson page costs. Each statement through the
// ORM costs far more than the database work (docs/performance.md), so the hot pages keep a
// small, fixed number. The server prints every statement with KNS_LOG_QUERIES=1.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
const COURSE = "/courses/khoa-thu";

beforeAll(async () => {
  await twoProvinces();
  const { problems } = await syncContent("tests/fixtures/content");
  expect(problems).toEqual([]);
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, KNS_LOG_QUERIES: "1" });
});
afterAll(async () => server?.stop());

const statements = () => server.output().split("\n").filter((line) => line.startsWith("[kns:query]"));

/** The statements the server ran for one request (it is the only request in flight). */
async function queriesFor(client: Client, path: string): Promise<{ status: number; queries: string[] }> {
  const before = statements().length;
  const res = await client.get(path);
  await res.text();
  // Log lines reach the pipe a moment after the response.
  await new Promise((r) => setTimeout(r, 300));
  return { status: res.status, queries: statements().slice(before) };
}

describe("queries per request", () => {
  it("serves a lesson page to an enrolled learner with two SQL statements: the session, then the course with the learner's enrolment", async () => {
    const learner = new Client(server.url);
    expect((await learner.login("hocvien@p1.vn", PASSWORD)).status).toBe(302);
    expect((await learner.post(COURSE, {})).status).toBe(302); // enrols
    await queriesFor(learner, `${COURSE}/bai-mot`); // the first view loads the published course

    const lesson = await queriesFor(learner, `${COURSE}/bai-mot`);
    expect(lesson.status).toBe(200);
    expect(lesson.queries, lesson.queries.join("\n")).toHaveLength(2);
    expect(lesson.queries[0]).toMatch(/FROM "Session"/);
    expect(lesson.queries[1]).toMatch(/FROM "Course" c\s+LEFT JOIN "Enrollment" e/);
    // Reading the same lesson again writes nothing: the resume point is already there.
    expect(lesson.queries.filter((q) => /^\[kns:query\]\s*(UPDATE|INSERT|DELETE|BEGIN|COMMIT)/i.test(q)), lesson.queries.join("\n")).toEqual([]);
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { user: { email: "hocvien@p1.vn" }, course: { slug: "khoa-thu" } } });
    const first = await db.versionLesson.findFirstOrThrow({ where: { slug: "bai-mot", version: { course: { slug: "khoa-thu" } } } });
    expect(enrollment.lastLessonId).toBe(first.lessonId);
  });

  it("keeps the course overview and the quiz page small too", async () => {
    const learner = new Client(server.url);
    expect((await learner.login("hocvien@p1.vn", PASSWORD)).status).toBe(302);
    const overview = await queriesFor(learner, COURSE);
    expect(overview.status).toBe(200);
    expect(overview.queries.length, overview.queries.join("\n")).toBeLessThanOrEqual(6);
    const quiz = await queriesFor(learner, `${COURSE}/quiz`);
    expect(quiz.status).toBe(200);
    expect(quiz.queries.length, quiz.queries.join("\n")).toBeLessThanOrEqual(8);
  });

  it("checks a session with one statement, looked up by its key", async () => {
    const learner = new Client(server.url);
    expect((await learner.login("hocvien@p1.vn", PASSWORD)).status).toBe(302);
    const page = await queriesFor(learner, "/me/password");
    expect(page.status).toBe(200);
    expect(page.queries, page.queries.join("\n")).toHaveLength(1);
    expect(page.queries[0]).toMatch(/FROM "Session"/);
    expect(page.queries[0]).toMatch(/WHERE\s+"?s"?\."id"\s*=|WHERE\s+"Session"\."id"\s*=/);
  });
});

