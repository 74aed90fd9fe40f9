// The shipped curriculum in content/courses/<course>/: checking it and loading it into the
// database (drafts, then a published version when anything changed).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { MAX_MEDIA_BYTES, MEDIA_TYPES } from "~/utils/media";
import { createCourseVersion, findSyncedCourse, getDraftForPublishing, writeCourseDraft, type RenderedLesson, type VersionContent } from "~/content/content-sync.data.server";
import {
  checkCourseAsWhole,
  contentMessage,
  parseCourseFile,
  parseLessonFile,
  parseMediaFile,
  parseQuizFile,
  type ContentProblem,
  type CourseFiles,
  type MediaFile,
} from "~/content/course-format.server";
import { checkLessonMdx, mediaReferences } from "~/content/mdx-check.server";
import { withAttachmentSizes } from "~/content/media-types.server";
import { MDX_RENDERER_VERSION } from "~/content/mdx-compile.server";
import { compileLesson } from "~/content/mdx-sandbox.server";

export function readCourseDir(dir: string, problems: ContentProblem[]): CourseFiles | null {
  const before = problems.length;
  const slug = path.basename(dir);
  const courseFile = path.join(dir, "course.md");
  if (!fs.existsSync(courseFile)) {
    problems.push({ file: courseFile, line: 1, column: 1, ...contentMessage("course.missingCourseFile") });
    return null;
  }
  const courseText = fs.readFileSync(courseFile, "utf8");
  const course = parseCourseFile(courseFile, courseText, problems);
  // The introduction is Markdown like a lesson; checked in the whole file, its lines are the file's.
  const texts: { file: string; text: string }[] = [];
  if (course) texts.push({ file: courseFile, text: courseText });
  const lessonsDir = path.join(dir, "lessons");
  const names = fs.existsSync(lessonsDir) ? fs.readdirSync(lessonsDir).filter((n) => n.endsWith(".mdx")).sort() : [];
  const lessons = [];
  for (const name of names) {
    const file = path.join(lessonsDir, name);
    const text = fs.readFileSync(file, "utf8");
    const lesson = parseLessonFile(file, name, text, problems);
    if (!lesson) continue;
    texts.push({ file, text });
    lessons.push(lesson);
  }
  const media = readMediaDir(path.join(dir, "media"), problems);
  for (const { file, text } of texts) {
    const mdxProblems = checkLessonMdx(text);
    for (const p of mdxProblems) problems.push({ file, ...p });
    if (mdxProblems.length === 0) checkMediaReferences(file, text, slug, media, problems);
  }
  const quizFile = path.join(dir, "quiz.json");
  const questions = fs.existsSync(quizFile) ? parseQuizFile(quizFile, fs.readFileSync(quizFile, "utf8"), problems) : [];
  if (!fs.existsSync(quizFile)) problems.push({ file: quizFile, line: 1, column: 1, ...contentMessage("quiz.missing") });
  if (!course || !questions) return null;
  const files: CourseFiles = { slug, settings: course.settings, courseFile, intro: course.intro, introLine: course.introLine, lessons, questions, media };
  checkCourseAsWhole(dir, files, problems);
  return problems.length === before ? files : null;
}

function readMediaDir(dir: string, problems: ContentProblem[]): MediaFile[] {
  if (!fs.existsSync(dir)) return [];
  const media: MediaFile[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith(".")); // .gitkeep, .DS_Store
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const file = path.join(dir, entry.name);
    if (!entry.isFile()) {
      problems.push({ file, line: 1, column: 1, ...contentMessage("media.subfolder") });
      continue;
    }
    // Size first, so an oversized file is never read whole (its first bytes tell its kind and limit).
    const bytes = fs.statSync(file).size > MAX_MEDIA_BYTES ? oversized(file) : new Uint8Array(fs.readFileSync(file));
    const image = parseMediaFile(file, entry.name, bytes, problems);
    if (image) media.push(image);
  }
  return media;
}

/** The first bytes of a file over every limit, padded to just over it: refused as too large for its kind. */
function oversized(file: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(MAX_MEDIA_BYTES + 1);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, bytes, 0, 64, 0);
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

/** Lessons reach the course's images as /media/<course>/<name>; each must be in its media/ folder. */
function checkMediaReferences(file: string, text: string, slug: string, media: MediaFile[], problems: ContentProblem[]) {
  const kinds = new Map(media.map((m) => [m.name, MEDIA_TYPES[m.mime].kind]));
  for (const ref of mediaReferences(text)) {
    const prefix = `/media/${slug}/`;
    const found = ref.path.startsWith(prefix) ? kinds.get(ref.path.slice(prefix.length)) : undefined;
    if (found && (!ref.kind || ref.kind === found)) continue;
    const message = found
      ? { key: "lessonMedia.content.wrongKind", params: { path: ref.path, expected: { key: `lessonMedia.kindNames.${ref.kind}` } } }
      : !ref.kind || ref.kind === "image"
        ? contentMessage("media.missing", { path: ref.path, slug })
        : { key: "lessonMedia.content.missing", params: { path: ref.path, slug } };
    problems.push({ file, line: ref.line, column: ref.column, ...message });
  }
}

