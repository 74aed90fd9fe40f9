// The content/ format of a course, shared by content-check, content-sync, the authoring
// area's export and its validation. See docs/authoring.md for the trainer-facing description.
import crypto from "node:crypto";
import matter from "gray-matter";
import { z } from "zod";
import { detectMediaType } from "~/content/media-types.server";
import { MEDIA_NAME } from "~/utils/authoring";
import { MEDIA_LIMITS, MEDIA_TYPES, type MediaMime } from "~/utils/media";
import { CATEGORIES, DEFAULT_REVIEW_POLICY, QUESTION_TYPES, REVIEW_POLICIES, SLUG, type Choice } from "~/utils/course";
import type { Message } from "~/utils/i18n";
import "~/locales/author";
import "~/locales/question-bank";
import "~/locales/lesson-media";

/** A problem in a course folder and its place; the text is a Message (author.content.* keys). */
export type ContentProblem = { file: string; line: number; column: number } & Message;

// Schema messages are translation keys (author.content.*); a custom issue's values go in its params.
const K = "author.content";
export const contentMessage = (name: string, params?: Message["params"]): Message => ({ key: `${K}.${name}`, ...(params && { params }) });

export const courseSettingsSchema = z.object({
  title: z.string().trim().min(1, `${K}.settings.title`).max(200),
  titleEn: z.string().trim().max(200).default(""),
  summary: z.string().trim().max(600).default(""),
  summaryEn: z.string().trim().max(600).default(""),
  category: z.enum(CATEGORIES, { message: `${K}.settings.category` }),
  estimatedMinutes: z.number({ message: `${K}.settings.estimatedMinutes` }).int().min(1).max(10_000),
  validityMonths: z.number({ message: `${K}.settings.validityMonths` }).int().min(0).max(240),
  passingScore: z.number({ message: `${K}.settings.passingScore` }).int().min(1).max(100),
  quizSize: z.number({ message: `${K}.settings.quizSize` }).int().min(1).max(100),
  maxAttempts: z.number().int().min(0).max(100).default(3),
  retryWaitMinutes: z.number().int().min(0).max(100_000).default(0),
  timeLimitMinutes: z.number().int().min(0).max(1_000).default(0),
  sequential: z.boolean().default(false),
  selfEnroll: z.boolean().default(true),
  reviewPolicy: z.enum(REVIEW_POLICIES).default(DEFAULT_REVIEW_POLICY),
});
export type CourseSettings = z.infer<typeof courseSettingsSchema>;

export const lessonMetaSchema = z.object({
  title: z.string().trim().min(1, `${K}.lesson.title`).max(200),
  titleEn: z.string().trim().max(200).default(""),
  minutes: z.number({ message: `${K}.lesson.minutes` }).int().min(1).max(600).default(10),
});

const choiceSchema = z.object({
  id: z.string().trim().min(1).max(20),
  text: z.string().trim().min(1, `${K}.quiz.choiceEmpty`).max(1000),
  correct: z.boolean().default(false),
});
export const questionSchema = z
  .object({
    id: z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, `${K}.quiz.id`),
    type: z.enum(QUESTION_TYPES, { message: `${K}.quiz.type` }),
    prompt: z.string().trim().min(1, `${K}.quiz.prompt`).max(2000),
    choices: z.array(choiceSchema).min(2, `${K}.quiz.tooFewChoices`).max(8, `${K}.quiz.tooManyChoices`),
    explanation: z.string().trim().max(3000).default(""),
    /** A picture of the course's media/ shown with the prompt, and what it shows. */
    image: z.string().regex(MEDIA_NAME).optional(),
    imageAlt: z.string().trim().max(300).optional(),
  })
  .superRefine((q, ctx) => {
    const correct = q.choices.filter((c) => c.correct).length;
    const ids = q.choices.map((c) => c.id);
    const issue = (name: string) => ctx.addIssue({ code: "custom", message: `${K}.quiz.${name}`, params: { id: q.id, type: q.type } });
    if (new Set(ids).size !== ids.length) issue("duplicateChoice");
    if (correct === 0) issue("noCorrect");
    if (q.type !== "multiple" && correct > 1) issue("oneCorrect");
    if (q.type === "multiple" && correct < 2) issue("multipleNeedsTwo");
    if (q.type === "truefalse" && (ids.length !== 2 || !ids.includes("true") || !ids.includes("false"))) issue("trueFalseShape");
  });
export type QuestionData = { id: string; type: (typeof QUESTION_TYPES)[number]; prompt: string; choices: Choice[]; explanation: string; image?: string; imageAlt?: string };

/** A file of the course's media library: media/<name> in a course folder, /media/<course>/<name> in lessons. */
export type MediaFile = { file: string; name: string; mime: MediaMime; bytes: Uint8Array<ArrayBuffer>; sha256: string };

