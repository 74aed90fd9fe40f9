// The trainer area (/author) through the real server: courses, lessons, MDX checks, images,
// the quiz bank, publishing, access rules and the export round trip.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { unzipSync, strFromU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCourseFiles } from "~/content/course-export.server";
import { checkContent, syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { MDX_RENDERER_VERSION } from "~/content/mdx-compile.server";
import type { Choice } from "~/utils/course";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client, signedInClient } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;
const SLUG = "ky-nang-so-thu";
const COURSE = `/author/${SLUG}`;
// A 1×1 transparent PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

beforeAll(async () => {
  world = await twoProvinces();
  // A trainer of a department: the province trainer's courses are beyond their unit.
  await createUser("giangvien2@p1.vn", world.units.a2, [{ role: "trainer", unit: world.units.a2 }]);
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

async function upload(client: Client, path: string, file: Blob, name: string) {
  const body = new FormData();
  body.set("file", file, name);
  return fetch(server.url + path, { method: "POST", body, headers: { Cookie: client.cookieHeader(), Origin: server.url }, redirect: "manual" });
}

async function course() {
  return db.course.findUniqueOrThrow({ where: { slug: SLUG }, include: { lessons: { orderBy: { position: "asc" } }, questions: { orderBy: { position: "asc" } } } });
}

const settings = (overrides: Record<string, string> = {}) => ({
  intent: "settings",
  title: "Kỹ năng số thử nghiệm",
  titleEn: "Digital skills test",
  summary: "Khóa học dùng trong kiểm thử.",
  summaryEn: "",
  category: "egov",
  estimatedMinutes: "30",
  validityMonths: "12",
  passingScore: "80",
  quizSize: "3",
  maxAttempts: "3",
  retryWaitMinutes: "0",
  timeLimitMinutes: "0",
  reviewPolicy: "explain",
  selfEnroll: "on",
  intro: "Giới thiệu **ngắn**.",
  ...overrides,
});

const lessonForm = (source: string, overrides: Record<string, string> = {}) => ({ intent: "save", title: "Bài một", titleEn: "", minutes: "5", source, ...overrides });

function question(key: string, type: string, prompt: string, choices: [string, boolean][], explanation = "") {
  const fields: Record<string, string> = { intent: "save", key, type, prompt, explanation };
  choices.forEach(([text, correct], i) => {
    fields[`choice${i}Text`] = text;
    if (correct) fields[`choice${i}Correct`] = "on";
  });
  return fields;
}

describe("access", () => {
  it("refuses learners (403) and sends visitors to sign in", async () => {
    const anonymous = new Client(server.url);
    const res = await anonymous.get("/author");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login\?redirectTo=%2Fauthor/);
    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.get("/author")).status).toBe(403);
    expect((await learner.get("/author/guide")).status).toBe(403);
    expect((await learner.post("/author", { intent: "create", slug: "hoc-vien-tao", title: "X", category: "egov" })).status).toBe(403);
    expect(await db.course.count({ where: { slug: "hoc-vien-tao" } })).toBe(0);
    const me = await (await learner.get("/me")).text();
    expect(me).not.toContain('href="/author"');
    const trainer = await signedIn("giangvien@p1.vn");
    expect(await (await trainer.get("/me")).text()).toContain('href="/author"');
  });
});

