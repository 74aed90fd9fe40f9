// Question statistics (/author/<course>/quiz/stats and its CSV) through the real server, on
// attempts built so that every figure is worked out by hand below.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { createUnit, createUser, PASSWORD, twoProvinces } from "../support/factories";
import { signedInClient } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;
let versionId: number;
const PAGE = "/author/khoa-thu/quiz/stats";
const EXPORT = "/author/khoa-thu/quiz/stats/export";

// The fixture course has four questions and draws three per attempt (passing score 60):
//   q1 single (a right), q2 multiple (a and b right), q3 true/false ("false" right), q4 single (b right).
// Six graded attempts (1 = right, 0 = wrong, · = not drawn), then one still open:
//
//            q1  q2  q3  q4   marks  score  learner (unit)
//   A1        0   0   1   ·     1     33    L1 (P1C1)      failed
//   A2        1   0   1   ·     2     67    L2 (P1C1)
//   A3        1   0   1   ·     2     67    L3 (P1.SNV)
//   A4        1   0   1   ·     2     67    L4 (P1C1X, under P1C1)
//   A5        1   1   1   ·     3    100    L5 (P2C1), first attempt
//   A6        ·   1   1   0     2     67    L5 again, second attempt
//   open      1   ·   1   ·     -      -    L6 (P1C1): never counted
//
// Discrimination (Moodle): r between x = the question's mark and y = the marks of the rest of the
// attempt, over the attempts it appears in; r = (nΣxy − ΣxΣy) / √((nΣx − (Σx)²)(nΣy² − (Σy)²)).
//   q1 (A1–A5): x = 0,1,1,1,1; y = 1,1,1,1,2. n=5 Σx=4 Σy=6 Σxy=5 Σy²=8.
//       facility 4/5 = 80 %; r = (25 − 24) / √((20 − 16)(40 − 36)) = 1/4 → 25 %.
//   q2 (A1–A6): x = 0,0,0,0,1,1; y = 1,2,2,2,2,1. n=6 Σx=2 Σy=10 Σxy=3 Σy²=18.
//       facility 2/6 = 33.3 %; r = (18 − 20) / √((12 − 4)(108 − 100)) = −2/8 → −25 %: flagged negative.
//   q3: right in all six: facility 100 % (flagged too easy); x never varies, so no index.
//   q4: only in A6, wrong: facility 0 % (flagged too hard); one attempt, no index.
// Score bands: 33 → 30–39 (1), 67 → 60–69 (4), 100 → 90–100 (1); mean 401/6 = 66.8 → 67.
// Pass rate per unit (the course is the deployment's, so one level below the province): P1C1
// has L1, L2 and L4 (2 of 3 passed), P1.SNV has L3 (1 of 1); L5 is in P2, outside the P1
// trainer's units: one unnamed row.

type Mark = { key: string; answer: string[] | null; correct: boolean };
const right = (key: string): Mark => ({ key, correct: true, answer: { q1: ["a"], q2: ["a", "b"], q3: ["false"], q4: ["b"] }[key]! });
const wrong = (key: string, answer: string[] | null): Mark => ({ key, correct: false, answer });

