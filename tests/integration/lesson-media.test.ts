// Video, audio, captions and PDF attachments in lessons, through the real server: uploads
// checked by their bytes and sizes, byte ranges, access, the MDX checker and the content/ folder.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportCourseFiles } from "~/content/course-export.server";
import { checkContent, syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { getT } from "~/utils/i18n";
import { MEDIA_CHUNK_BYTES } from "~/utils/media";
import { PASSWORD, twoProvinces } from "../support/factories";
import { Client, signedInClient } from "../support/http";
import { startServer, type RunningServer } from "../support/server";
import "~/locales/lesson-media";

let server: RunningServer;
const SLUG = "video-thu";
const COURSE = `/author/${SLUG}`;
const LESSON = `${COURSE}/lessons/bai-mot`;
const fixture = (name: string) => fs.readFileSync(path.join("tests/fixtures/media", name));
// The real MP4, padded past two pieces: still an MP4 by its first bytes, and ranges cross pieces.
const VIDEO = Buffer.concat([fixture("clip.mp4"), Buffer.alloc(2 * MEDIA_CHUNK_BYTES + 1000, 7)]);
const VIDEO_PATH = `/media/${SLUG}/nop-ho-so.mp4`;

beforeAll(async () => {
  await twoProvinces();
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
  const trainer = await signedIn("giangvien@p1.vn");
  expect((await trainer.post("/author", { intent: "create", slug: SLUG, title: "Video thử", category: "egov" })).status).toBe(302);
  expect((await trainer.post(COURSE, { intent: "addLesson", slug: "bai-mot", title: "Bài một" })).status).toBe(302);
});
afterAll(async () => server?.stop());

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

async function upload(client: Client, file: Blob, name: string) {
  const body = new FormData();
  body.set("file", file, name);
  return fetch(server.url + LESSON, { method: "POST", body, headers: { Cookie: client.cookieHeader(), Origin: server.url }, redirect: "manual" });
}

const lessonForm = (source: string) => ({ intent: "save", title: "Bài một", titleEn: "", minutes: "5", source });
const text = async (response: Response) => (await response.text()).replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">");

