// Question-bank import and export through the real server and the command line: every format
// (Moodle XML with an embedded image, GIFT in UTF-8 and Windows code pages, Aiken, the XLSX a
// trainer's LibreOffice saves, CSV), hostile and malformed files, who may do it, applying once,
// and the export round trip. A refused file changes nothing.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { zipSync, strToU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCourseFiles } from "~/content/course-export.server";
import { checkContent, syncContent } from "~/content/content-sync.server";
import { readTable } from "~/hr/spreadsheet.server";
import { MDX_RENDERER_VERSION } from "~/content/mdx-compile.server";
import { db } from "~/platform/db.server";
import type { Choice } from "~/utils/course";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client, signedInClient } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const run = promisify(execFile);
const FIXTURES = "tests/fixtures/question-banks";
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;
let tmp: string;

beforeAll(async () => {
  world = await twoProvinces();
  await createUser("giangvien@p2.vn", world.units.b1, [{ role: "trainer", unit: world.units.b }]);
  // A second trainer of the first province: uploads are counted per account (30 per 10 minutes).
  await createUser("giangvien3@p1.vn", world.units.a2, [{ role: "trainer", unit: world.units.a }]);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kns-qbank-"));
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => {
  await server?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

async function newCourse(trainer: Client, slug: string) {
  const res = await trainer.post("/author", { intent: "create", slug, title: `Khóa ${slug}`, category: "egov" });
  expect(res.status).toBe(302);
  return db.course.findUniqueOrThrow({ where: { slug } });
}

/** Posts a file to the import page as the browser's form does. */
async function upload(client: Client, slug: string, bytes: Uint8Array | string, name: string, origin: string | null = server.url) {
  const body = new FormData();
  body.set("intent", "check");
  body.set("file", new Blob([typeof bytes === "string" ? bytes : new Uint8Array(bytes)]), name);
  const headers: Record<string, string> = { Cookie: client.cookieHeader() };
  if (origin) headers.Origin = origin;
  return fetch(`${server.url}/author/${slug}/quiz/import`, { method: "POST", body, headers, redirect: "manual" });
}

const uploadIdOf = (html: string) => Number(/name="upload" value="(\d+)"/.exec(html)?.[1]);

async function apply(client: Client, slug: string, uploadId: number) {
  return client.post(`/author/${slug}/quiz/import`, { intent: "apply", upload: String(uploadId) });
}

async function bank(courseId: number) {
  const rows = await db.quizQuestion.findMany({ where: { courseId }, orderBy: { position: "asc" } });
  return rows.map((q) => ({ key: q.key, type: q.type, prompt: q.prompt, choices: JSON.parse(q.choices) as Choice[], explanation: q.explanation, image: q.image, imageAlt: q.imageAlt }));
}

/** What makes two questions the same, whatever key or choice ids they were given. */
const essence = (q: { type: string; prompt: string; choices: Choice[]; explanation: string }) => ({
  type: q.type,
  prompt: q.prompt,
  choices: q.choices.map((c) => [q.type === "truefalse" ? c.id : c.text, c.correct]),
  explanation: q.explanation,
});

async function kns(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("npm", ["run", "--silent", "kns", "--", ...args], { env: process.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Nothing of an import was written: same bank, same media, same kept uploads. */
async function unchanged(courseId: number, action: () => Promise<void>) {
  const before = { q: await db.quizQuestion.count({ where: { courseId } }), m: await db.media.count({ where: { courseId } }), u: await db.questionImport.count({ where: { courseId } }) };
  await action();
  expect({ q: await db.quizQuestion.count({ where: { courseId } }), m: await db.media.count({ where: { courseId } }), u: await db.questionImport.count({ where: { courseId } }) }).toEqual(before);
}

describe("who may import and export", () => {
  it("refuses learners (403), trainers of other units (404) and cross-site posts (403)", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const course = await newCourse(trainer, "quyen-nhap");
    const learner = await signedIn("hocvien@p1.vn");
    const other = await signedIn("giangvien@p2.vn");
    for (const path of ["/author/quyen-nhap/quiz/import", "/author/quyen-nhap/quiz/export?format=gift", "/author/quyen-nhap/quiz/template?format=xlsx"]) {
      expect((await learner.get(path)).status).toBe(403);
      expect((await other.get(path)).status).toBe(404);
      expect((await trainer.get(path)).status).toBe(200);
    }
    expect((await trainer.get("/author/quyen-nhap/quiz/export?format=docx")).status).toBe(404);
    expect((await trainer.get("/author/khong-co/quiz/import")).status).toBe(404);
    await unchanged(course.id, async () => {
      expect((await upload(learner, "quyen-nhap", fixture("aiken.txt"), "aiken.txt")).status).toBe(403);
      expect((await upload(other, "quyen-nhap", fixture("aiken.txt"), "aiken.txt")).status).toBe(404);
      // CSRF: the trainer's cookie sent by another site's form.
      expect((await upload(trainer, "quyen-nhap", fixture("aiken.txt"), "aiken.txt", "https://evil.example")).status).toBe(403);
      expect((await upload(trainer, "quyen-nhap", fixture("aiken.txt"), "aiken.txt", null)).status).toBe(403);
    });
    // Another trainer cannot apply someone's preview, even with its id.
    const mine = await upload(trainer, "quyen-nhap", fixture("aiken.txt"), "aiken.txt");
    const id = uploadIdOf(await mine.text());
    expect(id).toBeGreaterThan(0);
    expect((await apply(other, "quyen-nhap", id)).status).toBe(404);
    const otherCourse = await newCourse(await signedIn("giangvien@p2.vn"), "khoa-tinh-hai");
    await unchanged(otherCourse.id, async () => {
      expect((await apply(other, "khoa-tinh-hai", id)).status).toBe(410);
    });
    expect(await db.quizQuestion.count({ where: { courseId: course.id } })).toBe(0);
  });
});

describe("Moodle XML", () => {
  it("previews (skipped types named, categories, encoding, image), applies once, keeps the image as course media", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const course = await newCourse(trainer, "nhap-moodle");
    const res = await upload(trainer, "nhap-moodle", fixture("moodle-4x.xml"), "moodle-4x.xml");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Định dạng: Moodle XML. Bảng mã: UTF-8.");
    expect(html).toContain("Sẽ thêm 4 câu hỏi vào bản nháp; bỏ qua 2 câu thuộc loại không chấm được.");
    expect(html).toContain("Câu 4, dòng 142: tự luận — “Tự luận về lừa đảo”");
    expect(html).toContain("Câu 6, dòng 229: trả lời ngắn — “Tổng đài”");
    expect(html).toContain("Mặc định cho Kỹ năng số/Nhận diện lừa đảo");
    expect(html).toContain("bieu-tuong-khoa.png (mới, 1 KB)");
    // The question text is shown as text: the file's script is gone, never markup.
    expect(html).not.toContain("alert(");
    // A preview writes nothing to the bank.
    expect(await db.quizQuestion.count({ where: { courseId: course.id } })).toBe(0);
    expect(await db.media.count({ where: { courseId: course.id } })).toBe(0);

    const id = uploadIdOf(html);
    const applied = await apply(trainer, "nhap-moodle", id);
    expect(applied.status).toBe(302);
    expect(applied.headers.get("location")).toBe("/author/nhap-moodle/quiz?imported=4");
    const questions = await bank(course.id);
    expect(questions.map((q) => [q.key, q.type])).toEqual([
      ["MK-01", "single"],
      ["imp-1", "multiple"],
      ["imp-2", "truefalse"],
      ["imp-3", "single"],
    ]);
    expect(questions[0]).toMatchObject({
      prompt: "Mật khẩu nào dưới đây mạnh nhất?",
      choices: [
        { id: "a", text: "123456", correct: false },
        { id: "b", text: "Tr@m-Xanh-2026!", correct: true },
        { id: "c", text: "ngaysinh1990", correct: false },
      ],
      explanation: "Mật khẩu mạnh dài, có chữ hoa, chữ thường, số và ký tự đặc biệt.\n“123456”: Dãy số liên tiếp bị dò ra đầu tiên.",
    });
    expect(questions[1].prompt).toBe("Những việc nào giúp bảo vệ tài khoản công vụ?\n\n- Chọn mọi đáp án đúng.");
    expect(questions[1].choices.map((c) => [c.text, c.correct])).toEqual([
      ["Bật xác thực hai lớp", true],
      ["Dùng chung mật khẩu cho mọi tài khoản", false],
      ["Cập nhật phần mềm & hệ điều hành", true],
    ]);
    expect(questions[2].choices).toEqual([
      { id: "true", text: "Đúng", correct: false },
      { id: "false", text: "Sai", correct: true },
    ]);
    expect(questions[3]).toMatchObject({ image: "bieu-tuong-khoa.png", imageAlt: "Biểu tượng ổ khóa trên thanh địa chỉ" });
    const media = await db.media.findFirstOrThrow({ where: { courseId: course.id, name: "bieu-tuong-khoa.png" } });
    expect(media.mime).toBe("image/png");
    expect(media.size).toBe(70);
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "question.import", targetId: String(course.id), outcome: "ok" } });
    expect(JSON.parse(audit.detail)).toMatchObject({ format: "moodle-xml", added: 4, skipped: 2, images: 1 });

    // A double submit of "apply" adds nothing more.
    const again = await apply(trainer, "nhap-moodle", id);
    expect(again.headers.get("location")).toBe("/author/nhap-moodle/quiz?imported=4&again=1");
    expect(await db.quizQuestion.count({ where: { courseId: course.id } })).toBe(4);
    const page = await (await trainer.get("/author/nhap-moodle/quiz?imported=4&again=1")).text();
    expect(page).toContain("Tệp này đã được nhập (4 câu hỏi); không thêm lần nữa.");
    expect(page).toContain('src="/media/nhap-moodle/bieu-tuong-khoa.png" alt="Biểu tượng ổ khóa trên thanh địa chỉ"');
    // The applied upload keeps no bytes.
    expect((await db.questionImport.findUniqueOrThrow({ where: { id } })).data.byteLength).toBe(0);

    // The same file again: new keys, the image found in the library, the duplicates flagged.
    const second = await (await upload(trainer, "nhap-moodle", fixture("moodle-4x.xml"), "moodle-4x.xml")).text();
    expect(second).toContain("bieu-tuong-khoa.png (đã có trong thư viện)");
    expect(second).toContain("Ngân hàng đã có câu cùng nội dung");
    expect(second).toContain("<code>MK-01-2</code>");
  });

  it("carries the image through publishing and the content/ format", async () => {
    const course = await db.course.findUniqueOrThrow({ where: { slug: "nhap-moodle" } });
    await db.lesson.create({ data: { courseId: course.id, slug: "bai-mot", position: 1, title: "Bài một", source: "Nội dung.", sourceHash: "h", html: "<p>Nội dung.</p>", rendererVersion: MDX_RENDERER_VERSION } });
    await db.course.update({ where: { id: course.id }, data: { quizSize: 4 } });
    const trainer = await signedIn("giangvien@p1.vn");
    const published = await trainer.post("/author/nhap-moodle", { intent: "publish" });
    expect(published.status).toBeLessThan(400);
    const version = await db.courseVersion.findFirstOrThrow({ where: { courseId: course.id }, include: { questions: true } });
    expect(version.questions.find((q) => q.key === "imp-3")).toMatchObject({ image: "bieu-tuong-khoa.png", imageAlt: "Biểu tượng ổ khóa trên thanh địa chỉ" });
    const files = await exportCourseFiles(course.id);
    const quiz = JSON.parse(files["quiz.json"] as string) as { questions: { id: string; image?: string; imageAlt?: string }[] };
    expect(quiz.questions.find((q) => q.id === "imp-3")).toMatchObject({ image: "bieu-tuong-khoa.png", imageAlt: "Biểu tượng ổ khóa trên thanh địa chỉ" });
    expect(quiz.questions.find((q) => q.id === "MK-01")).not.toHaveProperty("image");
    expect(files["media/bieu-tuong-khoa.png"]).toBeInstanceOf(Uint8Array);

    // The learner's quiz shows the picture with its description, and no answer key.
    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.post("/courses/nhap-moodle", {})).status).toBe(302);
    const started = await learner.post("/courses/nhap-moodle/quiz", { intent: "start" });
    expect(started.status).toBe(302);
    const quizPage = await (await learner.get(started.headers.get("location")!)).text();
    expect(quizPage).toContain('src="/media/nhap-moodle/bieu-tuong-khoa.png" alt="Biểu tượng ổ khóa trên thanh địa chỉ"');
    expect(quizPage).not.toContain('"correct"');
    expect((await learner.get("/media/nhap-moodle/bieu-tuong-khoa.png")).status).toBe(200);
  });
});