const IMAGE_NAME = /\.(png|jpe?g|gif|webp)$/i;

export function parseMediaFile(file: string, name: string, bytes: Uint8Array<ArrayBuffer>, problems: ContentProblem[]): MediaFile | null {
  if (!MEDIA_NAME.test(name)) {
    problems.push({ file, line: 1, column: 1, ...contentMessage("media.name") });
    return null;
  }
  // What the bytes are decides, not the name; a file named like an image is told about images.
  const mime = detectMediaType(bytes);
  if (!mime) {
    problems.push({ file, line: 1, column: 1, ...(IMAGE_NAME.test(name) ? contentMessage("media.notImage") : { key: "lessonMedia.content.unsupported" }) });
    return null;
  }
  const kind = MEDIA_TYPES[mime].kind;
  if (bytes.byteLength > MEDIA_LIMITS[kind]) {
    const mb = Math.round((10 * MEDIA_LIMITS[kind]) / 1024 / 1024) / 10;
    problems.push({ file, line: 1, column: 1, ...(kind === "image" ? contentMessage("media.tooLarge", { mb }) : { key: "lessonMedia.content.tooLarge", params: { mb } }) });
    return null;
  }
  return { file, name, mime, bytes, sha256: crypto.createHash("sha256").update(bytes).digest("hex") };
}

/** `bodyLine`: the file's line where `source` (the text under the frontmatter) starts. */
export type LessonFile = { file: string; bodyLine: number; slug: string; position: number; title: string; titleEn: string; minutes: number; source: string };
export type CourseFiles = {
  slug: string;
  settings: CourseSettings;
  courseFile: string;
  intro: string;
  /** The line of course.md where the introduction starts. */
  introLine: number;
  lessons: LessonFile[];
  questions: QuestionData[];
  media: MediaFile[];
};

const LESSON_FILE = /^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)\.mdx$/;
export const MAX_LESSON_BYTES = 200 * 1024;
export const MAX_QUIZ_BYTES = 1024 * 1024;

/** The line where `body`, the end of the file with its leading blank lines removed, starts in `text`. */
function lineOfBody(text: string, body: string): number {
  const trimmed = body.replace(/^\s+/, "");
  const at = text.lastIndexOf(trimmed);
  return at >= 0 ? text.slice(0, at).split("\n").length : 1;
}

/** Line (1-based) of the first line in `text` that starts with `key:`, for frontmatter errors. */
function lineOfKey(text: string, key: string | number | undefined): number {
  if (key === undefined) return 1;
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.startsWith(`${key}:`));
  return i >= 0 ? i + 1 : 1;
}

// gray-matter would evaluate a "---js" block as JavaScript: content is data, so refuse it.
class NotYaml extends Error {}
const refuse = () => {
  throw new NotYaml();
};
const MATTER_OPTIONS = { engines: { js: refuse, javascript: refuse } };

function yamlFrontmatter(file: string, text: string, problems: ContentProblem[]) {
  const firstLine = text.split("\n", 1)[0];
  if (firstLine.startsWith("---") && firstLine.trim() !== "---") {
    problems.push({ file, line: 1, column: 4, ...contentMessage("frontmatterFence") });
    return null;
  }
  try {
    return matter(text, MATTER_OPTIONS);
  } catch (e) {
    if (e instanceof NotYaml) {
      problems.push({ file, line: 1, column: 4, ...contentMessage("frontmatterFence") });
      return null;
    }
    const mark = (e as { mark?: { line: number; column: number } }).mark;
    problems.push({ file, line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1, ...contentMessage("yaml", { reason: (e as Error).message.split("\n")[0] }) });
    return null;
  }
}

export function parseCourseFile(file: string, text: string, problems: ContentProblem[]) {
  const parsed = yamlFrontmatter(file, text, problems);
  if (!parsed) return null;
  const settings = courseSettingsSchema.safeParse(parsed.data);
  if (!settings.success) {
    for (const issue of settings.error.issues) {
      // The settings' own messages name their field; zod's generic ones get it in front.
      const message = isContentKey(issue.message) ? issueMessage(issue) : fieldIssue(issue.path.join(".") || "frontmatter", issue);
      problems.push({ file, line: lineOfKey(text, issue.path[0]), column: 1, ...message });
    }
    return null;
  }
  const intro = parsed.content.trim();
  return { settings: settings.data, intro, introLine: intro ? lineOfBody(text, parsed.content.trimEnd()) : 1 };
}