describe("lesson media", () => {
  it("stores video, audio, captions and PDF by what their bytes are, each within its limit", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const video = await upload(trainer, new Blob([VIDEO], { type: "video/mp4" }), "Nộp hồ sơ.MP4");
    expect(video.status).toBe(200);
    expect(await text(video)).toContain(`<Video src="${VIDEO_PATH}" title="..." captions="/media/${SLUG}/....vtt" />`);
    // Stored in pieces: the row itself holds no bytes.
    const row = await db.media.findFirstOrThrow({ where: { name: "nop-ho-so.mp4" }, include: { chunks: { orderBy: { seq: "asc" } } } });
    expect(row).toMatchObject({ mime: "video/mp4", size: VIDEO.length });
    expect(row.data.byteLength).toBe(0);
    expect(row.chunks.map((c) => c.data.byteLength)).toEqual([MEDIA_CHUNK_BYTES, MEDIA_CHUNK_BYTES, VIDEO.length - 2 * MEDIA_CHUNK_BYTES]);

    // The name does not decide: a WebM named .mp4 is stored as the WebM it is.
    expect((await upload(trainer, new Blob([fixture("clip.webm")], { type: "video/mp4" }), "clip.mp4")).status).toBe(200);
    expect((await upload(trainer, new Blob([fixture("tone.mp3")], { type: "audio/mpeg" }), "Lời dặn.mp3")).status).toBe(200);
    expect((await upload(trainer, new Blob([fixture("clip.vtt")], { type: "" }), "nop-ho-so.vtt")).status).toBe(200);
    const pdf = await upload(trainer, new Blob([fixture("mau-to-khai.pdf")], { type: "application/pdf" }), "Mẫu tờ khai.pdf");
    expect(await text(pdf)).toContain(`<Attachment src="/media/${SLUG}/mau-to-khai.pdf" title="..." />`);
    const stored = await db.media.findMany({ where: { course: { slug: SLUG } }, select: { name: true, mime: true }, orderBy: { name: "asc" } });
    expect(stored).toEqual([
      { name: "clip.webm", mime: "video/webm" },
      { name: "loi-dan.mp3", mime: "audio/mpeg" },
      { name: "mau-to-khai.pdf", mime: "application/pdf" },
      { name: "nop-ho-so.mp4", mime: "video/mp4" },
      { name: "nop-ho-so.vtt", mime: "text/vtt" },
    ]);
  });

  it("refuses renamed files, captions without the WEBVTT header and files over their kind's limit, with a translated message", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const before = await db.media.count();
    const renamed = await upload(trainer, new Blob(["đây là văn bản, không phải video"], { type: "video/mp4" }), "video.mp4");
    expect(renamed.status).toBe(400);
    expect(await text(renamed)).toContain("Tệp này không phải ảnh (PNG, JPEG, WebP, GIF), video (MP4, WebM), âm thanh (MP3), phụ đề WebVTT");
    const badCaptions = await upload(trainer, new Blob(["1\n00:00:00.000 --> 00:00:01.000\nXin chào\n"], { type: "text/vtt" }), "phu-de.vtt");
    expect(badCaptions.status).toBe(400);
    // In English for an English reader.
    trainer.setCookie("kns_lang", "en");
    const english = await upload(trainer, new Blob(["%PDF"], { type: "application/pdf" }), "tai-lieu.pdf");
    expect(english.status).toBe(400);
    expect(await text(english)).toContain("This file is not a valid image (PNG, JPEG, WebP, GIF), video (MP4, WebM), audio (MP3)");
    trainer.setCookie("kns_lang", "vi");
    // 20 MB of MP3 and one byte more.
    const long = Buffer.concat([fixture("tone.mp3"), Buffer.alloc(20 * 1024 * 1024 + 1 - fixture("tone.mp3").length)]);
    const tooLong = await upload(trainer, new Blob([long], { type: "audio/mpeg" }), "dai.mp3");
    expect(tooLong.status).toBe(413);
    expect(await text(tooLong)).toContain("Tệp âm thanh lớn hơn 20 MB");
    const bigPdf = await upload(trainer, new Blob([fixture("mau-to-khai.pdf"), Buffer.alloc(10 * 1024 * 1024)], { type: "application/pdf" }), "lon.pdf");
    expect(bigPdf.status).toBe(413);
    expect(await text(bigPdf)).toContain("Tài liệu PDF lớn hơn 10 MB");
    expect(await db.media.count()).toBe(before);
    // The larger body limit is the lesson editor's alone: 13 MB elsewhere is still refused.
    const elsewhere = new FormData();
    elsewhere.set("file", new Blob([Buffer.alloc(13 * 1024 * 1024)]), "lon.bin");
    const refused = await fetch(server.url + COURSE, { method: "POST", body: elsewhere, headers: { Cookie: trainer.cookieHeader(), Origin: server.url }, redirect: "manual" });
    expect(refused.status).toBe(413);
  });

  it("serves byte ranges: 206 with Content-Range, suffix and open ranges, 416 past the end", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const size = VIDEO.length;
    const whole = await trainer.get(VIDEO_PATH);
    expect(whole.status).toBe(200);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(whole.headers.get("content-type")).toBe("video/mp4");
    expect(whole.headers.get("content-length")).toBe(String(size));
    expect(Buffer.from(await whole.arrayBuffer()).equals(VIDEO)).toBe(true);

    const cases: [string, number, number][] = [
      ["bytes=0-99", 0, 99],
      // Across the boundary between the first and second pieces.
      [`bytes=${MEDIA_CHUNK_BYTES - 10}-${MEDIA_CHUNK_BYTES + 9}`, MEDIA_CHUNK_BYTES - 10, MEDIA_CHUNK_BYTES + 9],
      // Open-ended, as a player asks when it seeks.
      [`bytes=${size - 2000}-`, size - 2000, size - 1],
      // A suffix: the last 500 bytes.
      ["bytes=-500", size - 500, size - 1],
      // A suffix longer than the file is the whole file.
      [`bytes=-${size + 10}`, 0, size - 1],
      // An end past the file stops at its last byte.
      [`bytes=${size - 3}-${size + 100}`, size - 3, size - 1],
    ];
    for (const [range, first, last] of cases) {
      const res = await trainer.get(VIDEO_PATH, { Range: range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get("content-range"), range).toBe(`bytes ${first}-${last}/${size}`);
      expect(res.headers.get("content-length"), range).toBe(String(last - first + 1));
      expect(Buffer.from(await res.arrayBuffer()).equals(VIDEO.subarray(first, last + 1)), range).toBe(true);
    }
    for (const range of [`bytes=${size}-`, `bytes=${size + 5}-${size + 10}`, "bytes=-0"]) {
      const res = await trainer.get(VIDEO_PATH, { Range: range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get("content-range"), range).toBe(`bytes */${size}`);
    }
    // A header that does not parse, several ranges, or an If-Range for other bytes: the whole file.
    for (const headers of [{ Range: "bytes=abc" }, { Range: "bytes=0-1,5-6" }, { Range: "bytes=0-1", "If-Range": '"autre"' }]) {
      const res = await trainer.get(VIDEO_PATH, headers as Record<string, string>);
      expect(res.status).toBe(200);
      expect(Number(res.headers.get("content-length"))).toBe(size);
      await res.arrayBuffer();
    }
    // Files kept in their row take ranges too; captions are served as WebVTT text.
    const captions = await trainer.get(`/media/${SLUG}/nop-ho-so.vtt`, { Range: "bytes=0-5" });
    expect(captions.status).toBe(206);
    expect(captions.headers.get("content-type")).toBe("text/vtt; charset=utf-8");
    expect(await captions.text()).toBe("WEBVTT");
    // A PDF is a download.
    const pdf = await trainer.get(`/media/${SLUG}/mau-to-khai.pdf`);
    expect(pdf.headers.get("content-disposition")).toBe('attachment; filename="mau-to-khai.pdf"');
    expect(pdf.headers.get("content-security-policy")).toBe("default-src 'none'");
  });

  it("keeps an unpublished course's media from learners (404) and from people signed out", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.get(VIDEO_PATH)).status).toBe(404);
    expect((await learner.get(VIDEO_PATH, { Range: "bytes=0-10" })).status).toBe(404);
    expect((await new Client(server.url).get(VIDEO_PATH)).status).toBe(302);
  });

  it("checks that each component names an existing file of the right kind, at its line and column", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const m = (name: string) => `/media/${SLUG}/${name}`;
    const source = [
      "## Video",
      "",
      `<Video src="${m("khong-co.mp4")}" title="Thiếu" />`,
      "",
      `<Video src="${m("mau-to-khai.pdf")}" title="Nhầm loại" />`,
      "",
      `<Audio src="${m("loi-dan.mp3")}" title="Lời dặn" captions="${m("loi-dan.mp3")}" />`,
      "",
      `<Attachment src="${m("nop-ho-so.mp4")}" title="Tài liệu" />`,
      "",
      `<Figure src="${m("clip.webm")}" alt="Ảnh" />`,
      "",
    ].join("\n");
    const response = await trainer.post(LESSON, lessonForm(source));
    expect(response.status).toBe(400);
    const html = await text(response);
    expect(html).toContain(`Dòng 3, cột 8: Không có tệp ${m("khong-co.mp4")} trong thư viện của khóa học. Hãy tải lên một tệp video (MP4 hoặc WebM)`);
    expect(html).toContain(`Dòng 5, cột 8: Tệp ${m("mau-to-khai.pdf")} không phải video (MP4 hoặc WebM).`);
    const captionsColumn = source.split("\n")[6].indexOf("captions=") + 1;
    expect(html).toContain(`Dòng 7, cột ${captionsColumn}: Tệp ${m("loi-dan.mp3")} không phải phụ đề WebVTT (.vtt).`);
    expect(html).toContain(`Dòng 9, cột 13: Tệp ${m("nop-ho-so.mp4")} không phải tài liệu PDF.`);
    expect(html).toContain(`Dòng 11, cột 9: Tệp ${m("clip.webm")} không phải ảnh.`);
    // A video needs a title: its accessible name.
    const untitled = await trainer.post(LESSON, lessonForm(`Xem:\n\n<Video src="${m("nop-ho-so.mp4")}" />\n`));
    expect(untitled.status).toBe(400);
    expect(await text(untitled)).toContain("Dòng 3, cột 1: Thẻ <Video> thiếu thuộc tính bắt buộc title.");
    expect((await db.lesson.findFirstOrThrow({ where: { slug: "bai-mot", course: { slug: SLUG } } })).source).not.toContain("khong-co.mp4");

    const good = [
      `<Video src="${m("nop-ho-so.mp4")}" title="Nộp hồ sơ trực tuyến" captions="${m("nop-ho-so.vtt")}" />`,
      "",
      `<Audio src="${m("loi-dan.mp3")}" title="Lời dặn" />`,
      "",
      `<Attachment src="${m("mau-to-khai.pdf")}" title="Mẫu tờ khai" />`,
      "",
      `[Tải mẫu tờ khai](${m("mau-to-khai.pdf")})`,
      "",
    ].join("\n");
    expect((await trainer.post(LESSON, lessonForm(good))).status).toBe(200);
    const saved = (await db.lesson.findFirstOrThrow({ where: { slug: "bai-mot", course: { slug: SLUG } } })).html;
    // Nothing plays or loads by itself; captions on by default; the PDF as a download with its size.
    expect(saved).toContain(`<video controls="" preload="none" playsinline="" aria-label="Nộp hồ sơ trực tuyến"`);
    expect(saved).not.toContain("autoplay");
    expect(saved).toContain(`<source src="${m("nop-ho-so.mp4")}"/><track kind="captions" src="${m("nop-ho-so.vtt")}" srcLang="vi" label="Phụ đề tiếng Việt" default=""/>`);
    expect(saved).toContain(`<audio controls="" preload="none" aria-label="Lời dặn"`);
    expect(saved).toContain(`<a href="${m("mau-to-khai.pdf")}" download=""`);
    expect(saved).toContain("<span>PDF, 1 KB</span>");
  });

  it("takes video, audio, captions and PDF from a content/ folder, refuses a renamed file, and exports them back", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "kns-media-"));
    const dir = path.join(root, "video-thu-muc");
    fs.mkdirSync(path.join(dir, "lessons"), { recursive: true });
    fs.mkdirSync(path.join(dir, "media"));
    fs.writeFileSync(path.join(dir, "course.md"), ['---', 'title: "Video thư mục"', "category: egov", "estimatedMinutes: 10", "validityMonths: 0", "passingScore: 80", "quizSize: 1", "---", "", "Giới thiệu.", ""].join("\n"));
    fs.writeFileSync(path.join(dir, "quiz.json"), JSON.stringify({ questions: [{ id: "q1", type: "truefalse", prompt: "Đúng?", choices: [{ id: "true", text: "Đúng", correct: true }, { id: "false", text: "Sai", correct: false }], explanation: "" }] }));
    const lesson = [
      "---",
      'title: "Bài một"',
      "minutes: 5",
      "---",
      "",
      '<Video src="/media/video-thu-muc/clip.mp4" title="Đoạn phim" captions="/media/video-thu-muc/clip.vtt" />',
      "",
      '<Attachment src="/media/video-thu-muc/clip.mp4" title="Nhầm" />',
      "",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "lessons", "01-bai-mot.mdx"), lesson);
    fs.writeFileSync(path.join(dir, "media", "clip.mp4"), VIDEO);
    fs.copyFileSync("tests/fixtures/media/clip.vtt", path.join(dir, "media", "clip.vtt"));
    fs.copyFileSync("tests/fixtures/media/mau-to-khai.pdf", path.join(dir, "media", "mau-to-khai.pdf"));
    fs.copyFileSync("tests/fixtures/media/tone.mp3", path.join(dir, "media", "loi-dan.mp3"));
    fs.writeFileSync(path.join(dir, "media", "gia.mp4"), "văn bản đổi tên");

    const t = getT("vi");
    const say = (p: { file: string; line: number; column: number; key: string; params?: Record<string, unknown> }) =>
      `${path.relative(root, p.file)}:${p.line}:${p.column}: ${t(p.key, Object.fromEntries(Object.entries(p.params ?? {}).map(([k, v]) => [k, typeof v === "object" && v ? t((v as { key: string }).key) : v])))}`;
    const first = checkContent(root);
    expect(first.problems.map(say)).toEqual([
      "video-thu-muc/media/gia.mp4:1:1: tệp không phải ảnh, video MP4/WebM, âm thanh MP3, phụ đề WebVTT hay tài liệu PDF hợp lệ",
      "video-thu-muc/lessons/01-bai-mot.mdx:8:13: tệp /media/video-thu-muc/clip.mp4 không phải tài liệu PDF",
    ]);

    fs.rmSync(path.join(dir, "media", "gia.mp4"));
    fs.writeFileSync(path.join(dir, "lessons", "01-bai-mot.mdx"), lesson.replace('<Attachment src="/media/video-thu-muc/clip.mp4" title="Nhầm" />', '<Attachment src="/media/video-thu-muc/mau-to-khai.pdf" title="Mẫu" />'));
    const { problems, rejected } = await syncContent(root);
    expect(problems).toEqual([]);
    expect(rejected).toEqual([]);
    const course = await db.course.findUniqueOrThrow({ where: { slug: "video-thu-muc" }, include: { media: { include: { _count: { select: { chunks: true } } }, orderBy: { name: "asc" } }, lessons: true } });
    expect(course.media.map((m) => [m.name, m.mime, m._count.chunks])).toEqual([
      ["clip.mp4", "video/mp4", 3],
      ["clip.vtt", "text/vtt", 0],
      ["loi-dan.mp3", "audio/mpeg", 1],
      ["mau-to-khai.pdf", "application/pdf", 1],
    ]);
    expect(course.lessons[0].html).toContain("<span>PDF, 1 KB</span>");
    // Exported as the same bytes, pieces put back together.
    const files = await exportCourseFiles(course.id);
    expect(Buffer.from(files["media/clip.mp4"] as Uint8Array).equals(VIDEO)).toBe(true);
    expect(Buffer.from(files["media/loi-dan.mp3"] as Uint8Array).equals(fixture("tone.mp3"))).toBe(true);
    expect(Buffer.from(files["media/clip.vtt"] as Uint8Array).equals(fixture("clip.vtt"))).toBe(true);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
