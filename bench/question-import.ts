// Importing a large question bank: `npx tsx bench/question-import.ts [questions]` (default 1,000).
// `npm run bench` runs it too (scenario "question-import").
//
// On a fresh temporary SQLite database with one empty course: a Moodle XML file written the
// way Moodle 4.x exports it (one category per 100 questions, single and multiple answers with
// fractions, true/false, per-answer and general feedback, HTML text, and every tenth question
// with an embedded PNG) is checked (the preview's work, nothing written) and then imported into
// a course's draft bank, as `npm run kns -- import-questions` does. Prints the times and the
// process's peak RSS as one JSON line.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const count = Number(process.argv[2] ?? 1000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kns-bench-qbank-"));
process.env.DATABASE_URL = `file:${path.join(dir, "bench.db")}`;
execFileSync("npx", ["tsx", "scripts/migrate.ts"], { env: process.env, stdio: "pipe" });

// Imported only now: the database client reads DATABASE_URL when it loads.
const { db } = await import("~/platform/db.server");
const { importFromCommandLine } = await import("~/content/question-bank/question-import.server");

const course = await db.course.create({ data: { slug: "ngan-hang-thu", title: "Ngân hàng câu hỏi thử", category: "security" }, select: { id: true } });

// A 1×1 PNG, different per image so each becomes its own media file.
const png = (i: number) => {
  const bytes = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
  return Buffer.concat([bytes, Buffer.from(`kns-${i}`)]).toString("base64");
};
const cdata = (s: string) => `<![CDATA[${s}]]>`;
const parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"];
for (let i = 1; i <= count; i++) {
  if (i % 100 === 1) parts.push(`  <question type="category"><category><text>$course$/top/Ngân hàng ${Math.ceil(i / 100)}</text></category><info format="moodle_auto_format"><text></text></info></question>`);
  const image = i % 10 === 0 ? `<img src="@@PLUGINFILE@@/hinh-${i}.png" alt="Hình minh họa câu ${i}">` : "";
  const file = i % 10 === 0 ? `<file name="hinh-${i}.png" path="/" encoding="base64">${png(i)}</file>` : "";
  const name = `<name><text>Câu hỏi số ${i}</text></name>`;
  const text = `<questiontext format="html"><text>${cdata(`<p>Câu ${i}: Khi nhận được thư điện tử yêu cầu <strong>cập nhật mật khẩu</strong> qua một liên kết lạ, cán bộ nên làm gì trước tiên?</p>${image}`)}</text>${file}</questiontext>`;
  const general = `<generalfeedback format="html"><text>${cdata("<p>Luôn kiểm tra địa chỉ người gửi và không bấm vào liên kết lạ.</p>")}</text></generalfeedback>`;
  if (i % 5 === 0) {
    parts.push(`  <question type="truefalse">${name}${text}${general}<defaultgrade>1</defaultgrade>` +
      `<answer fraction="100" format="moodle_auto_format"><text>true</text><feedback format="html"><text>Đúng.</text></feedback></answer>` +
      `<answer fraction="0" format="moodle_auto_format"><text>false</text><feedback format="html"><text>Sai.</text></feedback></answer></question>`);
  } else {
    const multiple = i % 3 === 0;
    const answers = ["Báo cho bộ phận công nghệ thông tin của cơ quan", "Kiểm tra địa chỉ người gửi và tên miền của liên kết", "Bấm vào liên kết để xem thử", "Trả lời thư để hỏi lại người gửi"]
      .map((a, k) => `<answer fraction="${multiple ? (k < 2 ? 50 : -50) : k === 1 ? 100 : 0}" format="html"><text>${cdata(`<p>${a}</p>`)}</text><feedback format="html"><text>${cdata(k < 2 ? "Nên làm." : "Không nên.")}</text></feedback></answer>`)
      .join("");
    parts.push(`  <question type="multichoice">${name}${text}${general}<defaultgrade>1</defaultgrade><single>${multiple ? "false" : "true"}</single><shuffleanswers>true</shuffleanswers><answernumbering>abc</answernumbering>${answers}</question>`);
  }
}
parts.push("</quiz>");
const bytes = new Uint8Array(Buffer.from(parts.join("\n")));

const rssMb = () => Math.round(process.memoryUsage().rss / 1048576);
const startRss = rssMb();
let t = performance.now();
const checked = await importFromCommandLine(course, "ngan-hang.xml", bytes, true);
const checkMs = performance.now() - t;
if (!checked.ok) throw new Error(JSON.stringify(checked.problems.slice(0, 3)));
t = performance.now();
const imported = await importFromCommandLine(course, "ngan-hang.xml", bytes, false);
const importMs = performance.now() - t;
if (!imported.ok) throw new Error(JSON.stringify(imported.problems.slice(0, 3)));
const after = await db.quizQuestion.count({ where: { courseId: course.id } });
const media = await db.media.count({ where: { courseId: course.id, name: { startsWith: "hinh-" } } });
const result = {
  questions: count,
  fileMb: Math.round((bytes.byteLength / 1048576) * 100) / 100,
  checkSeconds: Math.round(checkMs) / 1000,
  importSeconds: Math.round(importMs) / 1000,
  added: after,
  images: media,
  rssMb: { start: startRss, peak: Math.round(process.resourceUsage().maxRSS / 1024) },
};
await db.$disconnect();
fs.rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(result));
