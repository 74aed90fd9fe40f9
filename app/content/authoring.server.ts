// The trainer area (/author): who may edit which course, and every change a trainer makes to a
// draft. Learners only ever see a published CourseVersion, so nothing here reaches them until
// publishCourse freezes the draft. Messages returned to pages are translation keys.
import crypto from "node:crypto";
import type { AppLoadContext } from "@remix-run/node";
import { strToU8, zipSync } from "fflate";
import { z } from "zod";
import { MDX_COMPONENT_SPECS, type MdxComponentSpec } from "~/components/mdx";
import {
  findCourseForAccess,
  findLesson,
  findQuestion,
  getCourseForExport,
  listLessons,
  slugTaken,
  type CourseRef,
  type EditableScope,
} from "~/content/authoring.data.server";
import { MAX_CHOICES, MAX_IMAGE_BYTES, RESERVED_COURSE_SLUGS } from "~/utils/authoring";
import { CATEGORIES, QUESTION_TYPES, REVIEW_POLICIES, SLUG, type Choice, type QuestionType } from "~/utils/course";
import { audit } from "~/platform/audit.server";
import { requireUser, type SessionUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { publishCourse, type PublishResult } from "~/content/content-sync.server";
import {
  courseSettingsSchema,
  detectImageType,
  MAX_LESSON_BYTES,
  questionSchema,
  serializeCourse,
  type CourseFiles,
  type ImageMime,
  type QuestionData,
} from "~/content/course-format.server";
import { db } from "~/platform/db.server";
import { parseForm, type FieldErrors } from "~/platform/forms.server";
import { checkLessonMdx, compileLessonMdx, MDX_RENDERER_VERSION, type MdxProblem } from "~/content/mdx.server";
import { clientIp, MAX_ID, notFound } from "~/platform/request.server";
import "~/locales/author";

// ---------------------------------------------------------------------------------------
// Access

type Author = Pick<SessionUser, "id" | "roles">;

/** Administrators edit every course; trainers edit their own and the shipped curriculum. */
export function editableScope(user: Author): EditableScope {
  return user.roles.some((r) => r.role === "admin") ? null : { userId: user.id };
}

export function canEditCourse(user: Author, course: { ownerId: number | null; origin: string }): boolean {
  const scope = editableScope(user);
  return scope === null || course.ownerId === user.id || course.origin === "content";
}

/** Every page of the trainer area starts here: signed in (else login), "course.author" (else 403). */
export async function requireAuthor(request: Request, context: AppLoadContext) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "course.author", null, { ip });
  return { user, ip };
}

/** A course the user may edit, or 404 whether it does not exist or is someone else's. */
export async function requireEditableCourse(request: Request, context: AppLoadContext, slug: string | undefined) {
  const { user, ip } = await requireAuthor(request, context);
  const course = slug && slug.length <= 100 && SLUG.test(slug) ? await findCourseForAccess(slug) : null;
  if (!course) throw notFound();
  if (!canEditCourse(user, course)) {
    await audit({ action: "access.denied", outcome: "denied", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { capability: "course.author", status: 404 } });
    throw notFound();
  }
  return { user, ip, course };
}

type Actor = { user: SessionUser; ip: string; course: CourseRef };

/** Draft edits move updatedAt, so the course page can say when the draft last changed. */
async function touchCourse(courseId: number) {
  await db.course.update({ where: { id: courseId }, data: { updatedAt: new Date() } });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002";
}

/** Browsers submit textarea line breaks as CRLF; lessons are stored with LF only. */
function normaliseText(value: string): string {
  return value.replace(/\r\n?/g, "\n").normalize("NFC");
}

/** A whole number given as text, within [min, max]; the message key names the range. */
const wholeNumber = (min: number, max: number, key: string) =>
  z
    .string({ message: key })
    .trim()
    .regex(/^\d{1,6}$/, key)
    .transform(Number)
    .refine((n) => n >= min && n <= max, key);

const checkbox = z
  .literal("on")
  .optional()
  .transform((v) => v === "on");

// ---------------------------------------------------------------------------------------
// Courses

