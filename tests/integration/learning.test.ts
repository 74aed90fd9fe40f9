// Enrolment, progress and server-graded quizzes through the real server.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/services/db.server";
import { syncContent } from "~/services/content.server";
import type { Choice } from "~/utils/course";
import { PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;
const COURSE = "/courses/khoa-thu";

beforeAll(async () => {
  world = await twoProvinces();
  const { problems } = await syncContent("tests/fixtures/content");
  expect(problems).toEqual([]);
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

async function signedIn(email: string) {
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return client;
}

/** The attempt's questions with their correct choice ids, read from the database. */
async function answerKey(attemptId: number) {
  const rows = await db.attemptQuestion.findMany({ where: { attemptId }, include: { question: true }, orderBy: { position: "asc" } });
  return rows.map((r) => ({
    position: r.position,
    correct: (JSON.parse(r.question.choices) as Choice[]).filter((c) => c.correct).map((c) => c.id),
    wrong: (JSON.parse(r.question.choices) as Choice[]).filter((c) => !c.correct).map((c) => c.id),
  }));
}


async function postEntries(client: Client, path: string, entries: [string, string][]) {
  const body = new URLSearchParams(entries);
  return fetch(server.url + path, {
    method: "POST",
    body,
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: client.cookieHeader(), Origin: server.url },
    redirect: "manual",
  });
}

describe("catalogue and lessons", () => {
  it("lists published courses only and hides drafts", async () => {
    await db.course.create({ data: { slug: "ban-nhap", title: "Bản nháp bí mật", category: "other" } });
    const learner = await signedIn("hocvien@p1.vn");
    const html = await (await learner.get("/courses")).text();
    expect(html).toContain("Khoá học thử nghiệm");
    expect(html).not.toContain("Bản nháp bí mật");
    expect((await learner.get("/courses/ban-nhap")).status).toBe(404);
    expect((await learner.get(`${COURSE}/khong-co-bai-nay`)).status).toBe(404);
    const search = await (await learner.get("/courses?q=kh%C3%B4ng%20c%C3%B3&category=security")).text();
    expect(search).toContain("Không có khoá học nào phù hợp.");
  });

  it("enrols, opens lessons in order, marks them done without JavaScript and resumes", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    const locked = await (await learner.get(`${COURSE}/bai-hai`)).text();
    expect(locked).toContain("Bài học chưa mở");
    expect(locked).not.toContain("Ứng dụng định danh điện tử quốc gia");
    expect((await learner.post(`${COURSE}/bai-hai`, {})).status).toBe(403);

    const enrol = await learner.post(COURSE, {});
    expect(enrol.headers.get("location")).toBe(`${COURSE}/bai-mot`);
    const lesson = await (await learner.get(`${COURSE}/bai-mot`)).text();
    expect(lesson).toContain("Luôn đăng xuất khi dùng máy tính chung.");
    expect(lesson).toContain("<aside");
    const done = await learner.post(`${COURSE}/bai-mot`, {});
    expect(done.headers.get("location")).toBe(`${COURSE}/bai-hai`);
    expect(await learner.post(`${COURSE}/bai-mot`, {}).then((r) => r.status)).toBe(302); // a double submit is harmless
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: world.users.learner.id }, include: { completions: true } });
    expect(enrollment.completions).toHaveLength(1);

    await learner.get(`${COURSE}/bai-hai`);
    // Another device: the overview offers to resume at the last lesson.
    const other = await signedIn("hocvien@p1.vn");
    const overview = await (await other.get(COURSE)).text();
    expect(overview).toContain("Học tiếp: Bài hai");
  });
});