describe("a trainer builds, publishes and republishes a course", () => {
  it("creates a course with a checked, unique address", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const page = await trainer.get("/author");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Tạo khóa học mới");

    const bad = await trainer.post("/author", { intent: "create", slug: "Khóa Học", title: "Thử", category: "egov" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Địa chỉ chỉ gồm chữ thường không dấu");
    const reserved = await trainer.post("/author", { intent: "create", slug: "new", title: "Thử", category: "egov" });
    expect(await reserved.text()).toContain("Địa chỉ này được hệ thống dùng riêng");

    const created = await trainer.post("/author", { intent: "create", slug: SLUG, title: "Kỹ năng số thử nghiệm", category: "egov" });
    expect(created.status).toBe(302);
    expect(created.headers.get("location")).toBe(`${COURSE}?created=1`);
    const again = await trainer.post("/author", { intent: "create", slug: SLUG, title: "Kỹ năng số thử nghiệm", category: "egov" });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("Địa chỉ này đã được dùng cho một khóa học khác");
    const row = await course();
    expect(row).toMatchObject({ ownerId: world.users.trainer.id, origin: "web", publishedVersionId: null });
    expect(await (await trainer.get("/author")).text()).toContain("Kỹ năng số thử nghiệm");
  });

  it("adds two lessons", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const first = await trainer.post(COURSE, { intent: "addLesson", slug: "bai-mot", title: "Bài một" });
    expect(first.headers.get("location")).toBe(`${COURSE}/lessons/bai-mot?created=1`);
    expect((await trainer.post(COURSE, { intent: "addLesson", slug: "bai-hai", title: "Bài hai" })).status).toBe(302);
    const dup = await trainer.post(COURSE, { intent: "addLesson", slug: "bai-hai", title: "Bài hai" });
    expect(dup.status).toBe(400);
    expect(await dup.text()).toContain("Khóa học đã có bài giảng với địa chỉ này.");
    const quiz = await trainer.post(COURSE, { intent: "addLesson", slug: "quiz", title: "Kiểm tra" });
    expect(await quiz.text()).toContain("Không dùng được địa chỉ “quiz”");
    expect((await course()).lessons.map((l) => [l.slug, l.position])).toEqual([["bai-mot", 1], ["bai-hai", 2]]);
    expect((await trainer.get(`${COURSE}/lessons/bai-mot`)).status).toBe(200);
    expect((await trainer.get(`${COURSE}/lessons/khong-co`)).status).toBe(404);
  });

  it("previews and saves valid MDX; hostile MDX gets line and column errors and nothing is saved", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const path = `${COURSE}/lessons/bai-mot`;
    const good = '## Mở đầu\r\n\r\nĐăng xuất sau khi dùng máy chung.\r\n\r\n<Callout type="tip" title="Ghi nhớ">\r\n\r\nKhông chia sẻ mã OTP.\r\n\r\n</Callout>\r\n';

    const preview = await trainer.post(path, { ...lessonForm(good), intent: "preview" });
    expect(preview.status).toBe(200);
    const previewHtml = await preview.text();
    expect(previewHtml).toMatch(/<div class="lesson-body[^"]*"><h2[^>]*>Mở đầu<\/h2>/);
    expect(previewHtml).toContain("<aside");
    expect((await course()).lessons[0].source).toBe(""); // a preview saves nothing

    const saved = await trainer.post(path, lessonForm(good));
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Đã lưu bài giảng.");
    const lesson = (await course()).lessons[0];
    expect(lesson.source).toBe(good.replace(/\r\n/g, "\n"));
    expect(lesson.html).toContain("Không chia sẻ mã OTP.");
    expect(lesson.rendererVersion).toBe(MDX_RENDERER_VERSION);
    expect(lesson.sourceHash).toMatch(/^[0-9a-f]{64}$/);

    const hostile = [
      { source: "Dòng một\n\nSố hồ sơ: {process.env.X}\n", at: "Dòng 3, cột 11:" },
      { source: "Mở đầu\n\n<script>alert(1)</script>\n", at: "Dòng 3, cột 1:" },
    ];
    for (const h of hostile) {
      const res = await trainer.post(path, lessonForm(h.source, { title: "Tên đã đổi" }));
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(h.at);
      expect(html).toContain("Chưa lưu: bài giảng còn lỗi.");
      expect(html).not.toContain("<script>alert(1)");
      // The trainer's text comes back in the editor.
      expect(html).toContain(h.source.includes("script") ? "&lt;script&gt;alert(1)&lt;/script&gt;" : "{process.env.X}");
      expect(html).toContain('value="Tên đã đổi"');
      const after = (await course()).lessons[0];
      expect(after).toMatchObject({ source: lesson.source, html: lesson.html, title: "Bài một" });
    }
    const badMinutes = await trainer.post(path, lessonForm(good, { minutes: "0" }));
    expect(badMinutes.status).toBe(400);
    expect(await badMinutes.text()).toContain("Thời lượng là số phút, từ 1 đến 600.");
    expect(await db.auditEvent.count({ where: { action: "lesson.save", actorId: world.users.trainer.id } })).toBe(1);
  });

  it("explains a problem in the reader's language: Vietnamese by default, English after the switch", async () => {
    const path = `${COURSE}/lessons/bai-mot`;
    const before = (await course()).lessons[0];
    const source = "Sơ đồ:\n\n![](/media/so-do.png)\n";
    const vi = await signedIn("giangvien@p1.vn");
    const en = await signedIn("quantri@p1.vn"); // an administrator may edit every course
    expect((await en.post("/language", { lang: "en", redirectTo: path })).status).toBe(302);
    try {
      for (const intent of ["preview", "save"]) {
        const inVietnamese = await (await vi.post(path, { ...lessonForm(source), intent })).text();
        expect(inVietnamese).toContain("Dòng 3, cột 1: Ảnh thiếu mô tả: hãy ghi mô tả ngắn nội dung ảnh trong ngoặc vuông");
        const inEnglish = await (await en.post(path, { ...lessonForm(source), intent })).text();
        expect(inEnglish).toContain("Line 3, column 1: The image has no description: write a short description of what it shows in the square brackets");
        expect(inEnglish).not.toContain("Ảnh thiếu mô tả");
      }
      // The course introduction is checked by the same rules, in the same language.
      const intro = await (await en.post(COURSE, settings({ intro: "Xem thêm:\n\n<YouTube />" }))).text();
      expect(intro).toContain("Line 3, column 1: There is no component &lt;YouTube&gt;. Only these components may be used: Callout, Steps, Term");
    } finally {
      await en.post("/language", { lang: "vi", redirectTo: "/" });
    }
    expect((await course()).lessons[0]).toMatchObject({ source: before.source, html: before.html });
  });

  it("refuses a Figure whose image is not in the course's library, with its line and column", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const source = `## Ảnh\n\n<Figure src="/media/${SLUG}/khong-co.png" alt="Sơ đồ" />\n`;
    for (const intent of ["preview", "save"]) {
      const response = await trainer.post(`${COURSE}/lessons/bai-hai`, { ...lessonForm(source), intent });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(`Dòng 3, cột 9: Không có ảnh /media/${SLUG}/khong-co.png trong thư viện ảnh của khóa học.`);
    }
    expect((await course()).lessons.find((l) => l.slug === "bai-hai")?.source).not.toContain("khong-co.png");
  });

  it("uploads a PNG and refuses a renamed text file and a file over 2 MB", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const path = `${COURSE}/lessons/bai-mot`;
    const ok = await upload(trainer, path, new Blob([PNG], { type: "image/png" }), "Ảnh Thử Đăng nhập.PNG");
    expect(ok.status).toBe(200);
    const okHtml = await ok.text();
    expect(okHtml).toContain("anh-thu-dang-nhap.png");
    expect(okHtml).toContain(`&lt;Figure src=&quot;/media/${SLUG}/anh-thu-dang-nhap.png&quot; alt=&quot;...&quot; /&gt;`);
    // The same image again (a double submit) is stored once.
    expect((await upload(trainer, path, new Blob([PNG], { type: "image/png" }), "Ảnh Thử Đăng nhập.PNG")).status).toBe(200);
    const row = await db.media.findFirstOrThrow({ where: { course: { slug: SLUG } } });
    expect(row).toMatchObject({ name: "anh-thu-dang-nhap.png", mime: "image/png", size: PNG.length });

    const fake = await upload(trainer, path, new Blob(["đây không phải là ảnh"], { type: "image/png" }), "gia.png");
    expect(fake.status).toBe(400);
    expect(await fake.text()).toContain("không phải ảnh PNG, JPEG, WebP hay GIF hợp lệ");
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024 + 10)]);
    const tooBig = await upload(trainer, path, new Blob([big], { type: "image/png" }), "lon.png");
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toContain("Ảnh lớn hơn 2 MB");
    expect(await db.media.count({ where: { course: { slug: SLUG } } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "media.upload", outcome: "ok" } })).toBe(1);

    // Served as an image that cannot be sniffed into anything else, to those who may read the
    // course: while it is a draft, its editors only (learners get 404, audited).
    const media = `/media/${SLUG}/anh-thu-dang-nhap.png`;
    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.get(media)).status).toBe(404);
    expect(await db.auditEvent.count({ where: { action: "access.denied", actorId: world.users.learner.id, targetType: "course" } })).toBe(1);
    const res = await trainer.get(media);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'");
    expect(res.headers.get("content-disposition")).toBe("inline");
    expect(res.headers.get("etag")).toBe(`"${row.sha256}"`);
    expect(res.headers.get("cache-control")).toContain("max-age=31536000");
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await trainer.get(media, { "If-None-Match": `"${row.sha256}"` })).status).toBe(304);
    expect((await trainer.get(`/media/${SLUG}/khong-co.png`)).status).toBe(404);
    expect((await trainer.get(`/media/${SLUG}/..%2F..%2Fetc`)).status).toBe(404);
    expect((await new Client(server.url).get(media)).status).toBe(302);
  });

  it("builds the quiz bank and refuses invalid questions with nothing saved", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const path = `${COURSE}/quiz`;
    const q1 = question("q1", "single", "Có nên chia sẻ mã OTP?", [["Có", false], ["Không", true]], "Mã OTP là bí mật.");
    const first = await trainer.post(path, q1);
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(`${path}?saved=q1`);
    const twice = await trainer.post(path, q1);
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain("Khóa học đã có câu hỏi với mã này.");
    expect((await trainer.post(path, question("q2", "multiple", "Chọn các mật khẩu mạnh", [["123456", false], ["Meo-Vang-47-Cau", true], ["Tre-Xanh-Ven-Song-9", true]]))).status).toBe(302);
    expect((await trainer.post(path, question("q3", "truefalse", "VNeID là ứng dụng định danh điện tử.", [["Đúng", true], ["Sai", false]]))).status).toBe(302);

    const refused = [
      { q: question("q4", "single", "Không có đáp án đúng", [["A", false], ["B", false]]), message: "Chưa có đáp án đúng" },
      { q: question("q5", "multiple", "Chỉ một đáp án", [["A", true], ["B", false]]), message: "cần ít nhất 2 đáp án đúng" },
      { q: question("q6", "truefalse", "Ba lựa chọn", [["Đúng", true], ["Sai", false], ["Không biết", false]]), message: "Câu Đúng/Sai có đúng hai lựa chọn" },
      { q: question("q 7", "single", "Mã sai", [["A", true], ["B", false]]), message: "Mã câu hỏi chỉ gồm chữ không dấu" },
      { q: question("q8", "single", "Một lựa chọn", [["A", true]]), message: "Cần ít nhất 2 lựa chọn." },
    ];
    for (const r of refused) {
      const res = await trainer.post(path, r.q);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(r.message);
      expect(html).toContain(r.q.prompt); // the form comes back as typed
    }
    const bank = (await course()).questions;
    expect(bank.map((q) => q.key)).toEqual(["q1", "q2", "q3"]);
    expect(JSON.parse(bank[2].choices)).toEqual([
      { id: "true", text: "Đúng", correct: true },
      { id: "false", text: "Sai", correct: false },
    ]);
    expect(await db.auditEvent.count({ where: { action: "question.create" } })).toBe(3);

    // Editing keeps the choice ids.
    const edit = await trainer.get(`${path}?edit=${bank[0].id}`);
    expect(await edit.text()).toContain("Sửa câu hỏi q1");
    const choices = JSON.parse(bank[0].choices) as Choice[];
    const updated = await trainer.post(path, {
      ...question("q1", "single", "Có nên đọc mã OTP cho người khác?", [["Có", false], ["Không", true]], "Mã OTP là bí mật."),
      questionId: String(bank[0].id),
      choice0Id: choices[0].id,
      choice1Id: choices[1].id,
    });
    expect(updated.status).toBe(302);
    const after = await db.quizQuestion.findUniqueOrThrow({ where: { id: bank[0].id } });
    expect(after.prompt).toBe("Có nên đọc mã OTP cho người khác?");
    expect(JSON.parse(after.choices)).toEqual(choices);
  });

  it("publishes version 1 once everything is ready, and nothing when nothing changed", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.get(`/courses/${SLUG}`)).status).toBe(404); // a draft is invisible

    const refused = await trainer.post(COURSE, { intent: "publish" });
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(text).toContain("Có bài giảng chưa được lưu với nội dung hợp lệ");
    expect(text).toContain("Ngân hàng câu hỏi mới có 3 câu, ít hơn số câu mỗi lần kiểm tra (10)");

    const badSettings = await trainer.post(COURSE, settings({ passingScore: "150", intro: "Giới thiệu {1+1}" }));
    expect(badSettings.status).toBe(400);
    const badText = await badSettings.text();
    expect(badText).toContain("Điểm đạt là số phần trăm, từ 1 đến 100.");
    expect((await course()).passingScore).toBe(80);
    const introProblem = await trainer.post(COURSE, settings({ intro: "Giới thiệu {1+1}" }));
    expect(await introProblem.text()).toContain("Dòng 1, cột 12:");
    const savedSettings = await trainer.post(COURSE, settings());
    expect(savedSettings.status).toBe(200);
    expect(await savedSettings.text()).toContain("Đã lưu thông tin chung.");
    expect(await course()).toMatchObject({ quizSize: 3, titleEn: "Digital skills test", selfEnroll: true, sequential: false, intro: "Giới thiệu **ngắn**." });

    const second = await trainer.post(`${COURSE}/lessons/bai-hai`, lessonForm("Nội dung bài hai.\n", { title: "Bài hai" }));
    expect(second.status).toBe(200);

    // An introduction stored before today's checks: refused with a message, never published empty.
    await db.course.update({ where: { slug: SLUG }, data: { intro: "Giới thiệu {1+1}" } });
    const badIntro = await trainer.post(COURSE, { intent: "publish" });
    expect(badIntro.status).toBe(400);
    expect(await badIntro.text()).toContain("Phần giới thiệu của khóa học có lỗi nên chưa hiển thị được.");
    expect(await db.courseVersion.count({ where: { course: { slug: SLUG } } })).toBe(0);
    await db.course.update({ where: { slug: SLUG }, data: { intro: "Giới thiệu **ngắn**." } });

    const published = await trainer.post(COURSE, { intent: "publish" });
    expect(published.status).toBe(200);
    expect(await published.text()).toContain("Đã xuất bản phiên bản 1.");
    // Once published, every learner may see the course's images.
    expect((await (await signedIn("hocvien@p1.vn")).get(`/media/${SLUG}/anh-thu-dang-nhap.png`)).status).toBe(200);
    const unchanged = await trainer.post(COURSE, { intent: "publish" });
    expect(await unchanged.text()).toContain("Không có thay đổi nào so với phiên bản 1");
    expect(await db.courseVersion.count({ where: { course: { slug: SLUG } } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "course.publish", actorId: world.users.trainer.id, outcome: "ok" } })).toBe(2);

    const overview = await (await learner.get(`/courses/${SLUG}`)).text();
    expect(overview).toContain("Kỹ năng số thử nghiệm");
    expect(overview).toContain("<strong>ngắn</strong>");
  });

  it("republishes version 2 while the learner's completed lesson stays completed", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.post(`/courses/${SLUG}`, {})).status).toBe(302);
    expect((await learner.post(`/courses/${SLUG}/bai-mot`, {})).status).toBe(302);
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: world.users.learner.id, course: { slug: SLUG } }, include: { completions: true } });
    const bai1 = (await course()).lessons[0];
    expect(enrollment.completions.map((c) => c.lessonId)).toEqual([bai1.id]);

    // A saved draft change stays invisible to learners until it is published.
    const draft = lessonForm("## Mở đầu\n\nBản nháp chưa xuất bản: thêm mục kiểm tra máy.\n");
    expect((await trainer.post(`${COURSE}/lessons/bai-mot`, draft)).status).toBe(200);
    expect(await (await learner.get(`/courses/${SLUG}/bai-mot`)).text()).not.toContain("Bản nháp chưa xuất bản");
    // The trainer sees at a glance what the draft changes, and which lesson.
    const pending = await (await trainer.get(COURSE)).text();
    expect(pending).toContain("Có thay đổi chưa xuất bản: học viên vẫn học phiên bản 1 cho đến khi bạn bấm Xuất bản.");
    expect(pending).toContain("Bài đã sửa: Bài một");
    expect(pending).toContain("Chưa xuất bản</span>");

    const republished = await trainer.post(COURSE, { intent: "publish" });
    const republishedPage = await republished.text();
    expect(republishedPage).toContain("Đã xuất bản phiên bản 2.");
    expect(republishedPage).toContain("Bản nháp giống phiên bản 2 đang dùng: không có thay đổi chưa xuất bản.");
    const lessonPage = await (await learner.get(`/courses/${SLUG}/bai-mot`)).text();
    expect(lessonPage).toContain("Bản nháp chưa xuất bản");
    expect(lessonPage).toContain("Bạn đã học xong bài này.");
    const v2 = await db.courseVersion.findFirstOrThrow({ where: { course: { slug: SLUG }, number: 2 }, include: { lessons: true } });
    expect(v2.lessons.find((l) => l.slug === "bai-mot")?.lessonId).toBe(bai1.id);

    const history = await (await trainer.get(COURSE)).text();
    expect(history).toContain("Lịch sử xuất bản");
    expect(history).toContain(world.users.trainer.fullName);
    expect(history).toContain("Đã xuất bản — phiên bản 2");
  });

  it("reorders and deletes lessons; double submits are harmless", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const [one] = (await course()).lessons;
    const move = { intent: "moveDown", lessonId: String(one.id), from: "1" };
    expect((await trainer.post(COURSE, move)).status).toBe(200);
    expect((await trainer.post(COURSE, move)).status).toBe(200); // stale position: ignored
    expect((await course()).lessons.map((l) => l.slug)).toEqual(["bai-hai", "bai-mot"]);

    await trainer.post(COURSE, { intent: "addLesson", slug: "bai-ba", title: "Bài ba" });
    const three = (await course()).lessons.find((l) => l.slug === "bai-ba")!;
    const del = { intent: "deleteLesson", lessonId: String(three.id) };
    const deleted = await trainer.post(COURSE, del);
    expect(deleted.status).toBe(200);
    expect(await deleted.text()).toContain("Đã xóa bài giảng khỏi bản nháp.");
    expect((await trainer.post(COURSE, del)).status).toBe(200);
    expect((await course()).lessons.map((l) => [l.slug, l.position])).toEqual([["bai-hai", 1], ["bai-mot", 2]]);
    expect(await db.auditEvent.count({ where: { action: "lesson.delete" } })).toBe(1);
    // Put the order back for the export test.
    await trainer.post(COURSE, { intent: "moveUp", lessonId: String(one.id), from: "2" });
    expect((await course()).lessons.map((l) => l.slug)).toEqual(["bai-mot", "bai-hai"]);
  });
});