const createCourseForm = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "author.errors.slugRequired")
    .max(80, "author.errors.slugTooLong")
    .regex(SLUG, "author.errors.slugFormat")
    .refine((s) => !RESERVED_COURSE_SLUGS.includes(s), "author.errors.slugReserved"),
  title: z.string().trim().min(1, "author.errors.titleRequired").max(200, "author.errors.titleTooLong"),
  category: z.enum(CATEGORIES, { message: "author.errors.category" }),
});

export async function createCourse(user: SessionUser, ip: string, form: FormData): Promise<{ ok: true; slug: string } | { ok: false; errors: FieldErrors }> {
  const parsed = parseForm(createCourseForm, form);
  if (!parsed.ok) return parsed;
  const { slug, title, category } = parsed.value;
  if (await slugTaken(slug)) return { ok: false, errors: { slug: "author.errors.slugTaken" } };
  try {
    const course = await db.course.create({ data: { slug, title: title.normalize("NFC"), category, ownerId: user.id, origin: "web" } });
    await audit({ action: "course.create", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { slug } });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { slug: "author.errors.slugTaken" } };
    throw error;
  }
  return { ok: true, slug };
}

const settingsForm = z.object({
  title: z.string().trim().min(1, "author.errors.titleRequired").max(200, "author.errors.titleTooLong"),
  titleEn: z.string().trim().max(200, "author.errors.titleTooLong").default(""),
  summary: z.string().trim().max(600, "author.settings.errors.summary").default(""),
  summaryEn: z.string().trim().max(600, "author.settings.errors.summary").default(""),
  category: z.enum(CATEGORIES, { message: "author.errors.category" }),
  estimatedMinutes: wholeNumber(1, 10_000, "author.settings.errors.estimatedMinutes"),
  validityMonths: wholeNumber(0, 240, "author.settings.errors.validityMonths"),
  passingScore: wholeNumber(1, 100, "author.settings.errors.passingScore"),
  quizSize: wholeNumber(1, 100, "author.settings.errors.quizSize"),
  maxAttempts: wholeNumber(0, 100, "author.settings.errors.maxAttempts"),
  retryWaitMinutes: wholeNumber(0, 100_000, "author.settings.errors.retryWaitMinutes"),
  timeLimitMinutes: wholeNumber(0, 1_000, "author.settings.errors.timeLimitMinutes"),
  sequential: checkbox,
  selfEnroll: checkbox,
  reviewPolicy: z.enum(REVIEW_POLICIES, { message: "author.settings.errors.reviewPolicy" }),
  intro: z.string().max(MAX_LESSON_BYTES, "author.settings.errors.introTooLong").default(""),
});

export type MdxProblemView = MdxProblem;

export type SettingsResult = { ok: true } | { ok: false; errors: FieldErrors; introProblems: MdxProblemView[] };

export async function updateSettings({ user, ip, course }: Actor, form: FormData): Promise<SettingsResult> {
  const parsed = parseForm(settingsForm, form);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, introProblems: [] };
  const { intro: rawIntro, ...fields } = parsed.value;
  // The shared content format stays the authority on what a course may hold.
  const settings = courseSettingsSchema.safeParse({ ...fields, title: fields.title.normalize("NFC"), titleEn: fields.titleEn.normalize("NFC") });
  if (!settings.success) return { ok: false, errors: { _: "author.errors.invalid" }, introProblems: [] };
  const intro = normaliseText(rawIntro).trim();
  const introProblems = intro ? checkLessonMdx(intro) : [];
  if (introProblems.length) return { ok: false, errors: { intro: "author.settings.errors.intro" }, introProblems };
  await db.course.update({ where: { id: course.id }, data: { ...settings.data, intro } });
  await audit({ action: "course.settings", actorId: user.id, targetType: "course", targetId: course.id, ip });
  return { ok: true };
}

/** Publishes the draft; a second, simultaneous publish of the same draft finds nothing new. */
export async function publish({ user, ip, course }: Actor): Promise<PublishResult> {
  let result: PublishResult;
  try {
    result = await publishCourse(course.id, user.id);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    result = await publishCourse(course.id, user.id);
  }
  await audit({
    action: "course.publish",
    actorId: user.id,
    outcome: result.ok ? "ok" : "failed",
    targetType: "course",
    targetId: course.id,
    ip,
    detail: result.ok ? { number: result.number, created: result.created } : { problems: result.problems },
  });
  return result;
}

// ---------------------------------------------------------------------------------------
// Lessons

