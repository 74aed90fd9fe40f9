// content-check and content-sync as an administrator runs them: `npm run kns -- …` in a child
// process, on broken course folders. Each problem is one `file:line:column: message` line, the
// exit code is not zero, and a broken course changes nothing in the database.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";

const run = promisify(execFile);
const BROKEN = "tests/fixtures/content/broken";
const VALID = "tests/fixtures/content/courses/khoa-thu";
// A 1×1 transparent PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

async function kns(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return knsWith(process.env, ...args);
}

async function knsWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("npm", ["run", "--silent", "kns", "--", ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const lines = (text: string) => text.split("\n").filter((l) => l !== "");

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kns-content-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of the valid test course under `<tmp>/<name>/courses/<slug>`, to break on purpose. */
function copyOfValidCourse(name: string, slug = "khoa-thu"): { root: string; dir: string } {
  const root = path.join(tmp, name);
  const dir = path.join(root, "courses", slug);
  fs.cpSync(VALID, dir, { recursive: true });
  return { root, dir };
}

describe("content-check on broken courses", () => {
  it("prints every problem as file:line:column: message and exits with 1", async () => {
    const { code, stdout, stderr } = await kns("content-check", BROKEN);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(lines(stderr)).toEqual([
      `${BROKEN}/bai-hong/course.md:4:1: category phải là một trong: egov, security, payment, other`,
      `${BROKEN}/bai-hong/lessons/01-bai-mot.mdx:8:1: Thẻ <Callout> được mở nhưng chưa đóng. Hãy thêm </Callout> trên một dòng riêng, có dòng trống phía trước.`,
      `${BROKEN}/bai-hong/lessons/02-bai-hai.mdx:8:1: Không có thành phần <YouTube>. Chỉ được dùng các thành phần: Callout, Steps, Term, Checklist, Figure, Screenshot, Video, Audio, Attachment (viết đúng chữ hoa, chữ thường).`,
      `${BROKEN}/cau-hoi-sai/quiz.json:5:13: câu thứ 2: câu q2: chưa có đáp án đúng`,
      // The duplicate is reported where it is written, not at the first "q1".
      `${BROKEN}/cau-hoi-sai/quiz.json:8:13: mã câu hỏi "q1" bị trùng với câu thứ 1`,
      `${BROKEN}/gioi-thieu-loi/media/so-do.png:1:1: tệp không phải ảnh PNG, JPEG, WebP hay GIF hợp lệ`,
      // The introduction under the frontmatter is checked like a lesson, at the file's own lines.
      `${BROKEN}/gioi-thieu-loi/course.md:13:19: Không được dùng biểu thức {…} trong bài giảng (dấu ngoặc nhọn dùng để chạy mã lệnh). Muốn hiện dấu ngoặc nhọn, hãy viết \\{ và \\}.`,
      `${BROKEN}/gioi-thieu-loi/lessons/01-bai-mot.mdx:8:9: không có ảnh /media/gioi-thieu-loi/khong-co.png: ảnh của khóa học phải nằm trong thư mục media/ và được gọi là /media/gioi-thieu-loi/tên-tệp`,
      `${BROKEN}/gioi-thieu-loi/lessons/01-bai-mot.mdx:10:1: không có ảnh /media/gioi-thieu-loi/so-do.png: ảnh của khóa học phải nằm trong thư mục media/ và được gọi là /media/gioi-thieu-loi/tên-tệp`,
      `${BROKEN}/json-hong/quiz.json:5:3: JSON không hợp lệ: ký tự không đúng chỗ (thường do thừa hoặc thiếu dấu phẩy, dấu ngoặc hay dấu ngoặc kép)`,
    ]);
  });

  it("speaks English with KNS_LANG=en, at the same places", async () => {
    const { code, stderr } = await knsWith({ ...process.env, KNS_LANG: "en" }, "content-check", BROKEN);
    expect(code).toBe(1);
    const english = lines(stderr);
    expect(english).toContain(
      `${BROKEN}/bai-hong/lessons/02-bai-hai.mdx:8:1: There is no component <YouTube>. Only these components may be used: Callout, Steps, Term, Checklist, Figure, Screenshot, Video, Audio, Attachment (with exactly this capitalisation).`,
    );
    expect(english).toContain(`${BROKEN}/bai-hong/course.md:4:1: category must be one of: egov, security, payment, other`);
    expect(english).toContain(`${BROKEN}/cau-hoi-sai/quiz.json:5:13: question 2: question q2: no correct answer is marked`);
    // Same problems at the same places as in Vietnamese, and no Vietnamese left.
    const places = (text: string) => lines(text).map((l) => l.split(": ")[0]);
    expect(places(stderr)).toEqual(places((await kns("content-check", BROKEN)).stderr));
    expect(stderr).not.toMatch(/[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i);

    const sync = await knsWith({ ...process.env, KNS_LANG: "en" }, "content-sync", BROKEN);
    expect(sync.code).toBe(1);
    expect(lines(sync.stderr)).toContain("bai-hong: has errors; nothing was loaded or published.");
    expect(await db.course.count()).toBe(0);
  });

  it("refuses an oversized quiz bank and an oversized lesson without reading them further", async () => {
    const { root, dir } = copyOfValidCourse("qua-lon");
    const question = { id: "q", type: "single", prompt: "Câu hỏi?", choices: [{ id: "a", text: "Có", correct: true }, { id: "b", text: "Không" }] };
    const bank = { questions: Array.from({ length: 8000 }, (_, i) => ({ ...question, id: `q${i}` })) };
    fs.writeFileSync(path.join(dir, "quiz.json"), JSON.stringify(bank, null, 2));
    expect(fs.statSync(path.join(dir, "quiz.json")).size).toBeGreaterThan(1024 * 1024);
    fs.writeFileSync(path.join(dir, "lessons/03-bai-dai.mdx"), `---\ntitle: "Bài dài"\n---\n\n${"Nội dung rất dài. ".repeat(15_000)}\n`);
    const { code, stderr } = await kns("content-check", root);
    expect(code).toBe(1);
    expect(lines(stderr)).toEqual([
      `${dir}/lessons/03-bai-dai.mdx:1:1: bài giảng quá dài (tối đa 200 KB)`,
      `${dir}/quiz.json:1:1: ngân hàng câu hỏi quá lớn (tối đa 1 MB)`,
    ]);
  });

  it("checks that every /media/ image of a lesson is in the course's media/ folder", async () => {
    const { root, dir } = copyOfValidCourse("anh");
    fs.mkdirSync(path.join(dir, "media"));
    fs.writeFileSync(path.join(dir, "media", "so-do.png"), PNG);
    const lesson = path.join(dir, "lessons/01-bai-mot.mdx");
    fs.appendFileSync(lesson, '\n<Figure src="/media/khoa-thu/so-do.png" alt="Sơ đồ" />\n');
    expect(await kns("content-check", root)).toMatchObject({ code: 0, stderr: "" });

    fs.appendFileSync(lesson, "\n![Sơ đồ của khóa khác](/media/khoa-khac/so-do.png)\n");
    const { code, stderr } = await kns("content-check", root);
    expect(code).toBe(1);
    const line = fs.readFileSync(lesson, "utf8").split("\n").indexOf("![Sơ đồ của khóa khác](/media/khoa-khac/so-do.png)") + 1;
    expect(lines(stderr)).toEqual([
      `${lesson}:${line}:1: không có ảnh /media/khoa-khac/so-do.png: ảnh của khóa học phải nằm trong thư mục media/ và được gọi là /media/khoa-thu/tên-tệp`,
    ]);
  });

  it("passes on the shipped curriculum", async () => {
    const { code, stdout, stderr } = await kns("content-check", "content");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Nội dung hợp lệ: 8 khóa học, \d+ bài giảng, \d+ câu hỏi\.\n$/);
  });
});

describe("the shipped curriculum", () => {
  const { courses, problems } = checkContent("content");

  it("does not give the answer away by its length, in any course", () => {
    expect(problems).toEqual([]);
    const shares = courses.map((course) => {
      const single = course.questions.filter((q) => q.type === "single");
      const longest = single.filter((q) => {
        const correct = q.choices.find((c) => c.correct)!;
        return q.choices.every((c) => c === correct || c.text.length < correct.text.length);
      });
      return [course.slug, Math.round((100 * longest.length) / single.length)] as const;
    });
    // With four choices, chance is 25%: a test-wise learner must not pass by picking the longest.
    expect(shares.filter(([, percent]) => percent > 30)).toEqual([]);
  });

  it("holds banks of at least three quizzes' worth of questions, and a figure in every lesson", () => {
    expect(courses.length).toBeGreaterThanOrEqual(8);
    for (const course of courses) {
      expect([course.slug, course.questions.length >= 3 * course.settings.quizSize]).toEqual([course.slug, true]);
      expect([course.slug, course.lessons.length >= 5]).toEqual([course.slug, true]);
      for (const lesson of course.lessons) expect([lesson.file, /<(Figure|Screenshot) /.test(lesson.source)]).toEqual([lesson.file, true]);
    }
  });

  it("spells as official documents do: old-style tone marks, and what the platform issues is a Giấy chứng nhận", () => {
    const newStyle = /(?<![qQ])(?:[oO][áàảãạéèẻẽẹ]|[uU][ýỳỷỹỵ])(?![a-zà-ỹđ])/;
    for (const course of courses) {
      for (const lesson of course.lessons) expect([lesson.file, newStyle.exec(lesson.source)?.[0] ?? null]).toEqual([lesson.file, null]);
      for (const q of course.questions) expect([course.slug, q.id, newStyle.exec(JSON.stringify(q))?.[0] ?? null]).toEqual([course.slug, q.id, null]);
    }
  });
});

describe("content-sync on broken courses", () => {
  it("loads and publishes none of them, and says so", async () => {
    const { code, stdout, stderr } = await kns("content-sync", BROKEN);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    for (const slug of ["bai-hong", "cau-hoi-sai", "gioi-thieu-loi", "json-hong"]) {
      expect(lines(stderr)).toContain(`${slug}: có lỗi, không nạp và không xuất bản gì.`);
    }
    expect(await db.course.count()).toBe(0);
    expect(await db.courseVersion.count()).toBe(0);
  });

  it("keeps the published version of a course whose folder then breaks, and loads the healthy ones", async () => {
    const { root, dir } = copyOfValidCourse("dang-hoc", "khoa-dang-hoc");
    fs.cpSync(VALID, path.join(root, "courses", "khoa-ben-canh"), { recursive: true });
    fs.mkdirSync(path.join(dir, "media"));
    fs.writeFileSync(path.join(dir, "media", "so-do.png"), PNG);
    const lesson = path.join(dir, "lessons/01-bai-mot.mdx");
    const original = fs.readFileSync(lesson, "utf8");
    fs.writeFileSync(lesson, `${original}\n<Figure src="/media/khoa-dang-hoc/so-do.png" alt="Sơ đồ" />\n`);
    const first = await kns("content-sync", root);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(lines(first.stdout)).toEqual([
      "khoa-ben-canh: 2 bài được biên dịch, xuất bản phiên bản 1",
      "khoa-dang-hoc: 2 bài được biên dịch, xuất bản phiên bản 1",
    ]);
    const media = await db.media.findFirstOrThrow({ where: { course: { slug: "khoa-dang-hoc" } } });
    expect(media).toMatchObject({ name: "so-do.png", mime: "image/png", size: PNG.length });
    expect(Buffer.from(media.data).equals(PNG)).toBe(true);
    const before = await db.course.findUniqueOrThrow({ where: { slug: "khoa-dang-hoc" }, include: { lessons: true, versions: true } });

    // Lesson text changes AND the introduction breaks: nothing of the course may change.
    fs.writeFileSync(lesson, original.replace("Nội dung bài một.", "Nội dung mới."));
    const courseFile = path.join(dir, "course.md");
    fs.appendFileSync(courseFile, "\nXem <YouTube />\n");
    fs.writeFileSync(path.join(root, "courses", "khoa-ben-canh", "lessons/01-bai-mot.mdx"), original.replace("Nội dung bài một.", "Nội dung mới."));
    const second = await kns("content-sync", root);
    expect(second.code).toBe(1);
    const introLine = fs.readFileSync(courseFile, "utf8").split("\n").indexOf("Xem <YouTube />") + 1;
    expect(lines(second.stderr)).toEqual([
      `${courseFile}:${introLine}:5: Không có thành phần <YouTube>. Chỉ được dùng các thành phần: Callout, Steps, Term, Checklist, Figure, Screenshot, Video, Audio, Attachment (viết đúng chữ hoa, chữ thường).`,
      "khoa-dang-hoc: có lỗi, không nạp và không xuất bản gì.",
    ]);
    expect(lines(second.stdout)).toEqual(["khoa-ben-canh: 1 bài được biên dịch, xuất bản phiên bản 2"]);
    const after = await db.course.findUniqueOrThrow({ where: { slug: "khoa-dang-hoc" }, include: { lessons: true, versions: true } });
    expect(after).toEqual(before);
  });
});
