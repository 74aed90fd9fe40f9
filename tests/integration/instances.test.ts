// Two app instances on one database, as behind a load balancer: no request depends on which
// instance served the one before it (sessions, quiz attempts, rate limits live in the database).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { answerKey } from "../support/quiz";
import { startServer, type RunningServer } from "../support/server";

let servers: RunningServer[] = [];
let world: Awaited<ReturnType<typeof twoProvinces>>;
const COURSE = "/courses/khoa-thu";

beforeAll(async () => {
  world = await twoProvinces();
  const { problems } = await syncContent("tests/fixtures/content");
  expect(problems).toEqual([]);
  servers = await Promise.all([0, 1].map(() => startServer({ DATABASE_URL: process.env.DATABASE_URL! })));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  servers = [];
});

/** The same browser session, each request sent to the instance named by `on`. */
function balanced(client: Client) {
  return (on: 0 | 1) => {
    client.moveTo(servers[on].url);
    return client;
  };
}

describe("several instances on one database", () => {
  it("carry one learner's session, lessons and quiz attempt from instance to instance", async () => {
    const at = balanced(new Client(servers[0].url));
    expect((await at(0).login("hocvien@p1.vn", PASSWORD)).status).toBe(302);
    const home = await at(1).get("/me");
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Người dùng hocvien");

    expect((await at(1).post(COURSE, {})).status).toBe(302);
    expect((await at(0).post(`${COURSE}/bai-mot`, {})).status).toBe(302);
    expect((await at(1).post(`${COURSE}/bai-hai`, {})).status).toBe(302);
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: world.users.learner.id }, include: { completions: true } });
    expect(enrollment.completions).toHaveLength(2);

    expect((await at(0).post(`${COURSE}/quiz`, { intent: "start" })).status).toBe(302);
    const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollmentId: enrollment.id, status: "open" } });
    const key = await answerKey(attempt.id);
    // Saved on one instance, shown checked by the other.
    const first = key[0];
    const save = await at(1).postEntries(`${COURSE}/quiz`, [["intent", "save"], ["attemptId", String(attempt.id)], ...first.correct.map((id): [string, string] => [`q${first.position}`, id])]);
    expect(save.status).toBe(200);
    expect(await (await at(0).get(`${COURSE}/quiz`)).text()).toMatch(new RegExp(`<input[^>]*name="q${first.position}"[^>]*checked=""[^>]*value="${first.correct[0]}"`));

    // The same submission reaches both instances at once (a double click through the balancer):
    // it is graded once, and the course is completed with one certificate.
    const entries: [string, string][] = [["intent", "submit"], ["attemptId", String(attempt.id)]];
    for (const q of key) for (const id of q.correct) entries.push([`q${q.position}`, id]);
    const learner = at(0);
    const submits = await Promise.all(servers.map((s) => learner.postEntries(`${COURSE}/quiz`, entries, s.url)));
    expect(submits.map((r) => r.status)).toEqual([302, 302]);
    expect(await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({ status: "submitted", score: 100, passed: true });
    expect(await db.auditEvent.count({ where: { action: "quiz.submit", targetId: String(attempt.id) } })).toBe(1);
    expect(await db.certificate.count({ where: { enrollmentId: enrollment.id } })).toBe(1);

    // Signing out on one instance ends the session on every instance.
    const cookie = at(1).cookieHeader();
    expect((await at(1).post("/logout", {})).status).toBe(302);
    const after = await fetch(`${servers[0].url}/me`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login/);
  });

  it("count rate limits across instances", async () => {
    // Public look-ups: 30 per address per minute, wherever they land.
    const lookups: number[] = [];
    for (let i = 0; i < 31; i++) lookups.push((await fetch(`${servers[i % 2].url}/verify/KNS-0000-0000-0000`)).status);
    expect(lookups.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(lookups[30]).toBe(429);
    expect(await (await fetch(`${servers[0].url}/verify/KNS-0000-0000-0001`)).text()).toContain("Bạn đã tra cứu quá nhiều lần");

    // Wrong passwords for one account: 5 per 15 minutes in all, then even the right one waits.
    const guesser = balanced(new Client(servers[0].url));
    for (let i = 0; i < 5; i++) expect((await guesser((i % 2) as 0 | 1).login("hocvien@p2.vn", "sai-mat-khau")).status).toBe(401);
    const sixth = await guesser(1).login("hocvien@p2.vn", "sai-mat-khau");
    expect(sixth.status).toBe(429);
    expect(await sixth.text()).toContain("Bạn đã thử đăng nhập quá nhiều lần.");
    expect((await guesser(0).login("hocvien@p2.vn", PASSWORD)).status).toBe(429);
    expect(await db.session.count({ where: { userId: world.users.otherLearner.id } })).toBe(0);
  });
});