const RESERVED_LESSON_SLUGS = ["quiz"]; // the quiz page's address

const addLessonForm = z.object({
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "author.errors.slugRequired")
    .max(80, "author.errors.slugTooLong")
    .regex(SLUG, "author.errors.slugFormat")
    .refine((s) => !RESERVED_LESSON_SLUGS.includes(s), "author.lessons.errors.slugReserved"),
  title: z.string().trim().min(1, "author.errors.titleRequired").max(200, "author.errors.titleTooLong"),
});

export async function addLesson({ user, ip, course }: Actor, form: FormData): Promise<{ ok: true; slug: string } | { ok: false; errors: FieldErrors }> {
  const parsed = parseForm(addLessonForm, form);
  if (!parsed.ok) return parsed;
  const { slug, title } = parsed.value;
  const last = await db.lesson.aggregate({ where: { courseId: course.id }, _max: { position: true } });
  try {
    // No body yet: the lesson cannot be published until it is written and saved.
    const lesson = await db.lesson.create({
      data: { courseId: course.id, slug, title: title.normalize("NFC"), position: (last._max.position ?? 0) + 1, source: "" },
    });
    await audit({ action: "lesson.create", actorId: user.id, targetType: "lesson", targetId: lesson.id, ip, detail: { course: course.slug, slug } });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { lessonSlug: "author.lessons.errors.slugTaken" } };
    throw error;
  }
  await touchCourse(course.id);
  return { ok: true, slug };
}

/** The lesson with this id, when it belongs to the course; a lesson of another course is 404. */
async function lessonOfCourse(courseId: number, lessonId: number) {
  const lesson = await findLesson(lessonId);
  if (lesson && lesson.courseId !== courseId) throw notFound();
  return lesson;
}

/**
 * Moves a lesson one place. `from` is the position the trainer saw: when the lesson is no
 * longer there (a double submit, another tab), nothing moves.
 */
export async function moveLesson({ course }: Actor, lessonId: number, from: number, direction: "up" | "down"): Promise<void> {
  const lesson = await lessonOfCourse(course.id, lessonId);
  if (!lesson || lesson.position !== from) return;
  const lessons = await listLessons(course.id);
  const i = lessons.findIndex((l) => l.id === lessonId);
  const j = direction === "up" ? i - 1 : i + 1;
  if (j < 0 || j >= lessons.length) return;
  [lessons[i], lessons[j]] = [lessons[j], lessons[i]];
  await renumber(lessons);
  await touchCourse(course.id);
}

async function renumber(lessons: { id: number; position: number }[]) {
  await db.$transaction(lessons.map((l, index) => db.lesson.update({ where: { id: l.id }, data: { position: index + 1 } })));
}

/** Deletes a draft lesson. Published versions keep their copy, so learners are not affected until the next publish. */
export async function deleteLesson({ user, ip, course }: Actor, lessonId: number): Promise<boolean> {
  const lesson = await lessonOfCourse(course.id, lessonId);
  if (!lesson) return false; // already deleted: a double submit
  await db.lesson.deleteMany({ where: { id: lesson.id, courseId: course.id } });
  await renumber(await listLessons(course.id));
  await touchCourse(course.id);
  await audit({ action: "lesson.delete", actorId: user.id, targetType: "lesson", targetId: lesson.id, ip, detail: { course: course.slug, slug: lesson.slug } });
  return true;
}

const lessonForm = z.object({
  title: z.string().trim().min(1, "author.errors.titleRequired").max(200, "author.errors.titleTooLong"),
  titleEn: z.string().trim().max(200, "author.errors.titleTooLong").default(""),
  minutes: wholeNumber(1, 600, "author.lesson.errors.minutes"),
  source: z.string().default(""),
});

export type LessonValues = { title: string; titleEn: string; minutes: string; source: string };

export type LessonResult =
  | { ok: true; html: string; saved: boolean }
  | { ok: false; errors: FieldErrors; problems: MdxProblemView[] };

