// A course's versions through the real server: comparing, rolling back (never rewriting
// history, progress kept), withdrawing and bringing back, and the review rule
// (COURSE_REVIEW=required, on a second server over the same database).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newCode } from "~/certificates/issue.server";
import { compareCourses, lineDiff, textOfHtml, type Comparable } from "~/content/version-compare.server";
import { parseEnv } from "~/platform/env.server";
import { db } from "~/platform/db.server";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let reviewServer: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;
const SLUG = "phien-ban-thu";
const COURSE = `/author/${SLUG}`;
const VERSIONS = `${COURSE}/versions`;

beforeAll(async () => {
  world = await twoProvinces();
  // A trainer of a department: the province course is beyond their unit.
  await createUser("giangvien2@p1.vn", world.units.a2, [{ role: "trainer", unit: world.units.a2 }]);
  // A second trainer of the province, to review the first one's requests.
  await createUser("giangvien3@p1.vn", world.units.a2, [{ role: "trainer", unit: world.units.a }], { fullName: "Người duyệt Ba" });
  await createUser("hocvien2@p1.vn", world.units.a1);
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
  reviewServer = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, COURSE_REVIEW: "required" });
});
afterAll(async () => {
  await server?.stop();
  await reviewServer?.stop();
});

async function signedIn(email: string, on = server) {
  const client = new Client(on.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return client;
}

const lesson = (title: string, source: string) => ({ intent: "save", title, titleEn: "", minutes: "5", source });
const settings = (overrides: Record<string, string> = {}) => ({
  intent: "settings",
  title: "Phiên bản thử",
  titleEn: "",
  summary: "Khóa học kiểm thử phiên bản.",
  summaryEn: "",
  category: "egov",
  estimatedMinutes: "30",
  validityMonths: "12",
  passingScore: "80",
  quizSize: "2",
  maxAttempts: "3",
  retryWaitMinutes: "0",
  timeLimitMinutes: "0",
  reviewPolicy: "explain",
  selfEnroll: "on",
  intro: "Giới thiệu khóa học.",
  ...overrides,
});
function question(key: string, prompt: string, choices: [string, boolean][], explanation = "") {
  const fields: Record<string, string> = { intent: "save", key, type: "single", prompt, explanation };
  choices.forEach(([text, correct], i) => {
    fields[`choice${i}Text`] = text;
    if (correct) fields[`choice${i}Correct`] = "on";
  });
  return fields;
}

const draftLessons = () => db.lesson.findMany({ where: { course: { slug: SLUG } }, orderBy: { position: "asc" } });
const versionCount = () => db.courseVersion.count({ where: { course: { slug: SLUG } } });
const ONE_V1 = "# Bài một\n\nDòng giữ nguyên A.\nDòng cũ sẽ bị sửa.\nDòng giữ nguyên B.\n";
const ONE_V2 = "# Bài một\n\nDòng giữ nguyên A.\nDòng mới đã sửa.\nDòng giữ nguyên B.\n";

describe("environment", () => {
  it("accepts COURSE_REVIEW off or required, default off, and nothing else", () => {
    expect(parseEnv({}).COURSE_REVIEW).toBe("off");
    expect(parseEnv({ COURSE_REVIEW: "required" }).COURSE_REVIEW).toBe("required");
    expect(() => parseEnv({ COURSE_REVIEW: "yes" })).toThrow(/COURSE_REVIEW/);
  });
});

describe("comparison rules", () => {
  const base: Comparable = {
    title: "Khóa", titleEn: "", summary: "", summaryEn: "", category: "egov", estimatedMinutes: 30, validityMonths: 0, passingScore: 80, quizSize: 1,
    maxAttempts: 3, retryWaitMinutes: 0, timeLimitMinutes: 0, sequential: false, reviewPolicy: "explain", intro: "", introHtml: "",
    lessons: [1, 2, 3].map((id) => ({ id, slug: `bai-${id}`, title: `Bài ${id}`, titleEn: "", minutes: 5, sourceHash: `h${id}`, source: `Bài ${id}\n`, html: `<p>Bài ${id}</p>` })),
    questions: [],
  };

  it("marks as moved only lessons whose order among the others changed", () => {
    const inserted = { ...base, lessons: [{ ...base.lessons[0], id: 9, slug: "bai-9", title: "Bài 9" }, ...base.lessons] };
    expect(compareCourses(base, inserted).lessons).toEqual([{ change: "added", id: 9, title: "Bài 9" }]);
    const swapped = { ...base, lessons: [base.lessons[1], base.lessons[0], base.lessons[2]] };
    expect(compareCourses(base, swapped).lessons.map((l) => l.change)).toEqual(["moved"]);
    expect(compareCourses(base, base).unchanged).toBe(true);
  });

  it("folds long unchanged runs and reads text out of HTML", () => {
    const before = Array.from({ length: 20 }, (_, i) => `dòng ${i}`).join("\n");
    const after = before.replace("dòng 10", "dòng mười");
    expect(lineDiff(before, after)).toEqual([
      { kind: "skipped", count: 8 },
      { kind: "same", text: "dòng 8" },
      { kind: "same", text: "dòng 9" },
      { kind: "removed", text: "dòng 10" },
      { kind: "added", text: "dòng mười" },
      { kind: "same", text: "dòng 11" },
      { kind: "same", text: "dòng 12" },
      { kind: "skipped", count: 7 },
    ]);
    expect(textOfHtml('<h2 id="a">Tiêu đề</h2><p>Một &amp; <strong>hai</strong></p><ul><li>ba</li></ul><img alt="Ảnh màn hình" src="x.png">')).toBe("Tiêu đề\nMột & hai\nba\n[Ảnh màn hình]");
  });
});

describe("compare and roll back", () => {
  let firstIds: number[] = [];

  it("publishes version 1; the learner finishes both lessons", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    expect((await trainer.post("/author", { intent: "create", slug: SLUG, title: "Phiên bản thử", category: "egov" })).status).toBe(302);
    expect((await trainer.post(COURSE, settings())).status).toBe(200);
    for (const [slug, title, source] of [["bai-mot", "Bài một", ONE_V1], ["bai-hai", "Bài hai", "Nội dung bài hai.\n"]]) {
      expect((await trainer.post(COURSE, { intent: "addLesson", slug, title })).status).toBe(302);
      expect((await trainer.post(`${COURSE}/lessons/${slug}`, lesson(title, source))).status).toBe(200);
    }
    for (const [key, prompt] of [["q1", "Mật khẩu mạnh có mấy ký tự?"], ["q2", "Có nên chia sẻ mã OTP?"]]) {
      expect((await trainer.post(`${COURSE}/quiz`, question(key, prompt, [["Tám", true], ["Bốn", false]], "Giải thích cũ"))).status).toBe(302);
    }
    const published = await trainer.post(COURSE, { intent: "publish" });
    expect(await published.text()).toContain("Đã xuất bản phiên bản 1.");
    const v1 = await db.courseVersion.findFirstOrThrow({ where: { course: { slug: SLUG }, number: 1 }, include: { lessons: { orderBy: { position: "asc" } } } });
    // The source is kept with the version now, for comparisons and rollbacks.
    expect(v1.lessons[0].source).toBe(ONE_V1);
    expect(v1.intro).toBe("Giới thiệu khóa học.");
    firstIds = v1.lessons.map((l) => l.lessonId);

    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.post(`/courses/${SLUG}`, {})).status).toBe(302);
    for (const slug of ["bai-mot", "bai-hai"]) expect((await learner.post(`/courses/${SLUG}/${slug}`, {})).status).toBe(302);
  });

  it("publishes version 2: a lesson edited, one removed, one added, a question and a setting changed", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    expect((await trainer.post(`${COURSE}/lessons/bai-mot`, lesson("Bài một", ONE_V2))).status).toBe(200);
    const [, two] = await draftLessons();
    expect((await trainer.post(COURSE, { intent: "deleteLesson", lessonId: String(two.id) })).status).toBe(200);
    expect((await trainer.post(COURSE, { intent: "addLesson", slug: "bai-ba", title: "Bài ba" })).status).toBe(302);
    expect((await trainer.post(`${COURSE}/lessons/bai-ba`, lesson("Bài ba", "Nội dung bài ba.\n"))).status).toBe(200);
    const q1 = await db.quizQuestion.findFirstOrThrow({ where: { course: { slug: SLUG }, key: "q1" } });
    const choices = JSON.parse(q1.choices) as { id: string }[];
    const edited = question("q1", "Mật khẩu mạnh cần ít nhất mấy ký tự?", [["Tám", false], ["Mười hai", true]], "Giải thích mới");
    expect((await trainer.post(`${COURSE}/quiz`, { ...edited, questionId: String(q1.id), choice0Id: choices[0].id, choice1Id: choices[1].id })).status).toBe(302);
    expect((await trainer.post(COURSE, settings({ passingScore: "90" }))).status).toBe(200);
    expect(await (await trainer.post(COURSE, { intent: "publish" })).text()).toContain("Đã xuất bản phiên bản 2.");
  });

  it("compares two versions: settings, lessons with their changed lines, questions", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const res = await trainer.get(`${VERSIONS}?from=1&to=2`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain("Thay đổi từ Phiên bản 1 đến Phiên bản 2");
    expect(page).toContain("Điểm đạt (%)");
    expect(page).toMatch(/<del[^>]*>80<\/del>/);
    expect(page).toMatch(/<ins[^>]*>90<\/ins>/);
    expect(page).toContain("Bài thay đổi: Bài một");
    expect(page).toMatch(/data-diff="removed"[\s\S]*?Dòng bỏ[\s\S]*?Dòng cũ sẽ bị sửa\./);
    expect(page).toMatch(/data-diff="added"[\s\S]*?Dòng thêm[\s\S]*?Dòng mới đã sửa\./);
    expect(page).not.toMatch(/data-diff="(added|removed)"[^<]*<span[^>]*>[^<]*<\/span>(<span[^>]*>[^<]*<\/span>)?<span[^>]*>Dòng giữ nguyên A/);
    expect(page).toContain("Bài bị bỏ: Bài hai");
    expect(page).toContain("Bài mới: Bài ba");
    expect(page).toContain("Câu thay đổi q1: Mật khẩu mạnh cần ít nhất mấy ký tự?");
    expect(page).toContain("Giải thích mới");
    expect(page).toContain("Mười hai (đáp án đúng)");
    expect(page).not.toContain("Câu thay đổi q2");

    // The draft against the published version, by default.
    expect(await (await trainer.get(VERSIONS)).text()).toContain("Hai bản giống nhau.");
    // Unknown or malformed sides: a translated message, no comparison.
    for (const q of ["?from=99&to=1", "?from=abc&to=draft", "?from=-1&to=2"]) {
      const bad = await trainer.get(VERSIONS + q);
      expect(bad.status).toBe(200);
      expect(await bad.text()).toContain("Không tìm thấy phiên bản cần so sánh.");
    }
  });

  it("compares a version published before sources were kept by the text of its HTML", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const v1 = await db.courseVersion.findFirstOrThrow({ where: { course: { slug: SLUG }, number: 1 }, include: { lessons: true } });
    await db.versionLesson.updateMany({ where: { versionId: v1.id }, data: { source: null } });
    const page = await (await trainer.get(`${VERSIONS}?from=1&to=2`)).text();
    expect(page).toContain("so sánh theo văn bản hiển thị");
    expect(page).toMatch(/data-diff="removed"[\s\S]*?Dòng cũ sẽ bị sửa\./);
    for (const l of v1.lessons) await db.versionLesson.update({ where: { id: l.id }, data: { source: l.source } });
  });

  it("rolls back to version 1 as version 3, restoring a deleted lesson with its id; the learner keeps their progress", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    // An introduction source not kept with version 1 is found with another version that rendered the same.
    await db.courseVersion.updateMany({ where: { course: { slug: SLUG }, number: 1 }, data: { intro: null } });
    const form = { intent: "rollback", number: "1", expected: "2" };
    const res = await trainer.post(VERSIONS, form);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Đã khôi phục phiên bản 1: học viên đang học phiên bản 3.");
    const v3 = await db.courseVersion.findFirstOrThrow({ where: { course: { slug: SLUG }, number: 3 }, include: { lessons: { orderBy: { position: "asc" } } } });
    expect(v3.restoresNumber).toBe(1);
    expect(v3.passingScore).toBe(80);
    expect(v3.lessons.map((l) => l.lessonId)).toEqual(firstIds);
    expect(v3.lessons[0].source).toBe(ONE_V1);
    expect(v3.intro).toBe("Giới thiệu khóa học.");
    expect((await draftLessons()).map((l) => [l.id, l.slug, l.source])).toEqual([
      [firstIds[0], "bai-mot", ONE_V1],
      [firstIds[1], "bai-hai", "Nội dung bài hai.\n"],
    ]);
    const q1 = await db.quizQuestion.findFirstOrThrow({ where: { course: { slug: SLUG }, key: "q1" } });
    expect(q1.prompt).toBe("Mật khẩu mạnh có mấy ký tự?");
    // History is never rewritten.
    const v2 = await db.courseVersion.findFirstOrThrow({ where: { course: { slug: SLUG }, number: 2 }, include: { lessons: true } });
    expect(v2.passingScore).toBe(90);
    expect(v2.lessons.map((l) => l.slug).sort()).toEqual(["bai-ba", "bai-mot"]);

    // The learner's completions (by lesson id) count again in version 3.
    const learner = await signedIn("hocvien@p1.vn");
    const overview = await (await learner.get(`/courses/${SLUG}`)).text();
    expect(overview.match(/ · Đã học<\/span>/g)?.length).toBe(2);

    // A double submit publishes nothing more.
    const again = await trainer.post(VERSIONS, form);
    expect(again.status).toBe(200);
    expect(await again.text()).toContain("học viên đang học phiên bản 3");
    expect(await versionCount()).toBe(3);
    expect(await db.auditEvent.count({ where: { action: "course.rollback", outcome: "ok" } })).toBe(1);
    const history = await (await trainer.get(VERSIONS)).text();
    expect(history).toContain("Khôi phục phiên bản 1");
  });

  it("two rollbacks at once make one new version, to the same target or not", async () => {
    const [a, b] = [await signedIn("giangvien@p1.vn"), await signedIn("quantri@p1.vn")];
    const same = await Promise.all([
      a.post(VERSIONS, { intent: "rollback", number: "2", expected: "3" }),
      b.post(VERSIONS, { intent: "rollback", number: "2", expected: "3" }),
    ]);
    expect(same.map((r) => r.status)).toEqual([200, 200]);
    for (const text of await Promise.all(same.map((r) => r.text()))) expect(text).toContain("Đã khôi phục phiên bản 2: học viên đang học phiên bản 4.");
    expect(await versionCount()).toBe(4);

    // Versions 1 and 3 hold the same content, different from version 4: one of the two wins.
    const different = await Promise.all([
      a.post(VERSIONS, { intent: "rollback", number: "1", expected: "4" }),
      b.post(VERSIONS, { intent: "rollback", number: "3", expected: "4" }),
    ]);
    const texts = await Promise.all(different.map((r) => r.text()));
    expect(await versionCount()).toBe(5);
    expect(texts.filter((t) => t.includes("học viên đang học phiên bản 5.")).length).toBe(1);
    expect(texts.filter((t) => t.includes("vừa được xuất bản hoặc khôi phục bởi người khác")).length).toBe(1);
    const v5 = await db.courseVersion.findFirstOrThrow({ where: { course: { slug: SLUG }, number: 5 }, include: { lessons: true } });
    // The draft matches the version that won, whole.
    expect((await draftLessons()).map((l) => l.id).sort()).toEqual(v5.lessons.map((l) => l.lessonId).sort());
    expect(await db.auditEvent.count({ where: { action: "course.rollback", outcome: "ok" } })).toBe(3);
  });

  it("refuses a rollback when a lesson's source is nowhere to be found, changing nothing", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const v1 = await db.courseVersion.findFirstOrThrow({ where: { course: { slug: SLUG }, number: 1 }, include: { lessons: { orderBy: { position: "asc" } } } });
    await db.versionLesson.update({ where: { id: v1.lessons[1].id }, data: { source: null, sourceHash: "ma-bam-khong-con" } });
    const current = (await db.course.findUniqueOrThrow({ where: { slug: SLUG }, include: { publishedVersion: true } })).publishedVersion!.number;
    const failedBefore = await db.auditEvent.count({ where: { action: "course.rollback", outcome: "failed" } });
    const res = await trainer.post(VERSIONS, { intent: "rollback", number: "1", expected: String(current) });
    expect(res.status).toBe(400);
    expect(await db.auditEvent.count({ where: { action: "course.rollback", outcome: "failed" } })).toBe(failedBefore + 1);
    expect(await res.text()).toContain("Không khôi phục được vì hệ thống không còn mã nguồn của: Bài hai");
    expect(await versionCount()).toBe(5);
  });

  it("keeps other units' trainers out (404), learners out (403) and forged origins out", async () => {
    const other = await signedIn("giangvien2@p1.vn");
    expect((await other.get(VERSIONS)).status).toBe(404);
    expect((await other.post(VERSIONS, { intent: "rollback", number: "1", expected: "4" })).status).toBe(404);
    expect((await other.post(VERSIONS, { intent: "unpublish" })).status).toBe(404);
    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.get(VERSIONS)).status).toBe(403);
    const trainer = await signedIn("giangvien@p1.vn");
    expect((await trainer.post(VERSIONS, { intent: "unpublish" }, { origin: "https://evil.example" })).status).toBe(403);
    expect((await trainer.post(VERSIONS, { intent: "rollback", number: "999", expected: "4" })).status).toBe(404);
    expect((await trainer.post(VERSIONS, { intent: "nonsense" })).status).toBe(400);
    expect(await versionCount()).toBe(5);
    expect((await db.course.findUniqueOrThrow({ where: { slug: SLUG } })).unpublishedAt).toBeNull();
  });
});

