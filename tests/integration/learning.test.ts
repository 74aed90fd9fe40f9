// Enrolment, progress and server-graded quizzes through the real server.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/platform/db.server";
import { publishCourse, syncContent } from "~/content/content-sync.server";
import { startAttempt } from "~/learning/quiz.server";
import { getPublishedCourse } from "~/content/catalog.data.server";
import type { Choice } from "~/utils/course";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client, signedInClient } from "../support/http";
import { answerKey } from "../support/quiz";
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

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

/** How many refusals with this code the audit log holds for this person. */
async function refusals(actorId: number, code: string) {
  const events = await db.auditEvent.findMany({ where: { action: "quiz.refused", outcome: "denied", actorId }, select: { detail: true } });
  return events.filter((e) => (JSON.parse(e.detail) as { code: string }).code === code).length;
}

/** Form fields answering every question of an attempt, right or (with `wrong`) wrong. */
function answerEntries(intent: string, attemptId: number, key: Awaited<ReturnType<typeof answerKey>>, wrong: number[] = []): [string, string][] {
  const entries: [string, string][] = [["intent", intent], ["attemptId", String(attemptId)]];
  for (const q of key) {
    for (const id of wrong.includes(q.position) ? q.wrong.slice(0, 1) : q.correct) entries.push([`q${q.position}`, id]);
  }
  return entries;
}

/** A new learner of the first province, signed in. */
async function newLearner(email: string) {
  const user = await createUser(email, world.units.a1);
  return { user, client: await signedIn(email) };
}

/** Enrols and finishes both lessons, so that passing the quiz completes the course. */
async function finishLessons(client: Client) {
  expect((await client.post(COURSE, {})).status).toBe(302);
  for (const lesson of ["bai-mot", "bai-hai"]) expect((await client.post(`${COURSE}/${lesson}`, {})).status).toBe(302);
}

async function startedAttempt(client: Client, userId: number) {
  expect((await client.post(`${COURSE}/quiz`, { intent: "start" })).status).toBe(302);
  return db.quizAttempt.findFirstOrThrow({ where: { enrollment: { userId }, status: "open" } });
}

/** Publishes the course again with these settings (unchanged ones as the fixture has them). */
async function republish(settings: { maxAttempts?: number; retryWaitMinutes?: number; reviewPolicy?: string }) {
  const course = await db.course.update({ where: { slug: "khoa-thu" }, data: { maxAttempts: 0, retryWaitMinutes: 0, reviewPolicy: "explain", ...settings } });
  expect(await publishCourse(course.id, null)).toMatchObject({ ok: true });
}

/** A form posted to the server as it is now (tests restart it on a new port). */
const postEntries = (client: Client, path: string, entries: [string, string][]) => client.postEntries(path, entries, server.url);