function courseDirs(root: string): string[] {
  const base = fs.existsSync(path.join(root, "courses")) ? path.join(root, "courses") : root;
  if (fs.existsSync(path.join(base, "course.md"))) return [base];
  return fs
    .readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(base, d.name))
    .sort();
}

/** Validates every course under `root` (content/, content/courses/ or one course folder). */
export function checkContent(root: string): { courses: CourseFiles[]; problems: ContentProblem[]; rejected: string[] } {
  const problems: ContentProblem[] = [];
  const courses: CourseFiles[] = [];
  const rejected: string[] = [];
  if (!fs.existsSync(root)) return { courses, problems: [{ file: root, line: 1, column: 1, ...contentMessage("course.noFolder") }], rejected };
  for (const dir of courseDirs(root)) {
    const course = readCourseDir(dir, problems);
    if (course) courses.push(course);
    else rejected.push(path.basename(dir));
  }
  return { courses, problems, rejected };
}

export type SyncSummary = { slug: string; published: number | null; lessonsCompiled: number; refused: string[] }[];

/**
 * Loads valid courses into the database and publishes them. A course with any problem, found
 * by the check or while compiling, is left untouched: everything that can fail runs before
 * anything is written. `rejected` names the courses that were not loaded.
 */
export async function syncContent(root: string): Promise<{ summary: SyncSummary; problems: ContentProblem[]; rejected: string[] }> {
  const { courses, problems, rejected } = checkContent(root);
  const summary: SyncSummary = [];
  for (const c of courses) {
    const before = problems.length;
    const existing = await findSyncedCourse(c.slug);
    const rendered = new Map<string, RenderedLesson>();
    const sizes = new Map(c.media.map((m) => [`/media/${c.slug}/${m.name}`, m.bytes.byteLength]));
    for (const l of c.lessons) {
      const old = existing?.lessons.find((e) => e.slug === l.slug);
      if (old && old.sourceHash === sha256(l.source) && old.rendererVersion === MDX_RENDERER_VERSION) continue;
      const result = await compileLesson(l.source);
      if (result.ok) rendered.set(l.slug, { source: l.source, sourceHash: result.hash, html: withAttachmentSizes(result.html, sizes), rendererVersion: MDX_RENDERER_VERSION });
      else for (const p of result.problems) problems.push({ ...p, file: l.file, line: p.line + l.bodyLine - 1 });
    }
    if (c.intro) {
      const intro = await compileLesson(c.intro);
      if (!intro.ok) for (const p of intro.problems) problems.push({ ...p, file: c.courseFile, line: p.line + c.introLine - 1 });
    }
    for (const m of c.media) {
      // Learners' browsers keep an image by its name for a year, so a name never gets new bytes.
      const old = existing?.media.find((e) => e.name === m.name);
      if (old && old.sha256 !== m.sha256) {
        problems.push({ file: m.file, line: 1, column: 1, ...contentMessage("media.changed") });
      }
    }
    if (problems.length > before) {
      rejected.push(c.slug);
      continue;
    }
    summary.push(await loadCourse(c, rendered));
  }
  return { summary, problems, rejected };
}

async function loadCourse(c: CourseFiles, rendered: Map<string, RenderedLesson>): Promise<SyncSummary[number]> {
  const course = await writeCourseDraft(c, rendered);
  const published = await publishCourse(course.id, null);
  return {
    slug: c.slug,
    published: published.ok && published.created ? published.number : null,
    lessonsCompiled: rendered.size,
    refused: published.ok ? [] : published.problems,
  };
}

function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

export type PublishResult =
  | { ok: true; created: boolean; number: number; versionId: number }
  | { ok: false; problems: string[] };

type Draft = Awaited<ReturnType<typeof getDraftForPublishing>>;

/**
 * The draft as it stands, in one string: settings, introduction source, lessons (by id, with
 * their source's hash) and questions. A review request keeps it, so approval publishes exactly
 * what was asked for. Cheap: nothing is compiled.
 */
export function draftFingerprint(course: Pick<Draft, "intro" | "lessons" | "questions"> & Record<(typeof VERSIONED_SETTINGS)[number], unknown>): string {
  return sha256(
    JSON.stringify({
      settings: VERSIONED_SETTINGS.map((k) => course[k]),
      intro: course.intro,
      lessons: course.lessons.map((l) => [l.id, l.slug, l.position, l.title, l.titleEn, l.minutes, l.sourceHash]),
      questions: course.questions.map((q) => [q.key, q.type, q.prompt, q.choices, q.explanation]),
    }),
  );
}