describe("the content/ format", () => {
  it("takes a question's image from the course's media/ folder, and names a missing one", async () => {
    const dir = path.join(tmp, "content", "khoa-anh");
    fs.cpSync("tests/fixtures/content/courses/khoa-thu", dir, { recursive: true });
    const quizFile = path.join(dir, "quiz.json");
    const quiz = JSON.parse(fs.readFileSync(quizFile, "utf8")) as { questions: Record<string, unknown>[] };
    Object.assign(quiz.questions[0], { image: "so-do.png", imageAlt: "Sơ đồ ký số" });
    fs.writeFileSync(quizFile, JSON.stringify(quiz, null, 2));
    const missing = checkContent(path.join(tmp, "content")).problems;
    expect(missing).toEqual([expect.objectContaining({ key: "qbank.content.imageMissing", params: { id: quiz.questions[0].id, image: "so-do.png" } })]);
    fs.mkdirSync(path.join(dir, "media"));
    // A 1×1 transparent PNG.
    fs.writeFileSync(path.join(dir, "media", "so-do.png"), Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64"));
    expect(checkContent(path.join(tmp, "content")).problems).toEqual([]);
    const { problems } = await syncContent(path.join(tmp, "content"));
    expect(problems).toEqual([]);
    const stored = await db.quizQuestion.findFirstOrThrow({ where: { course: { slug: "khoa-anh" }, key: String(quiz.questions[0].id) } });
    expect(stored).toMatchObject({ image: "so-do.png", imageAlt: "Sơ đồ ký số" });
  });
});

describe("GIFT, Aiken and spreadsheets", () => {
  it("reads Moodle's GIFT export: escapes, weights, feedback, true/false, and names the types it skips", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const course = await newCourse(trainer, "nhap-gift");
    const html = await (await upload(trainer, "nhap-gift", fixture("moodle-4x.gift.txt"), "moodle-4x.gift.txt")).text();
    expect(html).toContain("Định dạng: GIFT. Bảng mã: UTF-8.");
    for (const skipped of ["Câu 4, dòng 24: tự luận", "Câu 5, dòng 27: trả lời ngắn", "Câu 6, dòng 32: ghép nối", "Câu 7, dòng 39: câu trả lời số"]) expect(html).toContain(skipped);
    expect((await apply(trainer, "nhap-gift", uploadIdOf(html))).status).toBe(302);
    const questions = await bank(course.id);
    expect(questions.map((q) => [q.key, q.type])).toEqual([
      ["MK-01", "single"],
      ["imp-1", "multiple"],
      ["imp-2", "truefalse"],
      ["imp-3", "single"],
    ]);
    expect(questions[2].explanation).toBe("Không bao giờ đọc mã OTP cho bất kỳ ai.\n“Đúng”: Kẻ gian thường giả danh ngân hàng.\n“Sai”: Chính xác.");
    expect(questions[3].prompt).toBe("Biểu thức a = b {c} ~ d # e đúng ở mức nào: cao hay thấp?");
  });

  it("converts Windows-1252 and Windows-1258 files, and refuses text that cannot be right", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const course = await newCourse(trainer, "nhap-bang-ma");
    const western = await (await upload(trainer, "nhap-bang-ma", fixture("windows-1252.gift.txt"), "cu.gift")).text();
    expect(western).toContain("Bảng mã: Windows-1252 (Tây Âu), đã chuyển sang UTF-8.");
    expect((await apply(trainer, "nhap-bang-ma", uploadIdOf(western))).status).toBe(302);
    const vietnamese = await (await upload(trainer, "nhap-bang-ma", fixture("windows-1258.gift.txt"), "vn.txt")).text();
    expect(vietnamese).toContain("Bảng mã: Windows-1258 (tiếng Việt), đã chuyển sang UTF-8.");
    expect((await apply(trainer, "nhap-bang-ma", uploadIdOf(vietnamese))).status).toBe(302);
    const questions = await bank(course.id);
    expect(questions[0].prompt).toBe("Is it safe to log in to the ministry’s portal over the café’s open Wi-Fi?");
    expect(questions[0].choices[2].text).toBe("Yes, if the Wi-Fi costs more than 5 €");
    expect(questions[2].prompt).toBe("Khi nhận cuộc gọi tự xưng là công an yêu cầu chuyển tiền, cán bộ nên làm gì?");
    expect(questions[2].prompt).toBe(questions[2].prompt.normalize("NFC"));

    await unchanged(course.id, async () => {
      // "Kỹ năng số" typed with the TCVN3 font (bytes as the old ABC fonts store them).
      const tcvn3 = Buffer.from([..."::a::K".split("").map((c) => c.charCodeAt(0)), 0xfc, 0x20, 0x6e, 0xa8, 0x6e, 0x67, 0x20, 0x73, 0xe8, ..."{=Vi".split("").map((c) => c.charCodeAt(0)), 0xd6, 0x74, 0x20, 0x4e, 0xa8, 0x6d, 0x20, 0x6e, 0xa8, 0x6d, ..." ~Kh".split("").map((c) => c.charCodeAt(0)), 0xb8, 0x63, 0x7d]);
      const legacy = await upload(trainer, "nhap-bang-ma", tcvn3, "tcvn3.txt");
      expect(legacy.status).toBe(400);
      expect(await legacy.text()).toContain("phông chữ tiếng Việt cũ (TCVN3/ABC hoặc VNI)");
      const lost = await upload(trainer, "nhap-bang-ma", "::a::Vi?t Nam c? bao nhi?u t?nh?{=34 ~63}\n", "ansi.txt");
      expect(await lost.text()).toContain("Tệp đã mất các chữ có dấu");
      const binary = await upload(trainer, "nhap-bang-ma", new Uint8Array([0x47, 0x49, 0x00, 0x01, 0x02]), "x.gift");
      expect(await binary.text()).toContain("Tệp không phải là văn bản.");
    });
  });

  it("reads Aiken, the XLSX LibreOffice saved, CSV, and its own template", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const course = await newCourse(trainer, "nhap-bang-tinh");
    const aiken = await (await upload(trainer, "nhap-bang-tinh", fixture("aiken.txt"), "aiken.txt")).text();
    expect(aiken).toContain("Định dạng: Aiken.");
    expect((await apply(trainer, "nhap-bang-tinh", uploadIdOf(aiken))).status).toBe(302);
    const xlsx = await (await upload(trainer, "nhap-bang-tinh", fixture("ngan-hang-cau-hoi.xlsx"), "ngan-hang-cau-hoi.xlsx")).text();
    expect(xlsx).toContain("Định dạng: Bảng tính Excel (XLSX).");
    expect(xlsx).toContain("Câu 4, dòng 5: Tự luận — “DVC-04”");
    expect((await apply(trainer, "nhap-bang-tinh", uploadIdOf(xlsx))).status).toBe(302);
    const csv = await (await upload(trainer, "nhap-bang-tinh", fixture("ngan-hang-cau-hoi.csv"), "ngan-hang-cau-hoi.csv")).text();
    expect(csv).toContain("<code>DVC-01-2</code>");
    const questions = await bank(course.id);
    expect(questions.map((q) => [q.key, q.type])).toEqual([
      ["imp-1", "single"],
      ["imp-2", "single"],
      ["DVC-01", "single"],
      ["DVC-02", "multiple"],
      ["imp-3", "truefalse"],
    ]);
    expect(questions[1].choices.map((c) => c.correct)).toEqual([false, false, true]);
    expect(questions[3]).toMatchObject({ prompt: "Những giấy tờ nào có thể tích hợp vào ứng dụng VNeID?", explanation: "Giấy phép lái xe và thẻ bảo hiểm y tế được tích hợp." });
    expect(questions[4].choices).toEqual([
      { id: "true", text: "Đúng", correct: true },
      { id: "false", text: "Sai", correct: false },
    ]);

    const template = await trainer.get("/author/nhap-bang-tinh/quiz/template?format=xlsx");
    expect(template.headers.get("content-type")).toContain("spreadsheetml");
    const bytes = new Uint8Array(await template.arrayBuffer());
    expect(readTable("mau.xlsx", bytes).headers.slice(0, 4)).toEqual(["Mã câu hỏi", "Nhóm", "Loại", "Câu hỏi"]);
    const fromTemplate = await (await upload(trainer, "nhap-bang-tinh", bytes, "mau-cau-hoi.xlsx")).text();
    expect(fromTemplate).toContain("Sẽ thêm 3 câu hỏi vào bản nháp; bỏ qua 0 câu");
  });
});