describe("catalogue and lessons", () => {
  it("lists published courses only and hides drafts", async () => {
    await db.course.create({ data: { slug: "ban-nhap", title: "Bản nháp bí mật", category: "other" } });
    const learner = await signedIn("hocvien@p1.vn");
    const html = await (await learner.get("/courses")).text();
    expect(html).toContain("Khóa học thử nghiệm");
    expect(html).not.toContain("Bản nháp bí mật");
    expect((await learner.get("/courses/ban-nhap")).status).toBe(404);
    expect((await learner.get(`${COURSE}/khong-co-bai-nay`)).status).toBe(404);
    const search = await (await learner.get("/courses?q=kh%C3%B4ng%20c%C3%B3&category=security")).text();
    expect(search).toContain("Không có khóa học nào phù hợp.");
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

  it("sends a lesson's body once in its page, and in the data a link fetches", async () => {
    const { client } = await newLearner("doc-bai@p1.vn");
    expect((await client.post(COURSE, {})).status).toBe(302);
    const sentence = "Luôn đăng xuất khi dùng máy tính chung.";
    const page = await (await client.get(`${COURSE}/bai-mot`)).text();
    expect(page.split(sentence)).toHaveLength(2);
    expect(page.split("kns-lesson-body")).toHaveLength(2); // the element only: a plain page carries no data
    const data = await client.get(`${COURSE}/bai-mot.data`);
    expect(data.status).toBe(200);
    expect(await data.text()).toContain(sentence);
    // The course overview's introduction travels the same way.
    const intro = "Giới thiệu <strong>ngắn</strong> về khóa học.";
    expect((await (await client.get(COURSE)).text()).split(intro)).toHaveLength(2);
    expect(await (await client.get(`${COURSE}.data`)).text()).toContain(intro);
  });

  it("sends a lesson opened on its own as plain HTML, without scripts or hydration data, while the app still gets its data", async () => {
    const { client } = await newLearner("thuan-html@p1.vn");
    expect((await client.post(COURSE, {})).status).toBe(302);
    const page = await (await client.get(`${COURSE}/bai-mot`)).text();
    expect(page).toContain("Bài một");
    expect(page).not.toMatch(/<script\b|__remixContext|modulepreload/);
    // "Mark as done" is a plain form, and the running app still reads the lesson as data.
    expect(page).toMatch(/<form method="post"/);
    expect((await client.get(`${COURSE}/bai-mot.data`)).status).toBe(200);
  });

  it("renders a page in one pass, its data for the browser in one script before the stream's end", async () => {
    const { client } = await newLearner("mot-luot@p1.vn");
    expect((await client.post(COURSE, {})).status).toBe(302);
    const page = await (await client.get(COURSE)).text();
    const enqueued = page.split("window.__remixContext.streamController.enqueue(");
    expect(enqueued).toHaveLength(2);
    const [data, afterData] = enqueued[1].split("window.__remixContext.streamController.close();");
    expect(afterData).toBeDefined();
    // The course's title is loader data: it reached the browser's copy of the data.
    expect(JSON.parse(JSON.parse(data.slice(0, data.indexOf(");</script>"))))).toContain("Khóa học thử nghiệm");
    // Nothing was left to stream: no fallback swapped in later by React's inline scripts.
    expect(page).not.toMatch(/\$RC|<template/);
  });
});

describe("quiz", () => {
  it("never sends answers or explanations before submission, saves as it goes and grades once", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    const responses: string[] = [];
    const start = await learner.post(`${COURSE}/quiz`, { intent: "start" });
    expect(start.status).toBe(302);
    const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollment: { userId: world.users.learner.id }, status: "open" } });
    // A second start while one is open (a stale tab) is refused, says how to continue, and is audited.
    const second = await learner.post(`${COURSE}/quiz`, { intent: "start" });
    expect(second.status).toBe(409);
    const secondPage = await second.text();
    expect(secondPage).toContain("Bạn đang có một lượt làm bài chưa nộp");
    expect(secondPage).toContain('href="#attempt"');
    expect(secondPage).toContain('id="attempt"');
    expect(await db.quizAttempt.count({ where: { enrollment: { userId: world.users.learner.id } } })).toBe(1);
    expect(await refusals(world.users.learner.id, "attemptOpen")).toBe(1);

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
    // A second device (another session of the same learner) sees the saved answer.
    const phone = await signedIn("hocvien@p1.vn");
    expect(await (await phone.get(`${COURSE}/quiz`)).text()).toMatch(new RegExp(`<input[^>]*name="q${first.position}"[^>]*checked=""[^>]*value="${first.correct[0]}"`));
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
    expect(await refusals(world.users.learner.id, "notInAttempt")).toBe(1);
    expect(await refusals(world.users.learner.id, "badChoice")).toBe(1);
    // A form without its attempt id.
    const missing = await postEntries(learner, `${COURSE}/quiz`, [["intent", "submit"], [`q${first.position}`, first.correct[0]]]);
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("Thiếu mã lần làm bài");
    expect(await refusals(world.users.learner.id, "missingAttempt")).toBe(1);
    const unknown = await postEntries(learner, `${COURSE}/quiz`, [["intent", "xoa-het"], ["attemptId", String(attempt.id)]]);
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("Thao tác không hợp lệ.");
    expect(await refusals(world.users.learner.id, "unknownIntent")).toBe(1);

    // Another learner cannot touch this attempt.
    const intruder = await signedIn("nhansu@p1.vn");
    await intruder.post(COURSE, {});
    const stolen = await postEntries(intruder, `${COURSE}/quiz`, [["intent", "submit"], ["attemptId", String(attempt.id)]]);
    expect(stolen.status).toBe(404);
    expect(await stolen.text()).toContain("Không tìm thấy lần làm bài này trong tài khoản của bạn.");
    expect((await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).status).toBe("open");
    expect(await refusals(world.users.hr.id, "notYourAttempt")).toBe(1);

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
    expect(await refusals(world.users.learner.id, "attemptClosed")).toBe(1);
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
    const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
    expect(await publishCourse(course.id, null)).toMatchObject({ ok: true, created: true, number: 2 });
    const learner = await signedIn("hocvien@p1.vn");
    const res = await learner.post(`${COURSE}/quiz`, { intent: "start" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("đã dùng hết số lần làm bài");
    // Progress is kept across the new version: lessons are identified by their stable id.
    expect(await (await learner.get(COURSE)).text()).toContain("Đã hoàn thành khóa học");
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
          .replace('title: "Khóa học thử nghiệm"', 'title: "An toàn thông tin khi làm việc"')
          .replace('titleEn: "Test course"', 'titleEn: "Information security at work"')
          .replace('summary: "Khóa học nhỏ dùng trong kiểm thử."', 'summary: "Mật khẩu, thư lừa đảo và sao lưu dữ liệu."')
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
      return ["An toàn thông tin khi làm việc", "Khóa học thử nghiệm"].filter((title) => html.includes(title));
    };
    expect(await found("an toan")).toEqual(["An toàn thông tin khi làm việc"]);
    expect(await found("AN TOÀN")).toEqual(["An toàn thông tin khi làm việc"]);
    expect(await found("thông tin   an")).toEqual(["An toàn thông tin khi làm việc"]);
    expect(await found("lua dao")).toEqual(["An toàn thông tin khi làm việc"]);
    expect(await found("PHISHING")).toEqual(["An toàn thông tin khi làm việc"]);
    expect(await found("security at work")).toEqual(["An toàn thông tin khi làm việc"]);
    expect(await found("khoa hoc thu")).toEqual(["Khóa học thử nghiệm"]);
    expect(await found("small course")).toEqual(["Khóa học thử nghiệm"]);
    expect(await found("")).toEqual(["An toàn thông tin khi làm việc", "Khóa học thử nghiệm"]);
    expect(await found("ngân hàng")).toEqual([]);
    const wrongCategory = await (await learner.get("/courses?q=an+toan&category=payment")).text();
    expect(wrongCategory).toContain("Không có khóa học nào phù hợp.");
  });
});