/** The course settings a version freezes (selfEnroll is not one: it is who may enrol, not content). */
export const VERSIONED_SETTINGS = [
  "title", "titleEn", "summary", "summaryEn", "category", "estimatedMinutes", "validityMonths", "passingScore",
  "quizSize", "maxAttempts", "retryWaitMinutes", "timeLimitMinutes", "sequential", "reviewPolicy",
] as const;

/** A course's content as a version holds it, whether it comes from the draft or from an earlier version (a rollback). */
export type VersionSource = Pick<Draft, (typeof VERSIONED_SETTINGS)[number]> & {
  intro: string;
  introHtml: string;
  lessons: { id: number; slug: string; title: string; titleEn: string; minutes: number; html: string; sourceHash: string; source: string }[];
  questions: { key: string; type: string; prompt: string; choices: string; explanation: string; image?: string | null; imageAlt?: string }[];
};

/**
 * What a version stores, and the hash that tells whether it differs from the published one.
 * The sources (lesson MDX, introduction) are stored but not hashed: their hashes and the
 * rendered HTML already are, and versions published before sources were kept hash the same.
 */
export function versionContent(source: VersionSource, restoresNumber: number | null = null): { content: VersionContent; contentHash: string } {
  const snapshot = source;
  // Key order matters to the hash (versions published before keep theirs): title, titleEn, summary, summaryEn, introHtml, category, …
  const ordered = {
    title: snapshot.title, titleEn: snapshot.titleEn, summary: snapshot.summary, summaryEn: snapshot.summaryEn, introHtml: snapshot.introHtml,
    category: snapshot.category, estimatedMinutes: snapshot.estimatedMinutes, validityMonths: snapshot.validityMonths, passingScore: snapshot.passingScore,
    quizSize: snapshot.quizSize, maxAttempts: snapshot.maxAttempts, retryWaitMinutes: snapshot.retryWaitMinutes, timeLimitMinutes: snapshot.timeLimitMinutes,
    sequential: snapshot.sequential, reviewPolicy: snapshot.reviewPolicy,
  };
  const lessons = source.lessons.map((l, i) => ({
    lessonId: l.id,
    slug: l.slug,
    position: i + 1,
    title: l.title,
    titleEn: l.titleEn,
    minutes: l.minutes,
    html: l.html,
    sourceHash: l.sourceHash,
  }));
  // A question's image enters the hash only when there is one, so banks without images keep their hash.
  const questions = source.questions.map((q) => ({ key: q.key, type: q.type, prompt: q.prompt, choices: q.choices, explanation: q.explanation, ...(q.image ? { image: q.image, imageAlt: q.imageAlt } : {}) }));
  const contentHash = sha256(JSON.stringify({ snapshot: ordered, lessons, questions }));
  return {
    contentHash,
    content: {
      snapshot: { ...ordered, intro: source.intro, restoresNumber },
      lessons: lessons.map((l, i) => ({ ...l, source: source.lessons[i].source })),
      questions,
    },
  };
}

/**
 * Freezes the draft into a new CourseVersion when it differs from the published one.
 * Learners keep their progress: lessons are identified by the draft lesson's id.
 * With `fingerprint`, only a draft that still matches it is published (an approved review).
 */
export async function publishCourse(courseId: number, userId: number | null, options: { fingerprint?: string } = {}): Promise<PublishResult> {
  const course = await getDraftForPublishing(courseId);
  const problems: string[] = [];
  if (options.fingerprint !== undefined && draftFingerprint(course) !== options.fingerprint) return { ok: false, problems: ["draftChanged"] };
  if (!course.lessons.length) problems.push("noLessons");
  if (course.lessons.some((l) => !l.html || l.rendererVersion !== MDX_RENDERER_VERSION)) problems.push("lessonNotCompiled");
  if (course.questions.length < course.quizSize) problems.push("quizTooSmall");
  // An introduction that does not compile is refused, never published empty.
  const intro = course.intro ? await compileLesson(course.intro) : null;
  if (intro && !intro.ok) problems.push("introInvalid");
  if (problems.length) return { ok: false, problems };

  const { content, contentHash } = versionContent({ ...course, introHtml: intro?.ok ? intro.html : "" });
  const current = course.publishedVersion;
  if (current && current.contentHash === contentHash) return { ok: true, created: false, number: current.number, versionId: current.id };

  const { number, versionId } = await createCourseVersion(courseId, userId, contentHash, content);
  return { ok: true, created: true, number, versionId };
}
