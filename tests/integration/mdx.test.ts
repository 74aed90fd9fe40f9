// Lesson MDX is data written by trainers: it is checked against an allow-list before the
// compiler (which generates and runs JavaScript) ever sees it.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { bundleMDX } from "mdx-bundler";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isMediaPath } from "~/components/mdx";
import { checkLessonMdx, MAX_LESSON_MDX_BYTES, MAX_LESSON_MDX_LINES, type MdxProblem } from "~/content/mdx-check.server";
import { compileLessonMdx } from "~/content/mdx-compile.server";
import { getT, translate } from "~/utils/i18n";

// The real compiler, watched: hostile sources must never reach it.
vi.mock("mdx-bundler", async (importOriginal) => {
  const actual = await importOriginal<typeof import("mdx-bundler")>();
  return { ...actual, bundleMDX: vi.fn(actual.bundleMDX) };
});

declare global {
  var __knsPwned: unknown;
}

const bundler = vi.mocked(bundleMDX);

/** Problems as a Vietnamese-speaking trainer reads them. */
const inVietnamese = (problems: MdxProblem[]) => problems.map(({ line, column, ...message }) => ({ line, column, message: translate(getT("vi"), message) }));
const check = (source: string) => inVietnamese(checkLessonMdx(source));

beforeEach(() => {
  bundler.mockClear();
  delete globalThis.__knsPwned;
});

afterEach(() => {
  expect(globalThis.__knsPwned).toBeUndefined();
});

const VALID_LESSON = `---
title: "Bài thử"
titleEn: "Test lesson"
minutes: 5
---

## Nộp hồ sơ trực tuyến

Đọc thêm tại [Cổng Dịch vụ công quốc gia](https://dichvucong.gov.vn), [mục tiếp theo](#buoc-2),
[khóa học khác](/courses/an-toan-thong-tin), gọi [1900 1234](tel:19001234) hoặc viết thư tới
[hỗ trợ](mailto:hotro@example.gov.vn). Dấu ngoặc nhọn viết thoát: \\{ và \\}.

### Các loại hồ sơ

- Hồ sơ *một phần*
- Hồ sơ **toàn trình**

| Loại | Nộp ở đâu |
| --- | --- |
| Toàn trình | Trực tuyến |

![Biểu tượng cổng](/media/logo-cong.png)

<Callout type="warning" title="Lưu ý">

Không bao giờ cung cấp mã OTP cho bất kỳ ai.

</Callout>

<Callout>

Callout không có tiêu đề dùng nhãn mặc định.

</Callout>

<Steps>

1. Đăng nhập bằng VNeID.
2. Chọn thủ tục.

</Steps>

<Term name="Chữ ký số">

Dữ liệu điện tử gắn với văn bản để xác thực người ký.

</Term>

<Checklist title="Cuối ngày">

- Khóa màn hình.
- Cất hồ sơ giấy.

</Checklist>

<Figure src="/media/so-do/quy-trinh.png" alt="Sơ đồ quy trình tiếp nhận" caption="Quy trình tiếp nhận hồ sơ" />

<Screenshot src="/media/man-hinh-dang-nhap.png" alt="Màn hình đăng nhập" />
`;

function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