describe("other trainers and forged ids", () => {
  it("hides a course of a wider unit from a trainer (404) but lets the province administrator in", async () => {
    const other = await signedIn("giangvien2@p1.vn");
    expect(await (await other.get("/author")).text()).not.toContain("Kỹ năng số thử nghiệm");
    for (const p of [COURSE, `${COURSE}/lessons/bai-mot`, `${COURSE}/quiz`, `${COURSE}/export`]) {
      expect((await other.get(p)).status).toBe(404);
    }
    expect((await other.post(COURSE, { intent: "publish" })).status).toBe(404);
    expect((await other.post(`${COURSE}/lessons/bai-mot`, lessonForm("Chiếm quyền"))).status).toBe(404);
    expect((await course()).lessons[0].source).not.toContain("Chiếm quyền");
    const admin = await signedIn("quantri@p1.vn");
    expect((await admin.get(COURSE)).status).toBe(200);
    // Courses from content/ are the deployment's: open to trainers of a top-level unit only.
    await db.course.create({ data: { slug: "tu-noi-dung", title: "Từ nội dung", category: "other", origin: "content" } });
    expect((await other.get("/author/tu-noi-dung")).status).toBe(404);
    expect((await (await signedIn("giangvien@p1.vn")).get("/author/tu-noi-dung")).status).toBe(200);
  });

  it("answers 404 to ids of another course's lessons and questions", async () => {
    const other = await signedIn("giangvien2@p1.vn");
    await other.post("/author", { intent: "create", slug: "khoa-rieng", title: "Khóa riêng", category: "other" });
    await other.post("/author/khoa-rieng", { intent: "addLesson", slug: "bai-rieng", title: "Bài riêng" });
    const foreign = await db.lesson.findFirstOrThrow({ where: { slug: "bai-rieng" } });
    const trainer = await signedIn("giangvien@p1.vn");
    expect((await trainer.post(COURSE, { intent: "deleteLesson", lessonId: String(foreign.id) })).status).toBe(404);
    expect((await trainer.post(COURSE, { intent: "moveUp", lessonId: String(foreign.id), from: "1" })).status).toBe(404);
    expect((await trainer.post(COURSE, { intent: "deleteLesson", lessonId: "abc" })).status).toBe(404);
    expect(await db.lesson.count({ where: { id: foreign.id } })).toBe(1);

    await other.post("/author/khoa-rieng/quiz", question("x1", "single", "Câu riêng", [["A", true], ["B", false]]));
    const foreignQ = await db.quizQuestion.findFirstOrThrow({ where: { key: "x1" } });
    expect((await trainer.post(`${COURSE}/quiz`, { intent: "delete", questionId: String(foreignQ.id) })).status).toBe(404);
    expect((await trainer.post(`${COURSE}/quiz`, { ...question("x1", "single", "Ghi đè", [["A", true], ["B", false]]), questionId: String(foreignQ.id) })).status).toBe(404);
    expect((await db.quizQuestion.findUniqueOrThrow({ where: { id: foreignQ.id } })).prompt).toBe("Câu riêng");
  });
});