beforeAll(async () => {
  world = await twoProvinces();
  const { problems } = await syncContent("tests/fixtures/content");
  expect(problems).toEqual([]);
  const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
  versionId = course.publishedVersionId!;
  const ids = Object.fromEntries((await db.versionQuestion.findMany({ where: { versionId } })).map((q) => [q.key, q.id]));
  const p1c1x = await createUnit("P1C1X", world.units.a1);
  const learner = (n: number, unit: { id: number }) => createUser(`hv${n}@thu.vn`, unit, [], { fullName: `Học Viên Số ${n}` });
  const l1 = await learner(1, world.units.a1);
  const l2 = await learner(2, world.units.a1);
  const l3 = await learner(3, world.units.a2);
  const l4 = await learner(4, p1c1x);
  const l5 = await learner(5, world.units.b1);
  const l6 = await learner(6, world.units.a1);

  const attempt = async (user: { id: number }, number: number, marks: Mark[], status = "submitted") => {
    const enrollment = await db.enrollment.upsert({ where: { userId_courseId_cycle: { userId: user.id, courseId: course.id, cycle: 1 } }, create: { userId: user.id, courseId: course.id }, update: {} });
    const correctCount = marks.filter((m) => m.correct).length;
    const score = Math.round((100 * correctCount) / marks.length);
    const graded = status === "submitted";
    await db.quizAttempt.create({
      data: {
        enrollmentId: enrollment.id,
        versionId,
        number,
        status,
        questionCount: marks.length,
        submittedAt: graded ? new Date() : null,
        correctCount: graded ? correctCount : null,
        score: graded ? score : null,
        passed: graded ? score >= 60 : null,
        questions: {
          create: marks.map((m, i) => ({
            position: i + 1,
            questionId: ids[m.key],
            choiceOrder: "[]",
            answer: m.answer ? JSON.stringify(m.answer) : null,
            correct: graded ? m.correct : null,
          })),
        },
      },
    });
  };
  await attempt(l1, 1, [wrong("q1", ["b"]), wrong("q2", ["a"]), right("q3")]);
  await attempt(l2, 1, [right("q1"), wrong("q2", ["a", "c"]), right("q3")]);
  await attempt(l3, 1, [right("q1"), wrong("q2", null), right("q3")]);
  await attempt(l4, 1, [right("q1"), wrong("q2", ["c"]), right("q3")]);
  await attempt(l5, 1, [right("q1"), right("q2"), right("q3")]);
  await attempt(l5, 2, [right("q2"), right("q3"), wrong("q4", ["a"])]);
  // Open: its answers would change q1's picks (c) and q3's count if they were counted.
  await attempt(l6, 1, [{ key: "q1", answer: ["c"], correct: false }, right("q3")], "open");
  // A prompt that a spreadsheet would run as a formula.
  await db.versionQuestion.update({ where: { id: ids.q4 }, data: { prompt: "=HYPERLINK(\"http://x\")" } });

  await createUser("giangvien@p2c1.vn", world.units.b1, [{ role: "trainer", unit: world.units.b1 }]);
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

/** The text of one question's card (up to the next card), tags stripped. */
function card(html: string, key: string): string {
  const start = html.indexOf(`>${key}</code>`);
  expect(start).toBeGreaterThan(0);
  const end = html.indexOf('<li class="card">', start);
  return html
    .slice(start, end > 0 ? end : undefined)
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

describe("question statistics", () => {
  it("shows facility, discrimination, picks and flags computed from graded attempts only", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    // Linked from the quiz bank.
    expect(await (await trainer.get("/author/khoa-thu/quiz")).text()).toContain(`href="${PAGE}"`);
    const response = await trainer.get(PAGE);
    expect(response.status).toBe(200);
    const html = (await response.text()).replace(/<!-- -->/g, "");

    expect(html).toContain("6 lần làm bài đã chấm, 5 lần đạt, điểm trung bình 67.");
    const q1 = card(html, "q1");
    expect(q1).toContain("5 lần làm bài");
    expect(q1).toContain("80,0%");
    expect(q1).toContain("25,0%");
    expect(q1).not.toContain("Phân loại âm");
    // Picks: a 4, b 1, c 0 (the open attempt's c is not counted).
    expect(q1).toMatch(/Đáp án A1 .*4 lần \(80\s?%\)/);
    expect(q1).toMatch(/Đáp án B1 .*1 lần \(20\s?%\)/);
    expect(q1).toMatch(/Đáp án C1 .*0 lần \(0\s?%\)/);

    const q2 = card(html, "q2");
    expect(q2).toContain("6 lần làm bài");
    expect(q2).toContain("33,3%");
    expect(q2).toContain("-25,0%");
    expect(q2).toContain("Phân loại âm");
    // a: A1, A2, A5, A6; b: A5, A6; c: A2, A4; A3 left it blank.
    expect(q2).toMatch(/Đáp án A2 .*4 lần/);
    expect(q2).toMatch(/Đáp án B2 .*2 lần/);
    expect(q2).toMatch(/Đáp án C2 .*2 lần/);
    expect(q2).toContain("Bỏ trống: 1 lần");

    const q3 = card(html, "q3");
    expect(q3).toContain("6 lần làm bài");
    expect(q3).toContain("100,0%");
    expect(q3).toContain("không tính được");
    expect(q3).toContain("Quá dễ");
    const q4 = card(html, "q4");
    expect(q4).toContain("1 lần làm bài");
    expect(q4).toContain("0,0%");
    expect(q4).toContain("Quá khó");

    // The distribution: 30–39: 1, 60–69: 4, 90–100: 1, other bands empty.
    const rows = [...html.matchAll(/<th scope="row"[^>]*>(\d+–\d+)<\/th><td[^>]*><div[^>]*><div[^>]*><\/div><span[^>]*>(\d+)/g)].map((m) => [m[1], Number(m[2])]);
    expect(rows).toEqual([
      ["0–9", 0],
      ["10–19", 0],
      ["20–29", 0],
      ["30–39", 1],
      ["40–49", 0],
      ["50–59", 0],
      ["60–69", 4],
      ["70–79", 0],
      ["80–89", 0],
      ["90–100", 1],
    ]);
    // Pass rate by unit, one level below the province; P2's learner in one unnamed row.
    const units = [...html.matchAll(/<th scope="row"[^>]*>([^<]+)<\/th><td[^>]*>(\d+)<\/td><td[^>]*>(\d+)<\/td>/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    expect(units).toEqual([
      ["Đơn vị P1.SNV", 1, 1],
      ["Đơn vị P1C1", 3, 2],
      ["Đơn vị ngoài phạm vi của bạn", 1, 1],
    ]);
    // No learner is named.
    expect(html).not.toContain("Học Viên Số");
    expect(html).not.toContain("hv1@thu.vn");
  });

  it("counts each learner's first attempt only when asked", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const html = (await (await trainer.get(`${PAGE}?attempts=first`)).text()).replace(/<!-- -->/g, "");
    // A6 (L5's second attempt) drops out: five attempts, q4 never drawn.
    expect(html).toContain("5 lần làm bài đã chấm, 4 lần đạt");
    expect(card(html, "q4")).toContain("Chưa được rút vào lần làm bài nào.");
    expect(card(html, "q2")).toContain("5 lần làm bài");
  });

  it("refuses learners (403), other trainers and forged versions (404)", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.get(PAGE)).status).toBe(403);
    expect((await learner.get(`${EXPORT}?format=csv`)).status).toBe(403);
    const other = await signedIn("giangvien@p2c1.vn");
    expect((await other.get(PAGE)).status).toBe(404);
    expect((await other.get(`${EXPORT}?format=csv`)).status).toBe(404);
    const trainer = await signedIn("giangvien@p1.vn");
    expect((await trainer.get(`${PAGE}?version=${versionId}`)).status).toBe(200);
    // Another course's version, a missing one, and nonsense.
    const foreign = await db.courseVersion.create({ data: { ...versionFields(), course: { create: { slug: "khoa-khac", title: "Khác", category: "other" } } } });
    for (const v of [String(foreign.id), "999999", "abc", "-1"]) {
      expect((await trainer.get(`${PAGE}?version=${v}`)).status).toBe(404);
      expect((await trainer.get(`${EXPORT}?version=${v}`)).status).toBe(404);
    }
  });

  it("exports the question table as CSV with formulas neutralised", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const response = await trainer.get(`${EXPORT}?version=${versionId}&format=csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain("thong-ke-cau-hoi-khoa-thu-v1.csv");
    const lines = (await response.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toEqual([
      "Mã câu,Câu hỏi,Số lần xuất hiện,Chỉ số dễ (%),Chỉ số phân loại (%),Cần xem lại,Số lần chọn từng phương án,Số lần bỏ trống",
      "q1,Câu hỏi một?,5,80,25,,✓ Đáp án A1: 4 | Đáp án B1: 1 | Đáp án C1: 0,0",
      "q2,Câu hỏi hai?,6,33.3,-25,Phân loại âm,✓ Đáp án A2: 4 | ✓ Đáp án B2: 2 | Đáp án C2: 2,1",
      "q3,Câu hỏi ba?,6,100,,Quá dễ,Đúng: 0 | ✓ Sai: 6,0",
      `q4,"'=HYPERLINK(""http://x"")",1,0,,Quá khó,Đáp án A4: 1 | ✓ Đáp án B4: 0,0`,
    ]);
    expect(lines.join("\n")).not.toContain("Học Viên");
  });
});

function versionFields() {
  return {
    number: 1,
    title: "Khác",
    titleEn: "Other",
    summary: "",
    summaryEn: "",
    introHtml: "",
    category: "other",
    estimatedMinutes: 10,
    validityMonths: 0,
    passingScore: 80,
    quizSize: 1,
    maxAttempts: 1,
    retryWaitMinutes: 0,
    timeLimitMinutes: 0,
    sequential: false,
    reviewPolicy: "score",
    contentHash: "x",
  };
}