describe("quiz", () => {
  it("never sends answers or explanations before submission, saves as it goes and grades once", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    const responses: string[] = [];
    const start = await learner.post(`${COURSE}/quiz`, { intent: "start" });
    expect(start.status).toBe(302);
    const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollment: { userId: world.users.learner.id }, status: "open" } });
    // A second start while one is open returns the same attempt.
    await learner.post(`${COURSE}/quiz`, { intent: "start" });
    expect(await db.quizAttempt.count({ where: { enrollment: { userId: world.users.learner.id } } })).toBe(1);

    for (const path of [`${COURSE}/quiz`, `${COURSE}/quiz.data`, `${COURSE}/quiz?_data=routes%2Fcourses.%24course.quiz`]) {
      const res = await learner.get(path);
      responses.push(await res.text());
    }
    const key = await answerKey(attempt.id);
    expect(key).toHaveLength(3);
    const first = key[0];
    const save = await postEntries(learner, `${COURSE}/quiz`, [["intent", "save"], ["attemptId", String(attempt.id)], ...first.correct.map((id) => [`q${first.position}`, id] as [string, string])]);
    expect(save.status).toBe(200);
    responses.push(await save.text());
    for (const body of responses) {
      expect(body).not.toMatch(/GIAITHICH/);
      expect(body).not.toMatch(/"correct"\s*:/);
      expect(body).not.toMatch(/isAnswer/);
    }
    // The saved answer survives a reload (another request) and a server restart.
    await server.stop();
    server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
    learner.moveTo(server.url);
    const again = await (await learner.get(`${COURSE}/quiz`)).text();
    expect(again).toMatch(new RegExp(`<input[^>]*name="q${first.position}"[^>]*checked=""[^>]*value="${first.correct[0]}"`));

    // Bad input: a question not in the attempt, a forged choice: refused, audited, nothing changes.
    const foreign = await postEntries(learner, `${COURSE}/quiz`, [["intent", "save"], ["attemptId", String(attempt.id)], ["q99", "a"]]);
    expect(foreign.status).toBe(409);
    expect(await foreign.text()).toContain("Câu hỏi không thuộc lần làm bài này.");
    const forged = await postEntries(learner, `${COURSE}/quiz`, [["intent", "save"], ["attemptId", String(attempt.id)], [`q${key[1].position}`, "zzz"]]);
    expect(forged.status).toBe(409);
    expect(await db.attemptQuestion.findFirstOrThrow({ where: { attemptId: attempt.id, position: key[1].position } }).then((q) => q.answer)).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "quiz.refused", actorId: world.users.learner.id } })).toBeGreaterThanOrEqual(2);

    // Another learner cannot touch this attempt.
    const intruder = await signedIn("nhansu@p1.vn");
    await intruder.post(COURSE, {});
    const stolen = await postEntries(intruder, `${COURSE}/quiz`, [["intent", "submit"], ["attemptId", String(attempt.id)]]);
    expect(stolen.status).toBe(409);
    expect((await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).status).toBe("open");

    // Submit all correct answers twice at once: exactly one graded result.
    const entries: [string, string][] = [["intent", "submit"], ["attemptId", String(attempt.id)]];
    for (const q of key) for (const id of q.correct) entries.push([`q${q.position}`, id]);
    const [a, b] = await Promise.all([postEntries(learner, `${COURSE}/quiz`, entries), postEntries(learner, `${COURSE}/quiz`, entries)]);
    expect([a.status, b.status]).toEqual([302, 302]);
    const graded = await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } });
    expect(graded).toMatchObject({ status: "submitted", score: 100, passed: true, correctCount: 3 });
    expect(await db.auditEvent.count({ where: { action: "quiz.submit", targetId: String(attempt.id) } })).toBe(1);

    const review = await (await learner.get(a.headers.get("location")!)).text();
    expect(review).toContain("Điểm: 100%");
    expect(review).toContain("GIAITHICH");
    // Saving after submission is refused.
    const late = await postEntries(learner, `${COURSE}/quiz`, [["intent", "save"], ["attemptId", String(attempt.id)], [`q${first.position}`, first.wrong[0]]]);
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("Lần làm bài này đã đóng");
  });

  it("records completion when the last lesson is done after passing", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: world.users.learner.id } });
    expect(enrollment.completedAt).toBeNull();
    await learner.post(`${COURSE}/bai-hai`, {});
    const completed = await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } });
    expect(completed.completedAt).not.toBeNull();
    const me = await (await learner.get("/me")).text();
    expect(me).toContain("Hoàn thành");
  });

  it("closes a timed attempt by the server's clock and grades what was saved", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: world.users.hr.id } });
    await hr.post(`${COURSE}/quiz`, { intent: "start" });
    const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollmentId: enrollment.id, status: "open" } });
    const key = await answerKey(attempt.id);
    await postEntries(hr, `${COURSE}/quiz`, [["intent", "save"], ["attemptId", String(attempt.id)], ...key[0].correct.map((id) => [`q${key[0].position}`, id] as [string, string])]);
    // The time limit ran out a minute ago (well past the grace period).
    await db.quizAttempt.update({ where: { id: attempt.id }, data: { deadlineAt: new Date(Date.now() - 60_000) } });
    const late = await postEntries(hr, `${COURSE}/quiz`, [["intent", "save"], ["attemptId", String(attempt.id)], [`q${key[1].position}`, key[1].correct[0]]]);
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("Lần làm bài này đã đóng");
    await hr.get(`${COURSE}/quiz`);
    const closed = await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } });
    expect(closed).toMatchObject({ status: "submitted", correctCount: 1, score: 33 });
  });

  it("refuses a new attempt once the allowed number is used", async () => {
    await db.course.update({ where: { slug: "khoa-thu" }, data: { maxAttempts: 1 } });
    const { publishCourse } = await import("~/services/content.server");
    const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
    expect(await publishCourse(course.id, null)).toMatchObject({ ok: true, created: true, number: 2 });
    const learner = await signedIn("hocvien@p1.vn");
    const res = await learner.post(`${COURSE}/quiz`, { intent: "start" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("đã dùng hết số lần làm bài");
    // Progress is kept across the new version: lessons are identified by their stable id.
    expect(await (await learner.get(COURSE)).text()).toContain("Đã hoàn thành khoá học");
  });
});