/** Compiles a lesson body; with any problem the result lists each one with its line and column. */
async function compileBody(source: string): Promise<{ ok: true; html: string; hash: string } | { ok: false; problems: MdxProblemView[] }> {
  if (Buffer.byteLength(source, "utf8") > MAX_LESSON_BYTES) return { ok: false, problems: [{ line: 1, column: 1, key: "author.lesson.errors.tooLong" }] };
  // Title and minutes have their own fields here; a pasted content/ header would be lost.
  if (/^\uFEFF?---[ \t]*\n/.test(source)) return { ok: false, problems: [{ line: 1, column: 1, key: "author.lesson.errors.frontmatter" }] };
  const result = await compileLessonMdx(source);
  if (!result.ok) return { ok: false, problems: result.problems };
  return { ok: true, html: result.html, hash: result.hash };
}

export function lessonValues(form: FormData): LessonValues {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  return { title: text("title"), titleEn: text("titleEn"), minutes: text("minutes"), source: normaliseText(text("source")) };
}

/** Renders the submitted body without saving anything. */
export async function previewLesson(form: FormData): Promise<LessonResult> {
  const compiled = await compileBody(lessonValues(form).source);
  return compiled.ok ? { ok: true, html: compiled.html, saved: false } : { ok: false, errors: {}, problems: compiled.problems };
}

/** Validates, compiles and stores the draft lesson; on any problem nothing is saved. */
export async function saveLesson({ user, ip, course }: Actor, lessonId: number, form: FormData): Promise<LessonResult> {
  const values = lessonValues(form);
  const parsed = parseForm(lessonForm, form);
  const compiled = await compileBody(values.source);
  if (!parsed.ok || !compiled.ok) {
    return { ok: false, errors: parsed.ok ? {} : parsed.errors, problems: compiled.ok ? [] : compiled.problems };
  }
  const { title, titleEn, minutes } = parsed.value;
  await db.lesson.updateMany({
    where: { id: lessonId, courseId: course.id },
    data: {
      title: title.normalize("NFC"),
      titleEn: titleEn.normalize("NFC"),
      minutes,
      source: values.source,
      sourceHash: compiled.hash,
      html: compiled.html,
      rendererVersion: MDX_RENDERER_VERSION,
    },
  });
  await touchCourse(course.id);
  await audit({ action: "lesson.save", actorId: user.id, targetType: "lesson", targetId: lessonId, ip, detail: { course: course.slug, sourceHash: compiled.hash } });
  return { ok: true, html: compiled.html, saved: true };
}

/** Whether the stored HTML is missing or was rendered by an older version of the components. */
export function lessonNeedsSave(lesson: { rendererVersion: number; sourceHash: string }): boolean {
  return !lesson.sourceHash || lesson.rendererVersion !== MDX_RENDERER_VERSION;
}

// ---------------------------------------------------------------------------------------
// Media

const IMAGE_EXTENSIONS: Record<ImageMime, string> = { "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp" };

/** A file name reduced to [a-z0-9._-], without Vietnamese diacritics, ending in the image's real extension. */
export function sanitiseMediaName(original: string, ext: string): string {
  const base = (original.split(/[\\/]/).pop() ?? "")
    .replace(/\.[A-Za-z0-9]{1,5}$/, "")
    .replace(/[đĐ]/g, "d")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/([._-])[._-]+/g, "$1")
    .replace(/^[._-]+|[._-]+$/g, "")
    .slice(0, 60)
    .replace(/[._-]+$/, "");
  return `${base || "anh"}.${ext}`;
}

export type UploadResult = { ok: true; name: string } | { ok: false; error: string };

/**
 * Stores an image for the course. The declared type must be an accepted image type AND the
 * bytes must start like one, so a text file renamed .png is refused. The same image uploaded
 * twice (a double submit) is stored once.
 */