export function parseLessonFile(file: string, name: string, text: string, problems: ContentProblem[]): LessonFile | null {
  const m = LESSON_FILE.exec(name);
  if (!m) {
    problems.push({ file, line: 1, column: 1, ...contentMessage("lesson.fileName") });
    return null;
  }
  if (Buffer.byteLength(text) > MAX_LESSON_BYTES) {
    problems.push({ file, line: 1, column: 1, ...contentMessage("lesson.tooLong", { kb: MAX_LESSON_BYTES / 1024 }) });
    return null;
  }
  const parsed = yamlFrontmatter(file, text, problems);
  if (!parsed) return null;
  const meta = lessonMetaSchema.safeParse(parsed.data);
  if (!meta.success) {
    for (const issue of meta.error.issues) {
      problems.push({ file, line: lineOfKey(text.replace(/^---\n/, ""), issue.path[0]) + 1, column: 1, ...fieldIssue(issue.path.join("."), issue) });
    }
    return null;
  }
  // The body alone is stored; title and minutes live in their own fields.
  const source = parsed.content.replace(/^\n+/, "");
  return { file, bodyLine: lineOfBody(text, source), slug: m[2], position: Number(m[1]), ...meta.data, source };
}

/** Parses a quiz bank; errors point at the question's line in the JSON text. */
export function parseQuizFile(file: string, text: string, problems: ContentProblem[]): QuestionData[] | null {
  if (Buffer.byteLength(text) > MAX_QUIZ_BYTES) {
    problems.push({ file, line: 1, column: 1, ...contentMessage("quiz.tooLarge", { mb: MAX_QUIZ_BYTES / 1024 / 1024 }) });
    return null;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // V8's message is English and, depending on the Node version, has no place at all.
    const at = jsonErrorOffset(text);
    const message = contentMessage(at >= text.length ? "quiz.jsonTruncated" : "quiz.jsonMisplaced");
    problems.push({ file, ...placeAt(text, Math.min(at, text.length)), ...message });
    return null;
  }
  const list = (data as { questions?: unknown })?.questions;
  if (!Array.isArray(list)) {
    problems.push({ file, line: 1, column: 1, ...contentMessage("quiz.shape") });
    return null;
  }
  const starts = questionOffsets(text);
  // Where the question's own id is written, so a duplicate is reported where it is, not at its twin.
  const placeOfQuestion = (i: number) => {
    const start = starts[i] ?? 0;
    const id = (list[i] as { id?: unknown })?.id;
    const at = typeof id === "string" ? text.indexOf(JSON.stringify(id), start) : -1;
    return placeAt(text, at >= 0 && (starts[i + 1] === undefined || at < starts[i + 1]) ? at : start);
  };
  const questions: QuestionData[] = [];
  const seen = new Map<string, number>();
  list.forEach((raw, i) => {
    const q = questionSchema.safeParse(raw);
    if (!q.success) {
      for (const issue of q.error.issues) {
        const params = { number: i + 1, field: issue.path.join("."), detail: issueMessage(issue) };
        problems.push({ file, ...placeOfQuestion(i), ...contentMessage(issue.path.length ? "quiz.questionFieldIssue" : "quiz.questionIssue", params) });
      }
      return;
    }
    if (seen.has(q.data.id)) {
      problems.push({ file, ...placeOfQuestion(i), ...contentMessage("quiz.duplicateId", { id: q.data.id, other: seen.get(q.data.id)! + 1 }) });
      return;
    }
    seen.set(q.data.id, i);
    questions.push(q.data as QuestionData);
  });
  return questions;
}

/** Offsets where each element of the top-level "questions" array starts, in text already parsed as JSON. */
function questionOffsets(text: string): number[] {
  let offsets: number[] = [];
  let depth = 0;
  let stringStart = -1;
  let lastString = "";
  let key = "";
  let inQuestions = false;
  let expectElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (stringStart >= 0) {
      if (c === "\\") i++;
      else if (c === '"') {
        lastString = text.slice(stringStart, i + 1);
        stringStart = -1;
      }
      continue;
    }
    if (/\s/.test(c)) continue;
    if (inQuestions && depth === 2 && expectElement && c !== "]") {
      offsets.push(i);
      expectElement = false;
    }
    if (c === '"') stringStart = i;
    else if (c === ":" && depth === 1) key = JSON.parse(lastString) as string;
    else if (c === "{" || c === "[") {
      depth++;
      if (c === "[" && depth === 2 && key === "questions") {
        // JSON.parse keeps the last of repeated keys; so does this.
        offsets = [];
        inQuestions = expectElement = true;
      }
    } else if (c === "}" || c === "]") {
      if (depth === 2) inQuestions = false;
      depth--;
    } else if (c === "," && depth === 2 && inQuestions) expectElement = true;
  }
  return offsets;
}