describe("hostile and malformed files", () => {
  it("refuses entity expansion, external entities, ZIPs in disguise, oversized files and broken syntax, writing nothing", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const course = await newCourse(trainer, "nhap-doc-hai");
    const laughs = `<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`).join("\n")}\n]>\n<quiz><question type="multichoice"><name><text>&lol9;</text></name></question></quiz>`;
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<quiz><question type="truefalse"><questiontext><text>&xxe;</text></questiontext></question></quiz>`;
    const zip = zipSync({ "word/document.xml": strToU8("<w:document/>") });
    const cases: [Uint8Array | string, string, number, string][] = [
      [laughs, "lol.xml", 400, "Tệp XML có khai báo DOCTYPE (dòng 2)"],
      [xxe, "xxe.xml", 400, "Tệp XML có khai báo DOCTYPE (dòng 2)"],
      [zip, "cau-hoi.xml", 400, "Đây là tệp nén (ZIP)"],
      [zip, "cau-hoi.gift", 400, "Đây là tệp nén (ZIP)"],
      ["%PDF-1.4\n1 0 obj<<>>endobj\n", "cau-hoi.xml", 400, "Đây là tệp PDF, không phải tệp câu hỏi."],
      ["<quiz>\n<question type=\"multichoice\">\n<name><text>x</text></name>\n</quiz>\n", "hong.xml", 400, "Tệp XML sai cú pháp ở dòng 4."],
      ["<quiz><question type=\"multichoice\"><name><text>a &nbsp; b</text></name></question></quiz>", "entity.xml", 400, "Tệp XML sai cú pháp ở dòng 1."],
      ["::a::Câu hỏi {\n=Đúng\n~Sai\n\n::b::Câu khác {=x ~y}\n", "hong.gift", 400, "Dòng 1: dấu ngoặc nhọn {…} của phần đáp án không khớp."],
      ["::a::Câu {=x ~%abc%y}\n", "w.gift", 400, "Dòng 1: điểm phần trăm của đáp án viết sai"],
      ["Câu hỏi?\nA. Một\nB. Hai\nANSWER: C\n", "aiken.txt", 400, "Dòng 4: đáp án “C” không phải là chữ cái của một phương án."],
      ["::e::Tự luận {}\n\n::m::Ghép {=a -> b =c -> d}\n", "tu-luan.gift", 400, "Tệp không có câu hỏi nào thuộc loại chấm được"],
      ["", "rong.gift", 400, "Hãy chọn một tệp câu hỏi."],
      ["Không có gì ở đây", "x.xlsx", 400, "Không đọc được tệp bảng tính"],
    ];
    await unchanged(course.id, async () => {
      for (const [bytes, name, status, message] of cases) {
        const res = await upload(trainer, "nhap-doc-hai", bytes, name);
        expect(res.status, name).toBe(status);
        expect(await res.text(), name).toContain(message);
      }
      // A zip bomb named like a workbook: stopped while inflating, before the spreadsheet reader.
      const bomb = zipSync({ "[Content_Types].xml": strToU8("<Types/>"), "xl/worksheets/sheet1.xml": new Uint8Array(70 * 1024 * 1024) }, { level: 9 });
      expect(bomb.byteLength).toBeLessThan(1024 * 1024);
      const bombed = await upload(trainer, "nhap-doc-hai", bomb, "cau-hoi.xlsx");
      expect(bombed.status).toBe(400);
      expect(await bombed.text()).toContain("Bảng tính quá lớn.");
      // Past the 10 MB cap (and under the server's 12 MB body limit): refused with the reason.
      const big = await upload(trainer, "nhap-doc-hai", `// ${"x".repeat(10.5 * 1024 * 1024)}\n`, "lon.gift");
      expect(big.status).toBe(413);
      expect(await big.text()).toContain("Tệp lớn hơn 10 MB.");
    });
  });

  it("counts uploads per account: the 31st check in ten minutes waits", async () => {
    await createUser("giangvien4@p1.vn", world.units.a2, [{ role: "trainer", unit: world.units.a }]);
    const trainer = await signedIn("giangvien4@p1.vn");
    const course = await db.course.findUniqueOrThrow({ where: { slug: "nhap-doc-hai" } });
    await unchanged(course.id, async () => {
      for (let i = 0; i < 30; i++) expect((await upload(trainer, "nhap-doc-hai", "", "rong.gift")).status).toBe(400);
      const throttled = await upload(trainer, "nhap-doc-hai", fixture("aiken.txt"), "aiken.txt");
      expect(throttled.status).toBe(429);
      expect(await throttled.text()).toContain("Anh/chị đã tải lên quá nhiều tệp.");
    });
  });

  it("refuses a file whose questions break the bank's rules, naming each question, and imports none of it", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const course = await newCourse(trainer, "nhap-sai-luat");
    const gift = [
      "::tot::Câu hợp lệ {=Có ~Không}",
      "",
      "::hai::Câu một đáp án nhưng hai đúng {=A =B ~C}",
      "",
      "::mot::Nhiều đáp án mà chỉ một đúng {~%100%A ~%0%B ~%0%C}",
      "",
      `::chin::Chín phương án {=1 ${Array.from({ length: 8 }, (_, i) => `~${i + 2}`).join(" ")}}`,
      "",
    ].join("\n");
    await unchanged(course.id, async () => {
      const res = await upload(trainer, "nhap-sai-luat", gift, "luat.gift");
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain("Chưa nhập câu hỏi nào: tệp “luat.gift” có lỗi cần sửa.");
      expect(html).toContain("Câu 2 (dòng 3): câu một đáp án nhưng có 2 đáp án đúng.");
      expect(html).toContain("Câu 3 (dòng 5): câu nhiều đáp án cần ít nhất 2 đáp án đúng.");
      expect(html).toContain("Câu 4 (dòng 7): tối đa 8 phương án (có 9).");
    });
    // An image that is not a picture, in Moodle XML: the question's number is named.
    const xml = fs.readFileSync(path.join(FIXTURES, "moodle-4x.xml"), "utf8").replace(/iVBORw0KGgo[^<]+/, Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>").toString("base64"));
    await unchanged(course.id, async () => {
      const res = await upload(trainer, "nhap-sai-luat", xml, "svg.xml");
      expect(await res.text()).toContain("Câu 5 (dòng 185): hình “bieu tuong khoa.png” không phải ảnh PNG, JPEG, GIF hoặc WebP.");
    });
  });
});

