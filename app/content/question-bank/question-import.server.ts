// Importing question files into a course's draft bank: the file is recognised by its bytes,
// read by its format, checked as a whole against the bank's rules (questionSchema), and added
// all or nothing. Nothing reaches learners until the trainer publishes. See decision 027.
import crypto from "node:crypto";
import type { CourseEditing } from "~/content/authoring-access.server";
import { sanitiseMediaName } from "~/content/authoring.server";
import { questionSchema } from "~/content/course-format.server";
import { detectMediaType } from "~/content/media-types.server";
import { readAiken } from "~/content/question-bank/aiken.server";
import { readGift } from "~/content/question-bank/gift.server";
import { readMoodleXml } from "~/content/question-bank/moodle-xml.server";
import { QuestionFileError, type QuestionFormat, type ReadFile, type ReadQuestion, type SkippedQuestion } from "~/content/question-bank/question-file.server";
import { addImportedQuestions, bankForImport, findUpload, keepUpload, type NewMedia, type NewQuestion } from "~/content/question-bank.data.server";
import { readQuestionSheet } from "~/content/question-bank/question-sheet.server";
import { decodeText, EncodingError, type TextEncoding } from "~/content/question-bank/text-encoding.server";
import { audit } from "~/platform/audit.server";
import { Limiter } from "~/platform/rate-limit.server";
import { MAX_IMAGE_BYTES } from "~/utils/authoring";
import { MEDIA_TYPES, mediaKindOf } from "~/utils/media";
import type { Choice, QuestionType } from "~/utils/course";

export const MAX_QUESTION_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_IMAGE_ALT = 300;
const KEY = /^[A-Za-z0-9_-]{1,40}$/;

export type Problem = { key: string; params: Record<string, string | number> };

export type PlannedQuestion = {
  position: number;
  line: number;
  key: string;
  category: string;
  type: QuestionType;
  prompt: string;
  choices: Choice[];
  explanation: string;
  image: { name: string; alt: string; size: number; reused: boolean } | null;
  /** The bank already holds a question with the same text. */
  duplicate: boolean;
};

export type ImportPlan = {
  format: QuestionFormat;
  encoding: TextEncoding | null;
  questions: PlannedQuestion[];
  skipped: SkippedQuestion[];
  categories: string[];
  /** Images to add to the course's library. */
  media: NewMedia[];
};

export type PlanResult = { ok: true; plan: ImportPlan } | { ok: false; format: QuestionFormat | null; encoding: TextEncoding | null; problems: Problem[] };

/** Uploads checked per account: 30 per 10 minutes (each reads up to 10 MB). */
export const importLimiter = new Limiter("qbank_import", 30, 10 * 60);

const problem = (key: string, params: Record<string, string | number> = {}): Problem => ({ key, params });

// ---------------------------------------------------------------------------------------
// Reading