describe("export", () => {
  it("downloads the course with its images in the content/ format, which checks clean and syncs back identically", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const image = `/media/${SLUG}/anh-thu-dang-nhap.png`;
    const withImage = await trainer.post(`${COURSE}/lessons/bai-hai`, lessonForm(`Nội dung bài hai.\n\n<Figure src="${image}" alt="Màn hình đăng nhập" />\n`, { title: "Bài hai" }));
    expect(withImage.status).toBe(200);
    const res = await trainer.get(`${COURSE}/export`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${SLUG}.zip"`);
    const zipped = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const original = await course();
    const files = await exportCourseFiles(original.id);
    expect(Object.keys(files).sort()).toEqual(["course.md", "lessons/01-bai-mot.mdx", "lessons/02-bai-hai.mdx", "media/anh-thu-dang-nhap.png", "quiz.json"]);
    for (const [name, content] of Object.entries(files)) {
      expect(typeof content === "string" ? strFromU8(zipped[`${SLUG}/${name}`]) : Buffer.from(zipped[`${SLUG}/${name}`])).toEqual(
        typeof content === "string" ? content : PNG,
      );
    }

    // Lessons name images by course (/media/<course>/…), so the copy keeps the course's address;
    // the original moves aside to make room for it.
    await db.course.update({ where: { id: original.id }, data: { slug: `${SLUG}-goc` } });
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "kns-export-"));
    try {
      const dir = path.join(root, SLUG);
      for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
      }
      expect(checkContent(root).problems).toEqual([]);
      const { problems, rejected } = await syncContent(root);
      expect(problems).toEqual([]);
      expect(rejected).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
    const copy = await db.course.findUniqueOrThrow({ where: { slug: SLUG }, include: { lessons: { orderBy: { position: "asc" } }, questions: { orderBy: { position: "asc" } } } });
    expect(copy.id).not.toBe(original.id);
    const settingsOf = (c: typeof original) => ({
      title: c.title, titleEn: c.titleEn, summary: c.summary, category: c.category, quizSize: c.quizSize, passingScore: c.passingScore,
      validityMonths: c.validityMonths, selfEnroll: c.selfEnroll, sequential: c.sequential, reviewPolicy: c.reviewPolicy, intro: c.intro,
    });
    expect(settingsOf(copy)).toEqual(settingsOf(original));
    const lessonsOf = (c: typeof original) => c.lessons.map((l) => ({ slug: l.slug, title: l.title, minutes: l.minutes, source: l.source.trim(), html: l.html }));
    expect(lessonsOf(copy)).toEqual(lessonsOf(original));
    expect(copy.lessons[1].html).toContain(`src="${image}"`);
    const questionsOf = (c: typeof original) => c.questions.map((q) => ({ key: q.key, type: q.type, prompt: q.prompt, choices: JSON.parse(q.choices), explanation: q.explanation }));
    expect(questionsOf(copy)).toEqual(questionsOf(original));
    const mediaOf = (courseId: number) => db.media.findMany({ where: { courseId }, select: { name: true, mime: true, size: true, sha256: true, data: true } });
    expect(await mediaOf(copy.id)).toEqual(await mediaOf(original.id));
    expect(copy.publishedVersionId).not.toBeNull();

    // The learner sees the copy's image at the same address.
    const learner = await signedIn("hocvien@p1.vn");
    const served = await learner.get(image);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(PNG)).toBe(true);
  });
});

describe("authoring guide", () => {
  it("shows every component with its source and a rendered example", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const res = await trainer.get("/author/guide");
    expect(res.status).toBe(200);
    const html = await res.text();
    const { MDX_COMPONENT_SPECS } = await import("~/components/mdx");
    for (const name of Object.keys(MDX_COMPONENT_SPECS)) expect(html).toContain(`&lt;${name}&gt;`);
    expect(html).toContain("Hướng dẫn soạn bài giảng");
    expect(html).toContain("<aside");
    expect(html).toContain('src="/media/huong-dan/so-do-quy-trinh.svg"');
    expect(html).toContain("Dòng 1, cột 19:");
    expect((await trainer.get("/media/huong-dan/so-do-quy-trinh.svg")).status).toBe(200);
  });
});