/** Offset of the first syntax error in `text`, which JSON.parse refused. */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const string = () => {
    for (i++; i < text.length && text[i] !== '"'; i++) {
      if (text[i] === "\\") i++;
      else if (text.charCodeAt(i) < 0x20) fail();
    }
    if (i >= text.length) fail();
    i++;
  };
  const list = (close: string, item: () => void) => {
    i++;
    space();
    if (text[i] === close) return void i++;
    for (;;) {
      item();
      space();
      if (text[i] === close) return void i++;
      if (text[i] !== ",") fail();
      i++;
    }
  };
  const value = (): void => {
    space();
    if (text[i] === "{") {
      return list("}", () => {
        space();
        if (text[i] !== '"') fail();
        string();
        space();
        if (text[i] !== ":") fail();
        i++;
        value();
      });
    }
    if (text[i] === "[") return list("]", value);
    if (text[i] === '"') return string();
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 100));
    if (!literal) fail();
    i += literal![0].length;
  };
  try {
    value();
    space();
    return i;
  } catch (at) {
    return typeof at === "number" ? at : 0; // too deep to follow: the start of the file
  }
}

const SCHEMA_PARAMS: Record<string, Message["params"]> = { [`${K}.settings.category`]: { values: CATEGORIES.join(", ") } };

function isContentKey(message: string): boolean {
  return message.startsWith(`${K}.`);
}

/** A schema issue as a Message: the schema's own key, or zod's rule in the reader's words. */
function issueMessage(issue: z.ZodIssue): Message {
  if (isContentKey(issue.message)) {
    const params = issue.code === "custom" ? issue.params : SCHEMA_PARAMS[issue.message];
    return { key: issue.message, ...(params && { params }) };
  }
  if (issue.code === "too_small" || issue.code === "too_big") {
    const limit: Message["params"] = issue.code === "too_small" ? { minimum: Number(issue.minimum) } : { maximum: Number(issue.maximum) };
    const rule = issue.type === "string" ? "Text" : issue.type === "array" ? "Items" : "Number";
    return contentMessage(`zod.${issue.code === "too_small" ? "tooSmall" : "tooBig"}${rule}`, limit);
  }
  if (issue.code === "invalid_type") return contentMessage(issue.received === "undefined" ? "zod.missing" : issue.expected === "integer" ? "zod.notInteger" : "zod.wrongType");
  return contentMessage("zod.invalid");
}

function fieldIssue(field: string, issue: z.ZodIssue): Message {
  return contentMessage("field", { field, detail: issueMessage(issue) });
}

/** 1-based line and column of an offset in `text`. */
function placeAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Checks that need the whole course: lesson order, quiz size against the bank. */
export function checkCourseAsWhole(dir: string, course: CourseFiles, problems: ContentProblem[]) {
  if (!SLUG.test(course.slug)) problems.push({ file: dir, line: 1, column: 1, ...contentMessage("course.folderName") });
  if (course.lessons.length === 0) problems.push({ file: dir, line: 1, column: 1, ...contentMessage("course.noLessons") });
  const slugs = new Set<string>(["quiz"]); // "quiz" is the quiz page's address
  for (const l of course.lessons) {
    if (slugs.has(l.slug)) problems.push({ file: l.file, line: 1, column: 1, ...contentMessage("course.duplicateLesson", { slug: l.slug }) });
    slugs.add(l.slug);
  }
  const media = new Set(course.media.map((m) => m.name));
  for (const q of course.questions) {
    if (q.image && !media.has(q.image)) problems.push({ file: `${dir}/quiz.json`, line: 1, column: 1, key: "qbank.content.imageMissing", params: { id: q.id, image: q.image } });
  }
  if (course.questions.length < course.settings.quizSize) {
    problems.push({ file: `${dir}/quiz.json`, line: 1, column: 1, ...contentMessage("course.quizTooSmall", { questions: course.questions.length, quizSize: course.settings.quizSize }) });
  }
}

/** Writes a course back in the content/ format (used by export): text files, and images as bytes. */
export function serializeCourse(course: CourseFiles): Record<string, string | Uint8Array> {
  const yaml = (obj: Record<string, unknown>) =>
    Object.entries(obj)
      .map(([k, v]) => `${k}: ${typeof v === "string" ? JSON.stringify(v) : String(v)}`)
      .join("\n");
  const files: Record<string, string | Uint8Array> = {};
  files["course.md"] = `---\n${yaml(course.settings)}\n---\n\n${course.intro}\n`;
  for (const l of course.lessons) {
    const front = yaml({ title: l.title, titleEn: l.titleEn, minutes: l.minutes });
    const body = l.source.endsWith("\n") ? l.source : `${l.source}\n`;
    files[`lessons/${String(l.position).padStart(2, "0")}-${l.slug}.mdx`] = `---\n${front}\n---\n\n${body}`;
  }
  files["quiz.json"] = `${JSON.stringify({ questions: course.questions }, null, 2)}\n`;
  for (const m of course.media) files[`media/${m.name}`] = m.bytes;
  return files;
}