describe("quiz rules, closing by the clock and review", () => {
  it("closes a timed attempt that passes like a submitted one: completion recorded, certificate issued", async () => {
    const { user, client } = await newLearner("dongho@p1.vn");
    await finishLessons(client);
    const attempt = await startedAttempt(client, user.id);
    const key = await answerKey(attempt.id);
    expect((await postEntries(client, `${COURSE}/quiz`, answerEntries("save", attempt.id, key))).status).toBe(200);
    await db.quizAttempt.update({ where: { id: attempt.id }, data: { deadlineAt: new Date(Date.now() - 60_000) } });
    // Nobody submits: the next visit finds the time up and closes the attempt.
    expect((await client.get(`${COURSE}/quiz`)).status).toBe(200);
    expect(await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({ status: "submitted", score: 100, passed: true });
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: user.id } });
    expect(enrollment.completedAt).not.toBeNull();
    expect(await db.certificate.count({ where: { enrollmentId: enrollment.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "course.complete", targetId: String(enrollment.id) } })).toBe(1);
    // Had the process died between grading and recording the completion, the next visit records it.
    await db.certificate.deleteMany({ where: { enrollmentId: enrollment.id } });
    await db.enrollment.update({ where: { id: enrollment.id }, data: { completedAt: null } });
    expect((await client.get(`${COURSE}/quiz`)).status).toBe(200);
    expect((await db.enrollment.findUniqueOrThrow({ where: { id: enrollment.id } })).completedAt).not.toBeNull();
    expect(await db.certificate.count({ where: { enrollmentId: enrollment.id } })).toBe(1);
  });

  it("refuses answers sent after the time limit, grades what was saved in time and completes the course", async () => {
    const { user, client } = await newLearner("hethoigian@p1.vn");
    await finishLessons(client);
    const attempt = await startedAttempt(client, user.id);
    const key = await answerKey(attempt.id);
    expect((await postEntries(client, `${COURSE}/quiz`, answerEntries("save", attempt.id, key))).status).toBe(200);
    await db.quizAttempt.update({ where: { id: attempt.id }, data: { deadlineAt: new Date(Date.now() - 60_000) } });
    const late = await postEntries(client, `${COURSE}/quiz`, answerEntries("submit", attempt.id, key, key.map((q) => q.position)));
    expect(late.status).toBe(409);
    const page = await late.text();
    expect(page).toContain("Đã hết thời gian làm bài");
    expect(page).toContain(`?attempt=${attempt.id}`);
    expect(await refusals(user.id, "timeUp")).toBe(1);
    // Graded on the answers saved in time (all right), not the late wrong ones.
    expect(await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({ status: "submitted", score: 100, passed: true });
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: user.id } });
    expect(enrollment.completedAt).not.toBeNull();
    expect(await db.certificate.count({ where: { enrollmentId: enrollment.id } })).toBe(1);
  });

  it("grades exactly the stored answers when saves race the submit", async () => {
    const { user, client } = await newLearner("dua@p1.vn");
    expect((await client.post(COURSE, {})).status).toBe(302);
    const attempt = await startedAttempt(client, user.id);
    const key = await answerKey(attempt.id);
    const saves = key.flatMap((q) => [q.wrong[0], q.correct[0]].map((id) => postEntries(client, `${COURSE}/quiz`, [["intent", "save"], ["attemptId", String(attempt.id)], [`q${q.position}`, id]])));
    const responses = await Promise.all([postEntries(client, `${COURSE}/quiz`, answerEntries("submit", attempt.id, key)), ...saves]);
    expect(responses[0].status).toBe(302);
    // Each racing save either landed before grading (200) or found the attempt closed (409).
    for (const r of responses.slice(1)) expect([200, 409]).toContain(r.status);
    const graded = await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id }, include: { questions: { include: { question: true } } } });
    const recomputed = graded.questions.map((q) => {
      const right = (JSON.parse(q.question.choices) as Choice[]).filter((c) => c.correct).map((c) => c.id).sort();
      const given = q.answer ? (JSON.parse(q.answer) as string[]).sort() : [];
      return JSON.stringify(right) === JSON.stringify(given);
    });
    expect(graded.questions.map((q) => q.correct)).toEqual(recomputed);
    const correct = recomputed.filter(Boolean).length;
    expect(graded).toMatchObject({ status: "submitted", correctCount: correct, score: Math.round((100 * correct) / key.length) });
  });

  it("makes the learner wait between attempts as the course says", async () => {
    await republish({ retryWaitMinutes: 30 });
    const { user, client } = await newLearner("chodoi@p1.vn");
    expect((await client.post(COURSE, {})).status).toBe(302);
    const attempt = await startedAttempt(client, user.id);
    expect((await client.post(`${COURSE}/quiz`, { intent: "submit", attemptId: String(attempt.id), confirmBlank: "1" })).status).toBe(302);
    const early = await client.post(`${COURSE}/quiz`, { intent: "start" });
    expect(early.status).toBe(409);
    expect(await early.text()).toContain("Bạn cần chờ thêm 30 phút trước khi làm lại.");
    expect(await refusals(user.id, "waitBeforeRetry")).toBe(1);
    expect(await db.quizAttempt.count({ where: { enrollment: { userId: user.id } } })).toBe(1);
    // Once the time has passed, a new attempt starts.
    await db.quizAttempt.update({ where: { id: attempt.id }, data: { submittedAt: new Date(Date.now() - 31 * 60_000) } });
    expect((await client.post(`${COURSE}/quiz`, { intent: "start" })).status).toBe(302);
    expect(await db.quizAttempt.count({ where: { enrollment: { userId: user.id } } })).toBe(2);
  });

  it("saves a cleared answer as empty for every question type, and names the blank questions before grading them", async () => {
    await republish({});
    const { user, client } = await newLearner("xoadapan@p1.vn");
    expect((await client.post(COURSE, {})).status).toBe(302);
    const attempt = await startedAttempt(client, user.id);
    const key = await answerKey(attempt.id);
    const asked = key.map((q) => ["asked", String(q.position)] as [string, string]);
    const answered = await postEntries(client, `${COURSE}/quiz`, [["intent", "save"], ["attemptId", String(attempt.id)], ...asked, ...key.flatMap((q) => q.correct.map((id) => [`q${q.position}`, id] as [string, string]))]);
    expect(answered.status).toBe(200);
    expect((await db.attemptQuestion.findMany({ where: { attemptId: attempt.id } })).every((q) => q.answer !== "[]")).toBe(true);
    // Every tick and radio cleared: the form then sends no q<n> field at all, only which questions it showed.
    const cleared = await postEntries(client, `${COURSE}/quiz`, [["intent", "save"], ["attemptId", String(attempt.id)], ...asked]);
    expect(cleared.status).toBe(200);
    expect((await db.attemptQuestion.findMany({ where: { attemptId: attempt.id } })).map((q) => q.answer)).toEqual(key.map(() => "[]"));

    // Submitting with blanks names them and grades nothing; confirming grades them as wrong.
    const first = key[0];
    const warned = await postEntries(client, `${COURSE}/quiz`, [["intent", "submit"], ["attemptId", String(attempt.id)], ...asked, ...first.correct.map((id) => [`q${first.position}`, id] as [string, string])]);
    expect(warned.status).toBe(200);
    const page = await warned.text();
    expect(page).toContain(`Bạn còn ${key.length - 1} câu chưa trả lời`);
    for (const q of key.slice(1)) expect(page).toContain(`href="#q${q.position}"`);
    expect(page).toContain("Vẫn nộp bài");
    expect((await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).status).toBe("open");
    // What was sent with the warned submit is kept.
    expect((await db.attemptQuestion.findFirstOrThrow({ where: { attemptId: attempt.id, position: first.position } })).answer).toBe(JSON.stringify([...first.correct].sort()));
    const confirmed = await postEntries(client, `${COURSE}/quiz`, [["intent", "submit"], ["attemptId", String(attempt.id)], ["confirmBlank", "1"]]);
    expect(confirmed.status).toBe(302);
    expect(await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({ status: "submitted", correctCount: 1 });
  });

  it("by default marks a failed attempt's wrong questions with explanations but keeps the right choices until the learner passes", async () => {
    await republish({ reviewPolicy: "guarded" });
    const { user, client } = await newLearner("baove@p1.vn");
    await finishLessons(client);
    const failedAttempt = await startedAttempt(client, user.id);
    const key = await answerKey(failedAttempt.id);
    const failed = await postEntries(client, `${COURSE}/quiz`, answerEntries("submit", failedAttempt.id, key, key.map((q) => q.position)));
    expect(failed.status).toBe(302);
    for (const path of [failed.headers.get("location")!, `${COURSE}/quiz.data?attempt=${failedAttempt.id}`]) {
      const review = await (await client.get(path)).text();
      expect(review).toContain("GIAITHICH");
      expect(review).not.toMatch(/\(Đáp án đúng\)|"isAnswer":true|isAnswer":\s*true/);
      if (!path.includes(".data")) expect(review).toContain("Đáp án đúng sẽ hiện khi bạn đạt bài kiểm tra");
    }

    const passedAttempt = await startedAttempt(client, user.id);
    const passKey = await answerKey(passedAttempt.id);
    const passed = await postEntries(client, `${COURSE}/quiz`, answerEntries("submit", passedAttempt.id, passKey));
    const passedPage = await (await client.get(passed.headers.get("location")!)).text();
    expect(passedPage).toContain("(Đáp án đúng)");
    // One tap from the result, and from the course page, to the certificate.
    const certificate = await db.certificate.findFirstOrThrow({ where: { userId: user.id } });
    const { groupCode } = await import("~/utils/certificates");
    const pdf = `/me/certificates/${groupCode(certificate.code)}/pdf`;
    expect(passedPage).toContain(`href="${pdf}"`);
    expect(passedPage).toContain("Tải Giấy chứng nhận (PDF)");
    expect(passedPage).not.toContain("Số lần làm còn lại");
    expect(await (await client.get(COURSE)).text()).toContain(`href="${pdf}"`);
    expect((await client.get(pdf)).status).toBe(200);
    // Now that they passed, the failed attempt's review shows the right choices too.
    expect(await (await client.get(failed.headers.get("location")!)).text()).toContain("(Đáp án đúng)");
  });

  it("shows only the score under the score-only review policy", async () => {
    await republish({ reviewPolicy: "score" });
    const { user, client } = await newLearner("chidiem@p1.vn");
    expect((await client.post(COURSE, {})).status).toBe(302);
    const attempt = await startedAttempt(client, user.id);
    const key = await answerKey(attempt.id);
    const submitted = await postEntries(client, `${COURSE}/quiz`, answerEntries("submit", attempt.id, key, [key[0].position]));
    expect(submitted.status).toBe(302);
    for (const path of [submitted.headers.get("location")!, `${COURSE}/quiz.data?attempt=${attempt.id}`]) {
      const review = await (await client.get(path)).text();
      expect(review).toContain(path.includes(".data") ? "67" : "Điểm: 67%");
      expect(review).not.toMatch(/GIAITHICH|Đáp án đúng|Bạn chọn|isAnswer|"correct"/);
      for (const prompt of ["Câu hỏi một?", "Câu hỏi hai?", "Câu hỏi ba?", "Câu hỏi bốn?"]) expect(review).not.toContain(prompt);
    }
  });

  it("refuses self-enrolment where the course is for assigned staff only, with a message, and audits it", async () => {
    await db.course.update({ where: { slug: "khoa-thu" }, data: { selfEnroll: false } });
    const { user, client } = await newLearner("khongtudangky@p1.vn");
    for (const path of [COURSE, `${COURSE}/bai-mot`]) {
      const res = await client.post(path, {});
      expect([path, res.status]).toEqual([path, 403]);
      expect(await res.text()).toContain("Bạn không thể tự đăng ký: khóa học này chỉ dành cho người được giao.");
    }
    const quiz = await client.post(`${COURSE}/quiz`, { intent: "start" });
    expect(quiz.status).toBe(403);
    expect(await quiz.text()).toContain("Bạn chưa đăng ký khóa học này.");
    expect(await db.enrollment.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "course.enroll", outcome: "denied", actorId: user.id } })).toBe(2);
    expect(await refusals(user.id, "notEnrolled")).toBe(1);
    await db.course.update({ where: { slug: "khoa-thu" }, data: { selfEnroll: true } });
  });

  it("shows progress and the overdue state on /me", async () => {
    const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
    const lesson = await db.lesson.findFirstOrThrow({ where: { courseId: course.id, slug: "bai-mot" } });
    const late = await createUser("trehan@p1.vn", world.units.a1);
    const e = await db.enrollment.create({ data: { userId: late.id, courseId: course.id, origin: "assigned", dueAt: new Date(Date.now() - 86_400_000) } });
    await db.lessonCompletion.create({ data: { enrollmentId: e.id, lessonId: lesson.id } });
    const onTime = await createUser("dunghan@p1.vn", world.units.a1);
    await db.enrollment.create({ data: { userId: onTime.id, courseId: course.id, origin: "assigned", dueAt: new Date(Date.now() + 30 * 86_400_000) } });

    const lateMe = await (await (await signedIn("trehan@p1.vn")).get("/me")).text();
    expect(lateMe).toContain("Khóa học thử nghiệm");
    expect(lateMe).toContain("Tiến độ: 33%"); // one of two lessons, quiz not passed: 1 of 3 steps
    expect(lateMe).toContain("Quá hạn");
    const onTimeMe = await (await (await signedIn("dunghan@p1.vn")).get("/me")).text();
    expect(onTimeMe).toContain("Tiến độ: 0%");
    expect(onTimeMe).not.toContain("Quá hạn");
  });

  it("draws questions and shuffles choices anew for each attempt", async () => {
    const course = (await getPublishedCourse("khoa-thu"))!;
    const bank = await db.versionQuestion.findMany({ where: { versionId: course.version.id } });
    expect(bank.length).toBeGreaterThan(course.version.quizSize);
    const drawn: string[] = [];
    for (let i = 0; i < 6; i++) {
      const user = await createUser(`ngaunhien${i}@p1.vn`, world.units.a1);
      const enrollment = await db.enrollment.create({ data: { userId: user.id, courseId: course.id } });
      const attemptId = await startAttempt({ id: enrollment.id }, course, { userId: user.id, ip: "test" });
      const questions = await db.attemptQuestion.findMany({ where: { attemptId }, orderBy: { position: "asc" }, include: { question: true } });
      expect(new Set(questions.map((q) => q.questionId)).size).toBe(course.version.quizSize);
      for (const q of questions) {
        const ids = (JSON.parse(q.question.choices) as Choice[]).map((c) => c.id).sort();
        expect([...(JSON.parse(q.choiceOrder) as string[])].sort()).toEqual(ids);
      }
      drawn.push(JSON.stringify(questions.map((q) => [q.questionId, q.choiceOrder])));
    }
    // With 24 orders of 3 questions out of 4 and their shuffled choices, six identical draws
    // would happen far less than once in a billion runs.
    expect(new Set(drawn).size).toBeGreaterThanOrEqual(2);
  });
});