describe("withdrawing a course", () => {
  it("takes it out of the catalogue, keeps learners' records and tells them; republishing brings it back", async () => {
    const course = await db.course.findUniqueOrThrow({ where: { slug: SLUG } });
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { courseId: course.id, userId: world.users.learner.id } });
    // A certificate earned earlier stays valid and verifiable.
    const code = newCode();
    await db.certificate.create({
      data: { code, enrollmentId: enrollment.id, userId: world.users.learner.id, courseId: course.id, orgUnitId: world.units.a1.id, fullName: "Học viên", position: "", unitName: "Xã", courseTitle: course.title, issuer: "Sở Nội vụ", completedAt: new Date() },
    });
    const outboxBefore = await db.outboxMail.count({ where: { to: "hocvien@p1.vn" } });

    const trainer = await signedIn("giangvien@p1.vn");
    const res = await trainer.post(VERSIONS, { intent: "unpublish" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Đã ngừng cung cấp khóa học. Đã gửi thư báo cho 1 người đang học.");
    // A double submit changes and sends nothing more.
    expect(await (await trainer.post(VERSIONS, { intent: "unpublish" })).text()).toContain("Khóa học đã ngừng cung cấp từ trước.");
    const mails = await db.outboxMail.findMany({ where: { to: "hocvien@p1.vn" } });
    expect(mails.length).toBe(outboxBefore + 1);
    expect(mails.at(-1)!.subject).toBe("Khóa học “Phiên bản thử” đã ngừng cung cấp");
    expect(await db.auditEvent.count({ where: { action: "course.unpublish" } })).toBe(1);

    const newcomer = await signedIn("hocvien2@p1.vn");
    expect(await (await newcomer.get("/courses")).text()).not.toContain("Phiên bản thử");
    expect((await newcomer.get(`/courses/${SLUG}`)).status).toBe(404);
    expect((await newcomer.post(`/courses/${SLUG}`, {})).status).toBe(404);
    expect(await db.enrollment.count({ where: { courseId: course.id, userId: { not: world.users.learner.id } } })).toBe(0);

    const learner = await signedIn("hocvien@p1.vn");
    const overview = await learner.get(`/courses/${SLUG}`);
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain("Khóa học này đã ngừng cung cấp và không còn trong danh mục.");
    expect(await (await learner.get("/me")).text()).toContain("Có khóa học bạn đang học đã ngừng cung cấp: Phiên bản thử.");
    expect((await learner.get(`/courses/${SLUG}/bai-mot`)).status).toBe(200);
    const verify = await new Client(server.url).get(`/verify/${code}`);
    expect(verify.status).toBe(200);
    expect(await verify.text()).toContain("Phiên bản thử");

    // HR: no new assignment of a withdrawn course; coverage still names it, marked.
    const hr = await signedIn("nhansu@p1.vn");
    const assign = await hr.post("/hr/assignments", { courseId: String(course.id), unitCode: "P1", positions: "", dueAt: "2027-12-31", recurrence: "none", reminderDays: "0" });
    expect(assign.status).toBe(400);
    expect(await db.trainingAssignment.count({ where: { courseId: course.id } })).toBe(0);
    expect(await (await hr.get("/hr/coverage")).text()).toMatch(/Phiên bản thử(<!-- -->)? \(đã ngừng cung cấp\)/);

    const back = await trainer.post(VERSIONS, { intent: "republish" });
    expect(await back.text()).toContain("Khóa học đã trở lại danh mục.");
    expect(await (await newcomer.get("/courses")).text()).toContain("Phiên bản thử");
    expect((await newcomer.post(`/courses/${SLUG}`, {})).status).toBe(302);
    expect(await db.auditEvent.count({ where: { action: "course.republish" } })).toBe(1);
  });
});