describe("a valid lesson", () => {
  it("compiles once into static HTML using every component", async () => {
    expect(checkLessonMdx(VALID_LESSON)).toEqual([]);
    const result = await compileLessonMdx(VALID_LESSON);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(bundler).toHaveBeenCalledTimes(1);
    const { html } = result;

    expect(result.frontmatter).toEqual({ title: "Bài thử", titleEn: "Test lesson", minutes: 5 });
    expect(result.hash).toBe(sha256(VALID_LESSON));
    expect(result.code.length).toBeGreaterThan(0);

    expect(html).toMatch(/<h2[^>]*>Nộp hồ sơ trực tuyến<\/h2>/);
    expect(html).toMatch(/<h3[^>]*>Các loại hồ sơ<\/h3>/);
    expect(html).toMatch(/<ul[^>]*>\s*<li>Hồ sơ <em>một phần<\/em><\/li>/);
    expect(html).toContain("{ và }");
    // External links get rel=noopener; internal ones do not need it.
    expect(html).toMatch(/<a href="https:\/\/dichvucong\.gov\.vn" rel="noopener noreferrer"/);
    expect(html).toMatch(/<a href="#buoc-2" class=/);
    expect(html).toContain('href="mailto:hotro@example.gov.vn"');
    expect(html).toContain('href="tel:19001234"');
    expect(html).toMatch(/<img src="\/media\/logo-cong\.png" alt="Biểu tượng cổng" loading="lazy"/);

    expect(html).toMatch(/<aside role="note" aria-label="Lưu ý"[^>]*>/);
    expect(html).toContain("Không bao giờ cung cấp mã OTP cho bất kỳ ai.");
    expect(html).toMatch(/<aside role="note" aria-label="Thông tin"/);
    expect(html).toMatch(/<ol[^>]*>\s*<li>Đăng nhập bằng VNeID\.<\/li>/);
    expect(html).toMatch(/<dl[^>]*><dt[^>]*>Chữ ký số<\/dt><dd[^>]*>/);
    expect(html).toMatch(/<div role="group" aria-label="Cuối ngày"/);
    // A figure opens full size with a tap: the image links to itself.
    expect(html).toMatch(/<figure[^>]*><a href="\/media\/so-do\/quy-trinh\.png" class="block"><img src="\/media\/so-do\/quy-trinh\.png" alt="Sơ đồ quy trình tiếp nhận" loading="lazy"/);
    expect(html).toMatch(/<figcaption[^>]*>Quy trình tiếp nhận hồ sơ<\/figcaption>/);
    expect(html).toContain('alt="Màn hình đăng nhập"');
    // Static markup only: no script, no event handler, no React hydration markers.
    expect(html).not.toMatch(/<script|\son[a-z]+=|data-reactroot/i);
  });

  it("renders a GFM table inside a scrollable region", async () => {
    const source = "## Lệ phí\n\n| Thủ tục | Lệ phí |\n| --- | --- |\n| Cấp bản sao | 10.000 đồng |\n";
    expect(checkLessonMdx(source)).toEqual([]);
    const result = await compileLessonMdx(source);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.html).toMatch(/<table[\s\S]*<th[^>]*>Thủ tục<\/th>[\s\S]*<td[^>]*>10\.000 đồng<\/td>/);
    expect(result.html).not.toContain("| Thủ tục |");
  });

  it("gives the same hash for the same source, and another for a changed source", async () => {
    const first = await compileLessonMdx("## Bài\n\nNội dung.\n");
    const second = await compileLessonMdx("## Bài\n\nNội dung.\n");
    const changed = await compileLessonMdx("## Bài\n\nNội dung khác.\n");
    if (!first.ok || !second.ok || !changed.ok) throw new Error("expected all three to compile");
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second.hash).toBe(first.hash);
    expect(second.html).toBe(first.html);
    expect(changed.hash).not.toBe(first.hash);
  });

  it("compiles several lessons at once", async () => {
    const results = await Promise.all([1, 2, 3].map((n) => compileLessonMdx(`## Bài ${n}\n`)));
    expect(results.map((r) => r.ok && r.html)).toEqual([1, 2, 3].map((n) => expect.stringContaining(`Bài ${n}</h2>`)));
  });
});

type HostileCase = { name: string; source: string; line: number; column: number; message: RegExp };