/** The file's format by its bytes first (a ZIP stays a ZIP whatever its name), then its content. */
export function readQuestionFile(fileName: string, bytes: Uint8Array): { format: QuestionFormat; encoding: TextEncoding | null; file: ReadFile } {
  if (bytes.byteLength > MAX_QUESTION_FILE_BYTES) throw new QuestionFileError("qbank.errors.tooLarge", { mb: MAX_QUESTION_FILE_BYTES / 1024 / 1024 });
  if (bytes.byteLength === 0) throw new QuestionFileError("qbank.errors.empty");
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const isOle = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  const isGzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const extension = /\.([A-Za-z0-9]{1,5})$/.exec(fileName)?.[1].toLowerCase() ?? "";
  if (isZip && (extension === "xlsx" || extension === "ods")) return { format: "xlsx", encoding: null, file: readQuestionSheet(fileName, bytes) };
  if (isOle && extension === "xls") return { format: "xlsx", encoding: null, file: readQuestionSheet(fileName, bytes) };
  if (isZip || isGzip) throw new QuestionFileError("qbank.errors.archive");
  if (isOle) throw new QuestionFileError("qbank.errors.oldOffice");
  // A PDF, a picture or a recording under a question file's name: say what it is.
  const media = detectMediaType(bytes);
  if (media && media !== "text/vtt") throw new QuestionFileError("qbank.errors.mediaFile", { type: MEDIA_TYPES[media].ext.toUpperCase() });
  if (extension === "xlsx" || extension === "xls" || extension === "ods") throw new QuestionFileError("qbank.errors.sheet.badXlsx");
  if (extension === "csv") return { format: "csv", encoding: "utf-8", file: readQuestionSheet(fileName, bytes) };
  let decoded: ReturnType<typeof decodeText>;
  try {
    decoded = decodeText(bytes);
  } catch (e) {
    if (e instanceof EncodingError) throw new QuestionFileError(`qbank.errors.encoding.${e.reason}`);
    throw e;
  }
  const { text, encoding } = decoded;
  const start = text.replace(/^\uFEFF/, "").trimStart();
  if (start.startsWith("<")) return { format: "moodle-xml", encoding, file: readMoodleXml(text) };
  // Aiken has "ANSWER:" lines and no braces; GIFT always has braces around its answers.
  if (/^\s*ANSWER\s*:/im.test(text) && !/(^|[^\\])\{/.test(text)) return { format: "aiken", encoding, file: readAiken(text) };
  return { format: "gift", encoding, file: readGift(text) };
}

// ---------------------------------------------------------------------------------------
// Planning

/** "Câu_1" → "Cau_1"; null when the title cannot be a key as it is. */
function keyFromTitle(title: string): string | null {
  const plain = title.replace(/[đĐ]/g, (c) => (c === "đ" ? "d" : "D")).normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim();
  return KEY.test(plain) ? plain : null;
}

/** The problems of one question against the bank's rules, each named for the trainer. */
function questionProblems(q: ReadQuestion): Problem[] {
  const where = { number: q.position, line: q.line };
  const out: Problem[] = [];
  const p = (key: string, extra: Record<string, string | number> = {}) => out.push(problem(`qbank.problems.${key}`, { ...where, ...extra }));
  if (!q.prompt.trim()) p("promptEmpty");
  if (q.prompt.trim().length > 2000) p("promptTooLong", { length: q.prompt.trim().length });
  if (q.choices.length < 2) p("tooFewChoices", { count: q.choices.length });
  if (q.choices.length > 8) p("tooManyChoices", { count: q.choices.length });
  if (q.choices.some((c) => !c.text.trim())) p("choiceEmpty");
  if (q.choices.some((c) => c.text.trim().length > 1000)) p("choiceTooLong");
  if (q.explanation.trim().length > 3000) p("explanationTooLong", { length: q.explanation.trim().length });
  const right = q.choices.filter((c) => c.correct).length;
  if (right === 0) p("noCorrect");
  else if (q.type !== "multiple" && right > 1) p("oneCorrect", { count: right });
  else if (q.type === "multiple" && right < 2) p("multipleNeedsTwo");
  if (q.type === "truefalse" && q.choices.length !== 2) p("trueFalseShape");
  return out;
}

/** Reads the file and checks it against the course's bank; nothing is written. */
export async function planImport(courseId: number, fileName: string, bytes: Uint8Array): Promise<PlanResult> {
  let read: ReturnType<typeof readQuestionFile>;
  try {
    read = readQuestionFile(fileName, bytes);
  } catch (e) {
    if (e instanceof QuestionFileError) return { ok: false, format: null, encoding: null, problems: [problem(e.key, e.params)] };
    throw e;
  }
  const { format, encoding, file } = read;
  if (!file.questions.length && !file.skipped.length) return { ok: false, format, encoding, problems: [problem("qbank.errors.noQuestions")] };
  const bank = await bankForImport(courseId);
  const keys = new Set(bank.questions.map((q) => q.key));
  const prompts = new Set(bank.questions.map((q) => q.prompt.trim()));
  const names = new Set(bank.media.map((m) => m.name));
  const byHash = new Map(bank.media.map((m) => [m.sha256, m.name]));
  const media: NewMedia[] = [];
  const problems: Problem[] = [];
  const questions: PlannedQuestion[] = [];
  let imported = 0;
  const freeKey = (wanted: string | null) => {
    if (wanted && !keys.has(wanted)) return wanted;
    if (wanted) {
      for (let n = 2; ; n++) {
        const candidate = `${wanted.slice(0, 39 - String(n).length)}-${n}`;
        if (!keys.has(candidate)) return candidate;
      }
    }
    for (;;) {
      const candidate = `imp-${++imported}`;
      if (!keys.has(candidate)) return candidate;
    }
  };
  for (const q of file.questions) {
    const own = questionProblems(q);
    if (q.key !== undefined && !KEY.test(q.key)) own.push(problem("qbank.problems.badKey", { number: q.position, line: q.line, key: q.key.slice(0, 60) }));
    let image: PlannedQuestion["image"] = null;
    if (q.image) {
      const detected = detectMediaType(q.image.bytes);
      const mime = detected && mediaKindOf(detected) === "image" ? detected : null;
      if (!mime) own.push(problem("qbank.problems.imageNotImage", { number: q.position, line: q.line, name: q.image.fileName.slice(0, 80) }));
      else if (q.image.bytes.byteLength > MAX_IMAGE_BYTES) own.push(problem("qbank.problems.imageTooLarge", { number: q.position, line: q.line, mb: MAX_IMAGE_BYTES / 1024 / 1024 }));
      else {
        const sha256 = crypto.createHash("sha256").update(q.image.bytes).digest("hex");
        const alt = q.image.alt.replace(/\s+/g, " ").trim().slice(0, MAX_IMAGE_ALT);
        const reused = byHash.get(sha256);
        if (reused) image = { name: reused, alt, size: q.image.bytes.byteLength, reused: true };
        else {
          const wanted = sanitiseMediaName(q.image.fileName, MEDIA_TYPES[mime].ext);
          const stem = wanted.slice(0, wanted.lastIndexOf("."));
          const ext = wanted.slice(wanted.lastIndexOf("."));
          let name = wanted;
          for (let n = 2; names.has(name); n++) name = `${stem}-${n}${ext}`;
          names.add(name);
          byHash.set(sha256, name);
          media.push({ name, mime, size: q.image.bytes.byteLength, sha256, data: q.image.bytes });
          image = { name, alt, size: q.image.bytes.byteLength, reused: false };
        }
      }
    }
    if (own.length) {
      problems.push(...own);
      continue;
    }
    const key = freeKey(q.key ?? keyFromTitle(q.title));
    keys.add(key);
    const choices: Choice[] =
      q.type === "truefalse"
        ? q.choices.map((c, i) => ({ id: i === 0 ? "true" : "false", text: c.text.trim(), correct: c.correct }))
        : q.choices.map((c, i) => ({ id: "abcdefgh"[i], text: c.text.trim(), correct: c.correct }));
    const candidate = { id: key, type: q.type, prompt: q.prompt.trim(), choices, explanation: q.explanation.trim() };
    // The content format stays the authority on what a question may be.
    if (!questionSchema.safeParse(candidate).success) {
      problems.push(problem("qbank.problems.invalid", { number: q.position, line: q.line }));
      continue;
    }
    questions.push({
      position: q.position,
      line: q.line,
      key,
      category: q.category,
      type: q.type,
      prompt: candidate.prompt,
      choices,
      explanation: candidate.explanation,
      image,
      duplicate: prompts.has(candidate.prompt),
    });
  }
  if (problems.length) return { ok: false, format, encoding, problems };
  if (!questions.length) return { ok: false, format, encoding, problems: [problem("qbank.errors.nothingToImport")] };
  return { ok: true, plan: { format, encoding, questions, skipped: file.skipped, categories: file.categories, media } };
}

function newQuestions(plan: ImportPlan): NewQuestion[] {
  return plan.questions.map((q) => ({
    key: q.key,
    type: q.type,
    prompt: q.prompt,
    choices: JSON.stringify(q.choices),
    explanation: q.explanation,
    image: q.image?.name ?? null,
    imageAlt: q.image?.alt ?? "",
  }));
}

// ---------------------------------------------------------------------------------------
// Trainer pages: preview (the upload is kept), then apply (once)

export type PreviewResult = { ok: true; uploadId: number; fileName: string; plan: ImportPlan } | { ok: false; fileName: string; format: QuestionFormat | null; encoding: TextEncoding | null; problems: Problem[] };

export async function previewImport({ user, ip, course }: CourseEditing, fileName: string, bytes: Uint8Array<ArrayBuffer>): Promise<PreviewResult> {
  // Control characters of a hostile file name stay out of the page and the audit trail.
  const name = [...fileName].filter((c) => c >= " ").join("").slice(0, 200);
  const result = await planImport(course.id, name, bytes);
  if (!result.ok) {
    await audit({ action: "question.import", outcome: "failed", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { file: name, size: bytes.byteLength, problem: result.problems[0]?.key } });
    return { ok: false, fileName: name, format: result.format, encoding: result.encoding, problems: result.problems.slice(0, 100) };
  }
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const upload = await keepUpload({ courseId: course.id, userId: user.id, fileName: name, sha256, data: bytes });
  return { ok: true, uploadId: upload.id, fileName: name, plan: result.plan };
}

export type ApplyResult =
  | { ok: true; added: number; already: boolean }
  | { ok: false; expired: true }
  | { ok: false; expired: false; problems: Problem[] };

/** Adds the previewed file's questions; the file is read again, against the bank as it is now. */
export async function applyImport({ user, ip, course }: CourseEditing, uploadId: number): Promise<ApplyResult> {
  const upload = await findUpload(uploadId, course.id, user.id);
  if (!upload) return { ok: false, expired: true };
  if (upload.appliedAt) return { ok: true, added: upload.added, already: true };
  const result = await planImport(course.id, upload.fileName, new Uint8Array(upload.data));
  if (!result.ok) return { ok: false, expired: false, problems: result.problems.slice(0, 100) };
  const added = await addImportedQuestions(course.id, upload.id, result.plan.media, newQuestions(result.plan));
  if (added === null) return { ok: true, added: (await findUpload(uploadId, course.id, user.id))?.added ?? 0, already: true };
  await audit({
    action: "question.import",
    actorId: user.id,
    targetType: "course",
    targetId: course.id,
    ip,
    detail: { file: upload.fileName, format: result.plan.format, encoding: result.plan.encoding, added, skipped: result.plan.skipped.length, images: result.plan.media.length },
  });
  return { ok: true, added, already: false };
}

/** The command line: the same checks, then the questions added for the deployment (no person). */
export async function importFromCommandLine(course: { id: number }, fileName: string, bytes: Uint8Array, dryRun: boolean): Promise<PlanResult & { added?: number }> {
  const result = await planImport(course.id, fileName, bytes);
  if (!result.ok || dryRun) return result;
  const added = (await addImportedQuestions(course.id, null, result.plan.media, newQuestions(result.plan))) ?? 0;
  await audit({
    action: "question.import",
    actorId: null,
    targetType: "course",
    targetId: course.id,
    ip: "cli",
    detail: { file: fileName.slice(-200), format: result.plan.format, encoding: result.plan.encoding, added, skipped: result.plan.skipped.length, images: result.plan.media.length },
  });
  return { ...result, added };
}