export async function uploadMedia({ user, ip, course }: Actor, file: FormDataEntryValue | null): Promise<UploadResult> {
  if (!file || typeof file === "string" || file.size === 0) return { ok: false, error: "author.media.errors.noFile" };
  if (file.size > MAX_IMAGE_BYTES) return { ok: false, error: "author.media.errors.tooLarge" };
  const declared = file.type === "image/jpg" ? "image/jpeg" : file.type;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const actual = detectImageType(bytes);
  if (actual === null || actual !== declared) {
    await audit({ action: "media.upload", outcome: "failed", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { declared: file.type.slice(0, 60), size: file.size } });
    return { ok: false, error: "author.media.errors.notImage" };
  }
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const same = await db.media.findFirst({ where: { courseId: course.id, sha256 }, select: { name: true } });
  if (same) return { ok: true, name: same.name };

  const wanted = sanitiseMediaName(file.name, IMAGE_EXTENSIONS[actual]);
  const stem = wanted.slice(0, wanted.lastIndexOf("."));
  const ext = wanted.slice(wanted.lastIndexOf("."));
  const taken = new Set(
    (await db.media.findMany({ where: { courseId: course.id, name: { startsWith: stem } }, select: { name: true } })).map((m) => m.name),
  );
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${stem}-${n}${ext}`;
  try {
    await db.media.create({ data: { courseId: course.id, name, mime: declared, size: bytes.byteLength, sha256, data: bytes } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return { ok: false, error: "author.media.errors.retry" };
  }
  await audit({ action: "media.upload", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { name, mime: actual, size: bytes.byteLength } });
  return { ok: true, name };
}

export function mediaSnippet(courseSlug: string, name: string): string {
  return `<Figure src="/media/${courseSlug}/${name}" alt="..." />`;
}

// ---------------------------------------------------------------------------------------
// Quiz bank

export type QuestionValues = {
  questionId: string;
  key: string;
  type: string;
  prompt: string;
  explanation: string;
  choices: { id: string; text: string; correct: boolean }[];
};

/** The question form as submitted, padded to MAX_CHOICES rows so it can be shown again. */
export function questionValues(form: FormData): QuestionValues {
  const text = (name: string, max = 3000) => {
    const v = form.get(name);
    return typeof v === "string" ? normaliseText(v).slice(0, max) : "";
  };
  const choices = Array.from({ length: MAX_CHOICES }, (_, i) => ({
    id: text(`choice${i}Id`, 20).trim(),
    text: text(`choice${i}Text`, 1000),
    correct: form.get(`choice${i}Correct`) === "on",
  }));
  return {
    questionId: text("questionId", 12).trim(),
    key: text("key", 40).trim(),
    type: text("type", 20).trim(),
    prompt: text("prompt"),
    explanation: text("explanation"),
    choices,
  };
}

/**
 * Turns the form's rows into choices. Blank rows are skipped. A true/false question's two rows
 * are "true" and "false" in that order; other rows keep the id they had, or get the next letter.
 */
function choicesFrom(values: QuestionValues): Choice[] {
  const rows = values.choices.filter((c) => c.text.trim() !== "" || c.correct);
  const used = new Set<string>();
  const letters = "abcdefghijklmnopqrstuvwxyz".split("");
  return rows.map((row, i) => {
    let id = values.type === "truefalse" ? (["true", "false"][i] ?? "") : /^[A-Za-z0-9_-]{1,20}$/.test(row.id) ? row.id : "";
    if (!id || used.has(id)) id = letters.find((l) => !used.has(l)) ?? `c${i}`;
    used.add(id);
    return { id, text: row.text.trim(), correct: row.correct };
  });
}

/** Maps the content format's question rules to messages a trainer can act on. */
function questionErrors(candidate: { id: string; type: string; choices: Choice[] }, issues: z.ZodIssue[]): { errors: FieldErrors; problems: string[] } {
  const errors: FieldErrors = {};
  const problems = new Set<string>();
  const FIELD_KEYS: Record<string, string> = {
    id: "author.quiz.errors.key",
    type: "author.quiz.errors.type",
    prompt: "author.quiz.errors.prompt",
    explanation: "author.quiz.errors.explanation",
  };
  let custom = false;
  for (const issue of issues) {
    const [first, , leaf] = issue.path;
    if (issue.code === "custom" && issue.path.length === 0) custom = true;
    else if (typeof first === "string" && FIELD_KEYS[first]) errors[first === "id" ? "key" : first] ??= FIELD_KEYS[first];
    else if (first === "choices" && leaf === "text") problems.add("author.quiz.errors.choiceText");
    else if (first === "choices") problems.add(candidate.choices.length < 2 ? "author.quiz.errors.tooFewChoices" : "author.quiz.errors.tooManyChoices");
    else problems.add("author.errors.invalid");
  }
  if (custom) {
    // The same rules as questionSchema, each with its own explanation.
    const correct = candidate.choices.filter((c) => c.correct).length;
    const ids = candidate.choices.map((c) => c.id);
    if (new Set(ids).size !== ids.length) problems.add("author.quiz.errors.duplicateChoice");
    if (correct === 0) problems.add("author.quiz.errors.noCorrect");
    else if (candidate.type === "multiple" && correct < 2) problems.add("author.quiz.errors.multipleNeedsTwo");
    else if (candidate.type !== "multiple" && correct > 1) problems.add("author.quiz.errors.oneCorrect");
    if (candidate.type === "truefalse" && (ids.length !== 2 || !ids.includes("true") || !ids.includes("false"))) problems.add("author.quiz.errors.trueFalseShape");
    if (problems.size === 0) problems.add("author.errors.invalid");
  }
  return { errors, problems: [...problems] };
}

export type QuestionResult = { ok: true; key: string } | { ok: false; errors: FieldErrors; problems: string[]; values: QuestionValues };

/** Adds or edits a question; on any problem nothing is saved and the form comes back as typed. */
export async function saveQuestion({ user, ip, course }: Actor, form: FormData): Promise<QuestionResult> {
  const values = questionValues(form);
  const editingId = values.questionId ? Number(values.questionId) : null;
  if (editingId !== null) {
    const existing = Number.isInteger(editingId) && editingId > 0 && editingId <= MAX_ID ? await findQuestion(editingId) : null;
    if (!existing || existing.courseId !== course.id) throw notFound();
  }
  const candidate = {
    id: values.key,
    type: (QUESTION_TYPES as readonly string[]).includes(values.type) ? (values.type as QuestionType) : values.type,
    prompt: values.prompt.trim(),
    choices: choicesFrom(values),
    explanation: values.explanation.trim(),
  };
  const parsed = questionSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, ...questionErrors(candidate, parsed.error.issues), values };
  const q = parsed.data as QuestionData;
  const clash = await db.quizQuestion.findUnique({ where: { courseId_key: { courseId: course.id, key: q.id } }, select: { id: true } });
  if (clash && clash.id !== editingId) return { ok: false, errors: { key: "author.quiz.errors.keyTaken" }, problems: [], values };
  const data = { key: q.id, type: q.type, prompt: q.prompt, choices: JSON.stringify(q.choices), explanation: q.explanation };
  try {
    if (editingId !== null) {
      await db.quizQuestion.updateMany({ where: { id: editingId, courseId: course.id }, data });
    } else {
      const last = await db.quizQuestion.aggregate({ where: { courseId: course.id }, _max: { position: true } });
      await db.quizQuestion.create({ data: { courseId: course.id, position: (last._max.position ?? 0) + 1, ...data } });
    }
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { key: "author.quiz.errors.keyTaken" }, problems: [], values };
    throw error;
  }
  await touchCourse(course.id);
  await audit({
    action: editingId !== null ? "question.update" : "question.create",
    actorId: user.id,
    targetType: "course",
    targetId: course.id,
    ip,
    detail: { key: q.id },
  });
  return { ok: true, key: q.id };
}

export async function deleteQuestion({ user, ip, course }: Actor, questionId: number): Promise<boolean> {
  const question = await findQuestion(questionId);
  if (!question) return false; // already deleted: a double submit
  if (question.courseId !== course.id) throw notFound();
  await db.quizQuestion.deleteMany({ where: { id: question.id, courseId: course.id } });
  await touchCourse(course.id);
  await audit({ action: "question.delete", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { key: question.key } });
  return true;
}

// ---------------------------------------------------------------------------------------
// Export

/** The draft course in the content/ format: course.md, lessons/NN-slug.mdx, quiz.json and media/. */
export async function exportCourseFiles(courseId: number): Promise<Record<string, string | Uint8Array>> {
  const { slug, intro, lessons, questions, media, ...settings } = await getCourseForExport(courseId);
  const course: CourseFiles = {
    slug,
    // Parsing puts the settings in the format's own order.
    settings: courseSettingsSchema.parse(settings),
    courseFile: "course.md",
    intro,
    introLine: 1,
    lessons: lessons.map((l, i) => ({ file: "", bodyLine: 1, position: i + 1, slug: l.slug, title: l.title, titleEn: l.titleEn, minutes: l.minutes, source: l.source })),
    questions: questions.map((q) => ({ id: q.key, type: q.type as QuestionType, prompt: q.prompt, choices: JSON.parse(q.choices) as Choice[], explanation: q.explanation })),
    media: media.map((m) => ({ file: "", name: m.name, mime: m.mime as ImageMime, bytes: new Uint8Array(m.data), sha256: m.sha256 })),
  };
  return serializeCourse(course);
}

/** A ZIP with one folder named after the course, ready to drop into content/courses/. */
export async function exportCourseZip(course: { id: number; slug: string }): Promise<Uint8Array<ArrayBuffer>> {
  const files = await exportCourseFiles(course.id);
  const entries: Record<string, Uint8Array> = {};
  for (const [file, content] of Object.entries(files)) entries[`${course.slug}/${file}`] = typeof content === "string" ? strToU8(content) : content;
  return new Uint8Array(zipSync(entries, { level: 6 }));
}

// ---------------------------------------------------------------------------------------
// Authoring guide

export type GuideComponent = {
  name: string;
  props: { name: string; values: string; required: boolean; default?: string }[];
  children: boolean;
  source: string;
  html: string | null;
  problems: MdxProblem[];
};

export type GuideMistake = { source: string; problems: MdxProblem[] };

export type Guide = { markdown: { source: string; html: string | null }; components: GuideComponent[]; mistakes: GuideMistake[] };

// Sample lesson text (lesson content, which is Vietnamese, not interface text).
const MARKDOWN_SAMPLE = [
  "## Tiêu đề mục",
  "",
  "Một đoạn văn có **chữ đậm**, *chữ nghiêng* và [một liên kết](https://dichvucong.gov.vn).",
  "",
  "- Ý thứ nhất",
  "- Ý thứ hai",
  "",
  "1. Bước một",
  "2. Bước hai",
  "",
  "> Trích dẫn quy định hoặc lời khuyên.",
].join("\n");

// Mistakes trainers make most often; the guide shows the checker's real message for each.
const MISTAKE_SAMPLES = [
  "Số hồ sơ hôm nay: {process.env.SO_HO_SO}",
  '<script>alert("xin chào")</script>',
  '<Callout type="canh-bao">\n\nNội dung.\n\n</Callout>',
  "<Callout>\n\nQuên thẻ đóng.",
  '<Figure src="anh-chup.png" alt="Màn hình" />',
  '<Figure src="/media/khoa-hoc/anh.png" />',
  '<callout title="Viết sai chữ hoa">\n\nNội dung.\n\n</callout>',
  "Bấm vào <Term name=\"VNeID\">ứng dụng</Term> để đăng nhập.",
  "![](/media/khoa-hoc/so-do.png)",
];

// The components' own examples point at images that only exist in a course's media library;
// the guide shows them with the sample images shipped in public/media/huong-dan/.
function guideSource(spec: MdxComponentSpec): string {
  return spec.example.replace(/src="\/media\/([^"/]+)\.[a-z]+"/g, 'src="/media/huong-dan/$1.svg"');
}

async function compileGuide(): Promise<Guide> {
  const components: GuideComponent[] = [];
  for (const [name, spec] of Object.entries(MDX_COMPONENT_SPECS) as [string, MdxComponentSpec][]) {
    const source = guideSource(spec);
    const result = await compileLessonMdx(source);
    components.push({
      name,
      props: Object.entries(spec.props).map(([prop, p]) => ({
        name: prop,
        values: typeof p.values === "string" ? p.values : p.values.join(" | "),
        required: p.required,
        default: p.default,
      })),
      children: spec.children,
      source,
      html: result.ok ? result.html : null,
      problems: result.ok ? [] : result.problems,
    });
  }
  const markdown = await compileLessonMdx(MARKDOWN_SAMPLE);
  return {
    markdown: { source: MARKDOWN_SAMPLE, html: markdown.ok ? markdown.html : null },
    components,
    mistakes: MISTAKE_SAMPLES.map((source) => ({ source, problems: checkLessonMdx(source) })),
  };
}

// Compiled once per renderer version and process: the examples are fixed text.
const guideCache = new Map<number, Promise<Guide>>();

export function authoringGuide(): Promise<Guide> {
  let guide = guideCache.get(MDX_RENDERER_VERSION);
  if (!guide) {
    guide = compileGuide();
    guideCache.set(MDX_RENDERER_VERSION, guide);
    guide.catch(() => guideCache.delete(MDX_RENDERER_VERSION));
  }
  return guide;
}