describe("review before publishing (COURSE_REVIEW=required)", () => {
  const edit = async (client: Client, text: string) => expect((await client.post(`${COURSE}/lessons/bai-mot`, lesson("Bài một", text))).status).toBe(200);

  it("turns publish into a request that the requester cannot approve; of two approvals at once exactly one publishes", async () => {
    const trainer = await signedIn("giangvien@p1.vn", reviewServer);
    await edit(trainer, "# Bài một\n\nPhiên bản cần duyệt.\n");
    const before = await versionCount();
    const direct = await trainer.post(COURSE, { intent: "publish" });
    expect(direct.status).toBe(400);
    expect(await direct.text()).toContain("Hệ thống này yêu cầu duyệt trước khi xuất bản");
    expect(await versionCount()).toBe(before);

    const asked = await trainer.post(COURSE, { intent: "requestReview", note: "Nhờ anh xem giúp." });
    expect(await asked.text()).toContain("Đã gửi yêu cầu duyệt.");
    expect(await (await trainer.post(COURSE, { intent: "requestReview", note: "" })).text()).toContain("Bản nháp này đã được gửi duyệt.");
    const request = await db.publishRequest.findFirstOrThrow({ where: { status: "pending" } });
    expect(await db.publishRequest.count()).toBe(1);

    const own = await trainer.post(VERSIONS, { intent: "approve", requestId: String(request.id) });
    expect(own.status).toBe(400);
    expect(await own.text()).toContain("Bạn không thể tự duyệt hay từ chối yêu cầu của chính mình.");
    expect(await versionCount()).toBe(before);
    // Another unit's trainer never sees it.
    expect((await (await signedIn("giangvien2@p1.vn", reviewServer)).post(VERSIONS, { intent: "approve", requestId: String(request.id) })).status).toBe(404);

    const [reviewer, admin] = [await signedIn("giangvien3@p1.vn", reviewServer), await signedIn("quantri@p1.vn", reviewServer)];
    const page = await (await reviewer.get(VERSIONS)).text();
    expect(page).toContain("Nhờ anh xem giúp.");
    const results = await Promise.all([
      reviewer.post(VERSIONS, { intent: "approve", requestId: String(request.id), comment: "Được." }),
      admin.post(VERSIONS, { intent: "approve", requestId: String(request.id), comment: "" }),
    ]);
    const texts = await Promise.all(results.map((r) => r.text()));
    expect(texts.filter((t) => t.includes(`Đã duyệt: học viên đang học phiên bản ${before + 1}.`)).length).toBe(1);
    expect(texts.filter((t) => t.includes("Yêu cầu này đã được xử lý.")).length).toBe(1);
    expect(await versionCount()).toBe(before + 1);
    const decided = await db.publishRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(decided).toMatchObject({ status: "approved", versionNumber: before + 1, openFor: null });
    expect(await db.auditEvent.count({ where: { action: "course.review.approve", outcome: "ok" } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "course.review.approve", outcome: "denied" } })).toBe(1);
  });

  it("rejects with comments kept in the history, and lapses a request whose draft changed", async () => {
    const trainer = await signedIn("giangvien@p1.vn", reviewServer);
    const reviewer = await signedIn("giangvien3@p1.vn", reviewServer);
    await edit(trainer, "# Bài một\n\nBản cần sửa thêm.\n");
    await trainer.post(COURSE, { intent: "requestReview", note: "" });
    const first = await db.publishRequest.findFirstOrThrow({ where: { status: "pending" } });
    const noComment = await reviewer.post(VERSIONS, { intent: "reject", requestId: String(first.id), comment: "  " });
    expect(await noComment.text()).toContain("Hãy ghi nhận xét để người gửi biết cần sửa gì.");
    expect(await (await reviewer.post(VERSIONS, { intent: "reject", requestId: String(first.id), comment: "Thiếu ví dụ minh họa." })).text()).toContain("Đã từ chối yêu cầu.");
    const history = await (await trainer.get(VERSIONS)).text();
    expect(history).toContain("Bị từ chối");
    expect(history).toContain("Thiếu ví dụ minh họa.");
    expect(history).toContain("Người duyệt Ba");

    const before = await versionCount();
    await edit(trainer, "# Bài một\n\nBản có ví dụ.\n");
    await trainer.post(COURSE, { intent: "requestReview", note: "" });
    const second = await db.publishRequest.findFirstOrThrow({ where: { status: "pending" } });
    await edit(trainer, "# Bài một\n\nBản có ví dụ, sửa sau khi gửi.\n");
    expect(await (await trainer.get(COURSE)).text()).toContain("Bản nháp đã thay đổi sau khi gửi duyệt");
    const stale = await reviewer.post(VERSIONS, { intent: "approve", requestId: String(second.id) });
    expect(await stale.text()).toContain("Bản nháp đã thay đổi sau khi gửi duyệt nên không xuất bản.");
    expect(await versionCount()).toBe(before);
    expect((await db.publishRequest.findUniqueOrThrow({ where: { id: second.id } })).status).toBe("superseded");
  });

  it("sends a rollback for review instead of publishing it", async () => {
    const trainer = await signedIn("giangvien@p1.vn", reviewServer);
    const before = await versionCount();
    const res = await trainer.post(VERSIONS, { intent: "rollback", number: "2", expected: String(before) });
    expect(await res.text()).toContain("Bản nháp đã trở về phiên bản 2 và đã được gửi duyệt.");
    expect(await versionCount()).toBe(before);
    const open = await db.publishRequest.findFirstOrThrow({ where: { status: "pending" } });
    const approved = await (await signedIn("quantri@p1.vn", reviewServer)).post(VERSIONS, { intent: "approve", requestId: String(open.id) });
    expect(await approved.text()).toContain(`Đã duyệt: học viên đang học phiên bản ${before + 1}.`);
    const latest = await db.courseVersion.findFirstOrThrow({ where: { course: { slug: SLUG }, number: before + 1 } });
    expect(latest.passingScore).toBe(90); // version 2's settings
  });

  it("frees an approval interrupted half-way after a while, so the request can be decided again", async () => {
    const trainer = await signedIn("giangvien@p1.vn", reviewServer);
    await edit(trainer, "# Bài một\n\nBản duyệt bị gián đoạn.\n");
    await trainer.post(COURSE, { intent: "requestReview", note: "" });
    const open = await db.publishRequest.findFirstOrThrow({ where: { status: "pending" } });
    // As left by a process that died after claiming the request and before publishing.
    await db.publishRequest.update({ where: { id: open.id }, data: { status: "approving", decidedById: world.users.admin.id, decidedAt: new Date(Date.now() - 60 * 60_000) } });
    const before = await versionCount();
    const res = await (await signedIn("giangvien3@p1.vn", reviewServer)).post(VERSIONS, { intent: "approve", requestId: String(open.id) });
    expect(await res.text()).toContain(`Đã duyệt: học viên đang học phiên bản ${before + 1}.`);
    expect(await versionCount()).toBe(before + 1);
  });
});
