// Every change a trainer makes to a draft in the trainer area (/author). Learners only ever see
// a published CourseVersion, so nothing here reaches them until publishCourse freezes the draft.
// Messages returned to pages are translation keys.
import crypto from "node:crypto";
import { owningUnitForNewCourse, type CourseEditing } from "~/content/authoring-access.server";
import {
  publishedForComparison,
  listMedia,
  deleteDraftLesson,
  deleteDraftQuestion,
  findLesson,
  findMediaByHash,
  findQuestion,
  findQuestionByKey,
  insertCourse,
  insertLesson,
  insertMedia,
  insertQuestion,
  listLessons,
  mediaNamesStartingWith,
  renumberLessons,
  slugTaken,
  touchCourse,
  updateCourseSettings,
  updateLesson,
  updateQuestion,
} from "~/content/authoring.data.server";
import { addLessonForm, createCourseForm, lessonForm, lessonValues, normaliseText, parseQuestion, questionValues, settingsForm, type QuestionValues } from "~/content/authoring-forms.server";
import { publishCourse, type PublishResult } from "~/content/content-sync.server";
import { reviewRequired } from "~/content/versions.server";
import { courseSettingsSchema, MAX_LESSON_BYTES } from "~/content/course-format.server";
import type { MdxProblem } from "~/content/mdx-check.server";
import { MDX_RENDERER_VERSION } from "~/content/mdx-compile.server";
import { checkLesson, compileLesson } from "~/content/mdx-sandbox.server";
import type { SessionUser } from "~/identity/auth.server";
import { audit } from "~/platform/audit.server";
import { parseForm, type FieldErrors } from "~/platform/forms.server";
import { blockedFor, countRequest, limits, recordFailure } from "~/platform/rate-limit.server";
import { MAX_ID, notFound } from "~/platform/request.server";
import { detectMediaType, mediaRow, withAttachmentSizes } from "~/content/media-types.server";
import { MEDIA_LIMITS, MEDIA_TYPES, mediaKindOf } from "~/utils/media";
import "~/locales/author";

/** A unique constraint failed: a slug, a name or a key was taken meanwhile (a double submit, another tab). */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === "P2002";
}

// ---------------------------------------------------------------------------------------
// Courses

export async function createCourse(user: SessionUser, ip: string, form: FormData): Promise<{ ok: true; slug: string } | { ok: false; errors: FieldErrors }> {
  const parsed = parseForm(createCourseForm, form);
  if (!parsed.ok) return parsed;
  const { slug, title, category } = parsed.value;
  if (await slugTaken(slug)) return { ok: false, errors: { slug: "author.errors.slugTaken" } };
  try {
    const course = await insertCourse({ slug, title: title.normalize("NFC"), category, ownerId: user.id, unitId: owningUnitForNewCourse(user) });
    await audit({ action: "course.create", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { slug } });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: { slug: "author.errors.slugTaken" } };
    throw error;
  }
  return { ok: true, slug };
}

export type SettingsResult = { ok: true } | { ok: false; errors: FieldErrors; introProblems: MdxProblem[] };

export async function updateSettings({ user, ip, course }: CourseEditing, form: FormData): Promise<SettingsResult> {
  const parsed = parseForm(settingsForm, form);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, introProblems: [] };
  const { intro: rawIntro, ...fields } = parsed.value;
  // The shared content format stays the authority on what a course may hold.
  const settings = courseSettingsSchema.safeParse({ ...fields, title: fields.title.normalize("NFC"), titleEn: fields.titleEn.normalize("NFC") });
  if (!settings.success) return { ok: false, errors: { _: "author.errors.invalid" }, introProblems: [] };
  const intro = normaliseText(rawIntro).trim();
  const introProblems = intro ? await checkLesson(intro) : [];
  if (introProblems.length) return { ok: false, errors: { intro: "author.settings.errors.intro" }, introProblems };
  await updateCourseSettings(course.id, { ...settings.data, intro });
  await audit({ action: "course.settings", actorId: user.id, targetType: "course", targetId: course.id, ip });
  return { ok: true };
}