describe("catalogue search", () => {
  it("ignores case and Vietnamese diacritics and searches the English title and summary too", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "kns-catalogue-"));
    try {
      const dir = path.join(root, "an-toan-thong-tin-thu");
      fs.cpSync("tests/fixtures/content/courses/khoa-thu", dir, { recursive: true });
      const courseFile = path.join(dir, "course.md");
      const text = fs.readFileSync(courseFile, "utf8");
      fs.writeFileSync(
        courseFile,
        text
          .replace('title: "Khoá học thử nghiệm"', 'title: "An toàn thông tin khi làm việc"')
          .replace('titleEn: "Test course"', 'titleEn: "Information security at work"')
          .replace('summary: "Khoá học nhỏ dùng trong kiểm thử."', 'summary: "Mật khẩu, thư lừa đảo và sao lưu dữ liệu."')
          .replace('summaryEn: "A small course for tests."', 'summaryEn: "Passwords, phishing and backups."')
          .replace("category: other", "category: security"),
      );
      const { problems } = await syncContent(root);
      expect(problems).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
    const learner = await signedIn("hocvien@p1.vn");
    const found = async (query: string) => {
      const html = await (await learner.get(`/courses?${new URLSearchParams({ q: query })}`)).text();
      return ["An toàn thông tin khi làm việc", "Khoá học thử nghiệm"].filter((title) => html.includes(title));
    };
    expect(await found("an toan")).toEqual(["An toàn thông tin khi làm việc"]);
    expect(await found("AN TOÀN")).toEqual(["An toàn thông tin khi làm việc"]);
    expect(await found("thông tin   an")).toEqual(["An toàn thông tin khi làm việc"]);
    expect(await found("lua dao")).toEqual(["An toàn thông tin khi làm việc"]);
    expect(await found("PHISHING")).toEqual(["An toàn thông tin khi làm việc"]);
    expect(await found("security at work")).toEqual(["An toàn thông tin khi làm việc"]);
    expect(await found("khoa hoc thu")).toEqual(["Khoá học thử nghiệm"]);
    expect(await found("small course")).toEqual(["Khoá học thử nghiệm"]);
    expect(await found("")).toEqual(["An toàn thông tin khi làm việc", "Khoá học thử nghiệm"]);
    expect(await found("ngân hàng")).toEqual([]);
    const wrongCategory = await (await learner.get("/courses?q=an+toan&category=payment")).text();
    expect(wrongCategory).toContain("Không có khoá học nào phù hợp.");
  });
});