describe("export and the command line", () => {
  it("exports Moodle XML and GIFT that import back as the same questions", async () => {
    const trainer = await signedIn("giangvien3@p1.vn");
    const source = await db.course.findUniqueOrThrow({ where: { slug: "nhap-moodle" } });
    const original = await bank(source.id);

    const xml = await trainer.get("/author/nhap-moodle/quiz/export?format=xml");
    expect(xml.status).toBe(200);
    expect(xml.headers.get("content-disposition")).toBe('attachment; filename="nhap-moodle-cau-hoi.xml"');
    const xmlText = await xml.text();
    expect(xmlText).toContain('<file name="bieu-tuong-khoa.png" path="/" encoding="base64">');
    const xmlTarget = await newCourse(trainer, "khu-hoi-xml");
    const xmlPreview = await (await upload(trainer, "khu-hoi-xml", xmlText, "export.xml")).text();
    expect((await apply(trainer, "khu-hoi-xml", uploadIdOf(xmlPreview))).status).toBe(302);
    const xmlBack = await bank(xmlTarget.id);
    expect(xmlBack.map(essence)).toEqual(original.map(essence));
    expect(xmlBack.map((q) => q.key)).toEqual(original.map((q) => q.key));
    expect(xmlBack.map((q) => [q.image, q.imageAlt])).toEqual(original.map((q) => [q.image, q.imageAlt]));
    const image = (slug: string) => db.media.findFirstOrThrow({ where: { course: { slug }, name: "bieu-tuong-khoa.png" } });
    expect(Buffer.from((await image("khu-hoi-xml")).data)).toEqual(Buffer.from((await image("nhap-moodle")).data));

    const gift = await trainer.get("/author/nhap-moodle/quiz/export?format=gift");
    expect(gift.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const giftTarget = await newCourse(trainer, "khu-hoi-gift");
    const giftPreview = await (await upload(trainer, "khu-hoi-gift", await gift.text(), "export.gift.txt")).text();
    expect((await apply(trainer, "khu-hoi-gift", uploadIdOf(giftPreview))).status).toBe(302);
    const giftBack = await bank(giftTarget.id);
    expect(giftBack.map(essence)).toEqual(original.map(essence));
    expect(giftBack.map((q) => q.key)).toEqual(original.map((q) => q.key));
    const audits = await db.auditEvent.count({ where: { action: "question.export", targetId: String(source.id) } });
    expect(audits).toBe(2);
  });

  it("imports with npm run kns -- import-questions, checking only with --dry-run", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const course = await newCourse(trainer, "nhap-dong-lenh");
    const dry = await kns("import-questions", "nhap-dong-lenh", path.join(FIXTURES, "moodle-4x.xml"), "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("moodle-4x.xml: Moodle XML, bảng mã UTF-8.");
    expect(dry.stdout).toContain("bỏ qua câu 4: tự luận");
    expect(dry.stdout).toContain("câu 5 → imp-3 (Một đáp án đúng, 2 phương án, bieu-tuong-khoa.png)");
    expect(dry.stdout).toContain("Kiểm tra xong: 4 câu hỏi sẽ được thêm, 2 câu bị bỏ qua. Chưa thêm gì (--dry-run).");
    expect(await db.quizQuestion.count({ where: { courseId: course.id } })).toBe(0);

    const real = await kns("import-questions", "nhap-dong-lenh", path.join(FIXTURES, "ngan-hang-cau-hoi.xlsx"));
    expect(real.code).toBe(0);
    expect(real.stdout).toContain("Đã thêm 3 câu hỏi vào bản nháp của “nhap-dong-lenh”; 1 câu bị bỏ qua.");
    expect((await bank(course.id)).map((q) => q.key)).toEqual(["DVC-01", "DVC-02", "imp-1"]);
    expect(await db.auditEvent.count({ where: { action: "question.import", targetId: String(course.id), ip: "cli" } })).toBe(1);

    const broken = path.join(tmp, "hong.gift");
    fs.writeFileSync(broken, "::a::Câu {=x ~y\n");
    await unchanged(course.id, async () => {
      const refused = await kns("import-questions", "nhap-dong-lenh", broken);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain("Không nhập câu hỏi nào:");
      expect(refused.stderr).toContain("Dòng 1: dấu ngoặc nhọn {…} của phần đáp án không khớp.");
    });
    expect((await kns("import-questions", "khong-co-khoa", broken)).stderr).toContain("Không có khóa học “khong-co-khoa”.");
  });
});