/** Publishes the draft; a second, simultaneous publish of the same draft finds nothing new. */
export async function publish({ user, ip, course }: CourseEditing): Promise<PublishResult> {
  // Where reviews are required, only an approval publishes (versions.server.ts approve).
  if (reviewRequired()) return { ok: false, problems: ["reviewRequired"] };
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

export async function addLesson({ user, ip, course }: CourseEditing, form: FormData): Promise<{ ok: true; slug: string } | { ok: false; errors: FieldErrors }> {
  const parsed = parseForm(addLessonForm, form);
  if (!parsed.ok) return parsed;
  const { slug, title } = parsed.value;
  try {
    // No body yet: the lesson cannot be published until it is written and saved.
    const lesson = await insertLesson(course.id, { slug, title: title.normalize("NFC"), source: "" });
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
export async function moveLesson({ course }: CourseEditing, lessonId: number, from: number, direction: "up" | "down"): Promise<void> {
  const lesson = await lessonOfCourse(course.id, lessonId);
  if (!lesson || lesson.position !== from) return;
  const lessons = await listLessons(course.id);
  const i = lessons.findIndex((l) => l.id === lessonId);
  const j = direction === "up" ? i - 1 : i + 1;
  if (j < 0 || j >= lessons.length) return;
  [lessons[i], lessons[j]] = [lessons[j], lessons[i]];
  await renumberLessons(lessons);
  await touchCourse(course.id);
}

/** Deletes a draft lesson. Published versions keep their copy, so learners are not affected until the next publish. */
export async function deleteLesson({ user, ip, course }: CourseEditing, lessonId: number): Promise<boolean> {
  const lesson = await lessonOfCourse(course.id, lessonId);
  if (!lesson) return false; // already deleted: a double submit
  await deleteDraftLesson(course.id, lesson.id);
  await renumberLessons(await listLessons(course.id));
  await touchCourse(course.id);
  await audit({ action: "lesson.delete", actorId: user.id, targetType: "lesson", targetId: lesson.id, ip, detail: { course: course.slug, slug: lesson.slug } });
  return true;
}

export type LessonResult =
  | { ok: true; html: string; saved: boolean }
  | { ok: false; errors: FieldErrors; problems: MdxProblem[] };

type CompiledBody = { ok: true; html: string; hash: string } | { ok: false; problems: MdxProblem[] };

/**
 * Compiles a lesson body; with any problem the result lists each one with its line and column.
 * Compiling costs a worker seconds at worst (mdx-sandbox.server.ts): someone whose lessons ran
 * out of time three times in 15 minutes waits before the next compile, so one account cannot
 * keep the workers busy for everyone else.
 */
async function compileBody({ user, course }: CourseEditing, source: string): Promise<CompiledBody> {
  if (Buffer.byteLength(source, "utf8") > MAX_LESSON_BYTES) return { ok: false, problems: [{ line: 1, column: 1, key: "author.lesson.errors.tooLong" }] };
  // Title and minutes have their own fields here; a pasted content/ header would be lost.
  if (/^\uFEFF?---[ \t]*\n/.test(source)) return { ok: false, problems: [{ line: 1, column: 1, key: "author.lesson.errors.frontmatter" }] };
  const wait = await blockedFor(limits.slowLessons, String(user.id));
  if (wait > 0) return slowDown(wait);
  const result = await compileLesson(source);
  if (!result.ok) {
    if (result.problems.some((p) => p.key === "author.check.tooSlow")) await recordFailure(limits.slowLessons, String(user.id));
    return { ok: false, problems: result.problems };
  }
  // Every file must be in this course's library and of the kind its place needs: a Figure or a
  // Video pointing nowhere, or a Video pointing at a PDF, is an error, not a broken lesson.
  const library = await listMedia(course.id);
  const prefix = `/media/${course.slug}/`;
  const kinds = new Map(library.map((m) => [`${prefix}${m.name}`, mediaKindOf(m.mime)]));
  const problems: MdxProblem[] = [];
  for (const ref of result.media ?? []) {
    const found = kinds.get(ref.path);
    if (found && (!ref.kind || ref.kind === found)) continue;
    const at = { line: ref.line, column: ref.column };
    if (found) problems.push({ ...at, key: "lessonMedia.check.wrongKind", params: { path: ref.path, expected: { key: `lessonMedia.kindNames.${ref.kind}` } } });
    else if (!ref.kind || ref.kind === "image") problems.push({ ...at, key: "author.lesson.errors.missingImage", params: { path: ref.path } });
    else problems.push({ ...at, key: "lessonMedia.check.missing", params: { path: ref.path, kind: { key: `lessonMedia.kindNames.${ref.kind}` } } });
  }
  if (problems.length) return { ok: false, problems };
  const sizes = new Map(library.map((m) => [`${prefix}${m.name}`, m.size]));
  return { ok: true, html: withAttachmentSizes(result.html, sizes), hash: result.hash };
}

const slowDown = (seconds: number): CompiledBody => ({
  ok: false,
  problems: [{ line: 1, column: 1, key: "author.lesson.errors.slowDown", params: { minutes: Math.ceil(seconds / 60) } }],
});

/** Renders the submitted body without saving anything; previews follow typing, so they are counted per person. */
export async function previewLesson(editing: CourseEditing, form: FormData): Promise<LessonResult> {
  const wait = await countRequest(limits.lessonPreview, String(editing.user.id));
  const compiled = wait > 0 ? slowDown(wait) : await compileBody(editing, lessonValues(form).source);
  return compiled.ok ? { ok: true, html: compiled.html, saved: false } : { ok: false, errors: {}, problems: compiled.problems };
}

/** Validates, compiles and stores the draft lesson; on any problem nothing is saved. */
export async function saveLesson({ user, ip, course }: CourseEditing, lessonId: number, form: FormData): Promise<LessonResult> {
  const values = lessonValues(form);
  const parsed = parseForm(lessonForm, form);
  const compiled = await compileBody({ user, ip, course }, values.source);
  if (!parsed.ok || !compiled.ok) {
    return { ok: false, errors: parsed.ok ? {} : parsed.errors, problems: compiled.ok ? [] : compiled.problems };
  }
  const { title, titleEn, minutes } = parsed.value;
  await updateLesson(course.id, lessonId, {
    title: title.normalize("NFC"),
    titleEn: titleEn.normalize("NFC"),
    minutes,
    source: values.source,
    sourceHash: compiled.hash,
    html: compiled.html,
    rendererVersion: MDX_RENDERER_VERSION,
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

export type UploadResult = { ok: true; name: string; mime: string } | { ok: false; error: string; params?: Record<string, number>; status: 400 | 413 };

/**
 * Stores a file in the course's media library. What the bytes are decides its type, whatever
 * its name says: a text file renamed .mp4 or .png is refused. An image must also be declared as
 * the image type it is (as before). Each kind has its own size limit. The same file uploaded
 * twice (a double submit) is stored once.
 */
export async function uploadMedia({ user, ip, course }: CourseEditing, file: FormDataEntryValue | null): Promise<UploadResult> {
  if (!file || typeof file === "string" || file.size === 0) return { ok: false, error: "author.media.errors.noFile", status: 400 };
  const declared = file.type === "image/jpg" ? "image/jpeg" : file.type;
  const bytes = new Uint8Array(await file.arrayBuffer());
  const actual = detectMediaType(bytes);
  const kind = actual ? MEDIA_TYPES[actual].kind : null;
  if (actual === null || (kind === "image" && actual !== declared)) {
    await audit({ action: "media.upload", outcome: "failed", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { declared: file.type.slice(0, 60), size: file.size } });
    // Someone choosing an image is told about images; anyone else about every accepted type.
    return { ok: false, error: declared.startsWith("image/") ? "author.media.errors.notImage" : "lessonMedia.errors.unsupported", status: 400 };
  }
  if (bytes.byteLength > MEDIA_LIMITS[kind!]) {
    const mb = Math.round((10 * MEDIA_LIMITS[kind!]) / 1024 / 1024) / 10;
    return { ok: false, error: kind === "image" ? "author.media.errors.tooLarge" : `lessonMedia.errors.tooLarge.${kind}`, params: { mb }, status: 413 };
  }
  const sha256 = crypto.createHash("sha256").update(bytes).digest("hex");
  const same = await findMediaByHash(course.id, sha256);
  if (same) return { ok: true, name: same.name, mime: actual };

  const wanted = sanitiseMediaName(file.name, MEDIA_TYPES[actual].ext);
  const stem = wanted.slice(0, wanted.lastIndexOf("."));
  const ext = wanted.slice(wanted.lastIndexOf("."));
  const taken = await mediaNamesStartingWith(course.id, stem);
  let name = wanted;
  for (let n = 2; taken.has(name); n++) name = `${stem}-${n}${ext}`;
  try {
    await insertMedia(mediaRow({ courseId: course.id, name, mime: actual, sha256, bytes }));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return { ok: false, error: "author.media.errors.retry", status: 400 };
  }
  await audit({ action: "media.upload", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { name, mime: actual, size: bytes.byteLength } });
  return { ok: true, name, mime: actual };
}

/** What to paste into a lesson for a file of the library, by its kind. */
export function mediaSnippet(courseSlug: string, name: string, mime: string): string {
  const src = `/media/${courseSlug}/${name}`;
  switch (mediaKindOf(mime)) {
    case "video":
      return `<Video src="${src}" title="..." captions="/media/${courseSlug}/....vtt" />`;
    case "audio":
      return `<Audio src="${src}" title="..." />`;
    case "pdf":
      return `<Attachment src="${src}" title="..." />`;
    case "captions":
      return `captions="${src}"`;
    default:
      return `<Figure src="${src}" alt="..." />`;
  }
}

// ---------------------------------------------------------------------------------------
// Quiz bank

export type QuestionResult = { ok: true; key: string } | { ok: false; errors: FieldErrors; problems: string[]; values: QuestionValues };

/** Adds or edits a question; on any problem nothing is saved and the form comes back as typed. */
export async function saveQuestion({ user, ip, course }: CourseEditing, form: FormData): Promise<QuestionResult> {
  const values = questionValues(form);
  const editingId = values.questionId ? Number(values.questionId) : null;
  if (editingId !== null) {
    const existing = Number.isInteger(editingId) && editingId > 0 && editingId <= MAX_ID ? await findQuestion(editingId) : null;
    if (!existing || existing.courseId !== course.id) throw notFound();
  }
  const parsed = parseQuestion(values);
  const imageErrors: FieldErrors = {};
  if (values.image && !(await listMedia(course.id)).some((m) => m.name === values.image)) imageErrors.image = "qbank.imageMissing";
  if (values.image && (!values.imageAlt || values.imageAlt.length > 300)) imageErrors.imageAlt = "qbank.imageAltRequired";
  if (!parsed.ok) return { ...parsed, errors: { ...parsed.errors, ...imageErrors }, values };
  if (Object.keys(imageErrors).length) return { ok: false, errors: imageErrors, problems: [], values };
  const q = parsed.question;
  const clash = await findQuestionByKey(course.id, q.id);
  if (clash && clash.id !== editingId) return { ok: false, errors: { key: "author.quiz.errors.keyTaken" }, problems: [], values };
  const data = { key: q.id, type: q.type, prompt: q.prompt, choices: JSON.stringify(q.choices), explanation: q.explanation, image: values.image || null, imageAlt: values.image ? values.imageAlt : "" };
  try {
    if (editingId !== null) await updateQuestion(course.id, editingId, data);
    else await insertQuestion(course.id, data);
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

export async function deleteQuestion({ user, ip, course }: CourseEditing, questionId: number): Promise<boolean> {
  const question = await findQuestion(questionId);
  if (!question) return false; // already deleted: a double submit
  if (question.courseId !== course.id) throw notFound();
  await deleteDraftQuestion(course.id, question.id);
  await touchCourse(course.id);
  await audit({ action: "question.delete", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { key: question.key } });
  return true;
}

// ---------------------------------------------------------------------------------------
// What the draft changes against the published version

const COMPARED_SETTINGS = [
  "title", "titleEn", "summary", "summaryEn", "category", "estimatedMinutes", "validityMonths", "passingScore",
  "quizSize", "maxAttempts", "retryWaitMinutes", "timeLimitMinutes", "sequential", "reviewPolicy",
] as const;

export type DraftChanges = {
  published: number | null;
  settings: string[];
  lessons: { id: number; title: string; change: "added" | "changed" | "moved" }[];
  removedLessons: string[];
  questions: { added: number; changed: number; removed: number };
};

/**
 * What learners would get that they do not have now: the settings, lessons and questions of
 * the draft that differ from the published version (nothing to compare before a first publish).
 * The introduction is compared when publishing, where it is compiled.
 */
export async function unpublishedChanges(courseId: number): Promise<DraftChanges> {
  const draft = await publishedForComparison(courseId);
  const version = draft.publishedVersion;
  const none = { settings: [], lessons: [], removedLessons: [], questions: { added: 0, changed: 0, removed: 0 } };
  if (!version) return { published: null, ...none };
  const settings = COMPARED_SETTINGS.filter((k) => draft[k] !== version[k]);
  const lessons: DraftChanges["lessons"] = [];
  for (const l of [...draft.lessons].sort((a, b) => a.position - b.position)) {
    const old = version.lessons.find((v) => v.lessonId === l.id);
    if (!old) lessons.push({ id: l.id, title: l.title, change: "added" });
    else if (old.sourceHash !== l.sourceHash || old.title !== l.title || old.titleEn !== l.titleEn || old.minutes !== l.minutes) lessons.push({ id: l.id, title: l.title, change: "changed" });
    else if (old.position !== l.position) lessons.push({ id: l.id, title: l.title, change: "moved" });
  }
  const removedLessons = version.lessons.filter((v) => !draft.lessons.some((l) => l.id === v.lessonId)).map((v) => v.title);
  const same = (a: (typeof draft.questions)[number], b: (typeof version.questions)[number]) =>
    a.type === b.type && a.prompt === b.prompt && a.choices === b.choices && a.explanation === b.explanation && a.image === b.image && a.imageAlt === b.imageAlt;
  const questions = {
    added: draft.questions.filter((q) => !version.questions.some((v) => v.key === q.key)).length,
    changed: draft.questions.filter((q) => version.questions.some((v) => v.key === q.key && !same(q, v))).length,
    removed: version.questions.filter((v) => !draft.questions.some((q) => q.key === v.key)).length,
  };
  return { published: version.number, settings, lessons, removedLessons, questions };
}