const HOSTILE: HostileCase[] = [
  { name: "import", source: '# Bài\n\nimport fs from "fs"\n\nNội dung.', line: 3, column: 1, message: /import\/export/ },
  {
    name: "export that would run code",
    source: "Nội dung.\n\nexport const x = globalThis.__knsPwned = true\n",
    line: 3,
    column: 1,
    message: /import\/export/,
  },
  { name: "expression", source: "Mật khẩu là {process.env.SECRET}.", line: 1, column: 13, message: /biểu thức \{…\}/ },
  { name: "expression that would run code", source: "Đoạn 1\n\n{globalThis.__knsPwned = true}\n", line: 3, column: 1, message: /biểu thức/ },
  { name: "event handler", source: '<Callout onClick="x">\n\nNội dung\n\n</Callout>', line: 1, column: 10, message: /sự kiện onClick/ },
  { name: "expression as a prop value", source: "<Callout type={danger}>\n\nNội dung\n\n</Callout>", line: 1, column: 10, message: /ngoặc kép/ },
  {
    name: "expression inside a prop of an allowed component",
    source: 'Ảnh:\n\n<Figure\n  src="/media/a.png"\n  alt={globalThis.__knsPwned = true}\n/>',
    line: 5,
    column: 3,
    message: /alt .*ngoặc kép/,
  },
  { name: "spread props", source: "<Callout {...props}>\n\nNội dung\n\n</Callout>", line: 1, column: 10, message: /Không được dùng \{…\} trong thẻ <Callout>/ },
  { name: "script", source: "Xin chào\n\n<script>alert(1)</script>", line: 3, column: 1, message: /thẻ HTML <script>.*Callout, Steps, Term, Checklist, Figure, Screenshot, Video, Audio, Attachment/ },
  { name: "iframe", source: '<iframe src="https://x"></iframe>', line: 1, column: 1, message: /<iframe>/ },
  { name: "style", source: "<style></style>", line: 1, column: 1, message: /<style>/ },
  { name: "img tag", source: '<img src="/media/a.png" alt="a" />', line: 1, column: 1, message: /<img>/ },
  { name: "div", source: "<div>\n\nx\n\n</div>", line: 1, column: 1, message: /<div>/ },
  { name: "unknown component", source: "Trước\n\n<Unknown />", line: 3, column: 1, message: /Không có thành phần <Unknown>/ },
  { name: "fragment", source: "<>\n\nx\n\n</>", line: 1, column: 1, message: /thẻ rỗng/ },
  { name: "javascript link", source: "Hãy [bấm](javascript:alert(1)) vào đây.", line: 1, column: 5, message: /Liên kết "javascript:alert\(1\)"/ },
  { name: "mixed-case scheme", source: "[x](JaVaScRiPt:alert(1))", line: 1, column: 1, message: /Liên kết/ },
  { name: "leading space", source: "[x](<&#32;javascript:alert(1)>)", line: 1, column: 1, message: /Liên kết/ },
  { name: "tab inside the scheme", source: "[x](java&#9;script:alert(1))", line: 1, column: 1, message: /Liên kết/ },
  { name: "newline inside the scheme", source: "[x](<java&#10;script:alert(1)>)", line: 1, column: 1, message: /Liên kết/ },
  { name: "vbscript link", source: "[x](vbscript:msgbox)", line: 1, column: 1, message: /Liên kết/ },
  { name: "data link", source: "[x](data:text/html;base64,PHNjcmlwdD4=)", line: 1, column: 1, message: /Liên kết/ },
  { name: "definition", source: "Xem [đây][r].\n\n[r]: javascript:alert(1)", line: 3, column: 1, message: /Liên kết/ },
  { name: "data image", source: "Ảnh\n\n![ảnh](data:image/png;base64,AAAA)", line: 3, column: 1, message: /Ảnh "data:image/ },
  { name: "http image", source: "![ảnh](http://evil.example/x.png)", line: 1, column: 1, message: /Ảnh/ },
  { name: "image by reference", source: "![ảnh][r]\n\n[r]: //evil.example/x.png", line: 1, column: 1, message: /Ảnh/ },
  {
    name: "image by reference to a repeated label",
    source: "![ảnh][r]\n\n[r]: //evil.example/x.png\n[r]: /media/a.png",
    line: 1,
    column: 1,
    message: /Ảnh "\/\/evil/,
  },
  { name: "angle-bracket autolink", source: "Xem <https://x.example>", line: 1, column: 12, message: /\[chữ hiển thị\]/ },
  { name: "HTML comment", source: "<!-- ghi chú -->", line: 1, column: 2, message: /chú thích HTML/ },
  { name: "figure outside the media library", source: '<Figure src="https://evil/x.png" alt="a" />', line: 1, column: 9, message: /\/media\// },
  { name: "figure leaving the media library", source: '<Figure src="/media/../admin.png" alt="a" />', line: 1, column: 9, message: /\/media\// },
  { name: "figure without alt", source: '<Figure src="/media/a.png" />', line: 1, column: 1, message: /thiếu thuộc tính bắt buộc alt/ },
  { name: "figure with empty alt", source: '<Figure src="/media/a.png" alt=" " />', line: 1, column: 28, message: /alt .*không được để trống/ },
  { name: "screenshot without alt", source: 'Màn hình:\n\n<Screenshot src="/media/a.png" />', line: 3, column: 1, message: /<Screenshot> thiếu thuộc tính bắt buộc alt/ },
  { name: "screenshot with empty alt", source: '<Screenshot src="/media/a.png" alt="" />', line: 1, column: 32, message: /alt .*không được để trống/ },
  { name: "Markdown image without alt", source: "Sơ đồ:\n\n![](/media/so-do.png)", line: 3, column: 1, message: /Ảnh thiếu mô tả/ },
  { name: "Markdown image with blank alt", source: "Xem ![  ](/media/so-do.png) nhé.", line: 1, column: 5, message: /Ảnh thiếu mô tả/ },
  { name: "image by reference without alt", source: "![][so-do]\n\n[so-do]: /media/so-do.png", line: 1, column: 1, message: /Ảnh thiếu mô tả/ },
  { name: "term without name", source: "<Term>\n\nx\n\n</Term>", line: 1, column: 1, message: /thiếu thuộc tính bắt buộc name/ },
  { name: "callout type outside the set", source: '<Callout type="fatal">\n\nx\n\n</Callout>', line: 1, column: 10, message: /info, tip, warning, danger/ },
  { name: "unknown prop", source: '<Callout style="color:red">\n\nx\n\n</Callout>', line: 1, column: 10, message: /không có thuộc tính "style".*type, title/ },
  { name: "block component inside a sentence", source: 'Xem <Term name="a">b</Term> nhé.', line: 1, column: 5, message: /đứng riêng/ },
  { name: "figure with content", source: '<Figure src="/media/a.png" alt="a">\n\nx\n\n</Figure>', line: 1, column: 1, message: /không chứa nội dung/ },
  {
    name: "JavaScript frontmatter, which gray-matter would evaluate",
    source: "---js\nglobalThis.__knsPwned = true\n---\n\nNội dung.",
    line: 1,
    column: 4,
    message: /---/,
  },
];

describe("hostile lessons", () => {
  it.each(HOSTILE)("rejects $name with its line and column, before compiling", async ({ source, line, column, message }) => {
    const expected = expect.objectContaining({ line, column, message: expect.stringMatching(message) });
    expect(check(source)).toContainEqual(expected);

    const result = await compileLessonMdx(source);
    expect(result.ok).toBe(false);
    expect(!result.ok && inVietnamese(result.problems)).toContainEqual(expected);
    expect(bundler).not.toHaveBeenCalled();
    // afterEach also proves the lesson's code never ran.
  });

  it("says every problem in Vietnamese and in English, each with all its values", () => {
    for (const { source } of HOSTILE) {
      for (const problem of checkLessonMdx(source)) {
        const vi = translate(getT("vi"), problem);
        const en = translate(getT("en"), problem);
        expect(problem.key).toMatch(/^author\.check\./);
        for (const text of [vi, en]) expect(text).not.toMatch(/\{\{|author\.check/);
        expect(en).not.toBe(vi);
      }
    }
  });

  it("reports every problem, in reading order", () => {
    const problems = checkLessonMdx('<Callout onClick="a" type="x">\n\n{1}\n\n</Callout>\n\n<script></script>');
    expect(problems.map(({ line, column }) => [line, column])).toEqual([
      [1, 10],
      [1, 22],
      [3, 1],
      [7, 1],
    ]);
  });

  it("reports an unclosed component at its opening tag", async () => {
    const source = "## Bài\n\n<Callout>\n\nChưa đóng thẻ.\n";
    const problems = checkLessonMdx(source);
    expect(inVietnamese(problems)).toEqual([{ line: 3, column: 1, message: expect.stringContaining("</Callout>") }]);
    expect(await compileLessonMdx(source)).toEqual({ ok: false, problems });
    expect(bundler).not.toHaveBeenCalled();
  });

  it("names the unclosed component itself, not a later one that was closed", () => {
    const source = '<Callout type="tip">\n\nMẹo\n\n<Checklist title="Việc cần làm">\n\n- Khóa màn hình\n\n</Checklist>\n';
    expect(inVietnamese(checkLessonMdx(source))).toEqual([
      { line: 1, column: 1, message: "Thẻ <Callout> được mở nhưng chưa đóng. Hãy thêm </Callout> trên một dòng riêng, có dòng trống phía trước." },
    ]);
  });

  it("reports other syntax errors with their place", () => {
    // "<" followed by a space is plain text; followed by a digit it starts a broken tag.
    expect(checkLessonMdx("Giá < 100 đồng")).toEqual([]);
    expect(check("Giá <100 đồng")).toEqual([{ line: 1, column: 6, message: expect.stringContaining("\\<") }]);
    expect(check("<Steps>\n\n<Callout>\n\n</Steps>")).toContainEqual(
      expect.objectContaining({ line: 5, message: expect.stringContaining("</Steps>") }),
    );
  });

  // Deeply nested blocks make Markdown parsing take minutes; they are refused before parsing.
  it.each([
    { name: "quotes", source: ">".repeat(150_000), column: 4 },
    { name: "lists", source: "- 1. ".repeat(40_000), column: 9 },
    { name: "indentation", source: `Đoạn\n\n${" ".repeat(30)}- x`, line: 3, column: 17 },
  ])("rejects deeply nested $name quickly", async ({ source, line = 1, column }) => {
    const started = performance.now();
    expect(check(source)).toEqual([{ line, column, message: expect.stringContaining("lồng quá nhiều cấp") }]);
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await compileLessonMdx(source)).ok).toBe(false);
    expect(bundler).not.toHaveBeenCalled();
  });

  it("accepts the nesting real lessons use", () => {
    expect(checkLessonMdx("> - a\n>   - b\n>     1. c\n\n- - * a\n\n---\n\n* * * * *\n\n- - - - - -\n\n- a\n    - b\n        - c\n")).toEqual([]);
  });

  it("rejects a source over 2,000 lines without parsing it", () => {
    expect(check("Dòng\n".repeat(MAX_LESSON_MDX_LINES))).toEqual([{ line: 1, column: 1, message: expect.stringContaining("Bài giảng quá dài") }]);
    expect(checkLessonMdx("Dòng\n".repeat(MAX_LESSON_MDX_LINES - 1))).toEqual([]);
  });

  it("rejects a source over 200 KB without parsing it", async () => {
    const source = "Nội dung dài. ".repeat(Math.ceil((300 * 1024) / 14));
    expect(Buffer.byteLength(source)).toBeGreaterThan(MAX_LESSON_MDX_BYTES);
    const result = await compileLessonMdx(source);
    expect(result.ok).toBe(false);
    expect(!result.ok && inVietnamese(result.problems)).toEqual([{ line: 1, column: 1, message: expect.stringContaining("Bài giảng quá dài (tối đa 200 KB và 2.000 dòng)") }]);
    expect(bundler).not.toHaveBeenCalled();
  });
});

describe("media paths", () => {
  it("accepts files under /media/ only", () => {
    expect(isMediaPath("/media/anh.png")).toBe(true);
    expect(isMediaPath("/media/khoa-hoc/anh_1.webp")).toBe(true);
    for (const bad of ["/media/", "/media//x.png", "/media/../x.png", "/media/./x.png", "media/x.png", "/media/a b.png", "https://x/media/a.png"]) {
      expect(isMediaPath(bad), bad).toBe(false);
    }
  });
});

describe("the shipped curriculum", () => {
  const coursesDir = path.resolve("content/courses");
  const lessonFiles = fs
    .readdirSync(coursesDir)
    .flatMap((course) => {
      const dir = path.join(coursesDir, course, "lessons");
      return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".mdx")).map((f) => path.join(dir, f)) : [];
    })
    .sort();

  it("has lessons to check", () => {
    expect(lessonFiles.length).toBeGreaterThan(0);
  });

  it.each(lessonFiles.map((file) => [path.relative(coursesDir, file), file]))("%s passes the checker", (_name, file) => {
    const problems: MdxProblem[] = checkLessonMdx(fs.readFileSync(file, "utf8"));
    expect(problems).toEqual([]);
  });

  it("compiles a shipped lesson", async () => {
    const file = lessonFiles.find((f) => f.includes("02-thu-dien-tu")) ?? lessonFiles[0];
    const result = await compileLessonMdx(fs.readFileSync(file, "utf8"));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.frontmatter).toMatchObject({ title: expect.any(String), titleEn: expect.any(String), minutes: expect.any(Number) });
    expect(result.html).toContain("<aside");
    expect(result.html).toContain("<ol");
  });
});
