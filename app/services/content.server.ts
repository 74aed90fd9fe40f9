// The shipped curriculum in content/courses/<course>/: checking it and loading it into the
// database (drafts, then a published version when anything changed).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { db } from "./db.server";
import {
  checkCourseAsWhole,
  parseCourseFile,
  parseLessonFile,
  parseQuizFile,
  type ContentProblem,
  type CourseFiles,
} from "./course-format.server";
import { checkLessonMdx, compileLessonMdx, MDX_RENDERER_VERSION } from "./mdx.server";

export function readCourseDir(dir: string, problems: ContentProblem[]): CourseFiles | null {
  const before = problems.length;
  const slug = path.basename(dir);
  const courseFile = path.join(dir, "course.md");
  if (!fs.existsSync(courseFile)) {
    problems.push({ file: courseFile, line: 1, column: 1, message: "thiếu tệp course.md" });
    return null;
  }
  const course = parseCourseFile(courseFile, fs.readFileSync(courseFile, "utf8"), problems);
  const lessonsDir = path.join(dir, "lessons");
  const names = fs.existsSync(lessonsDir) ? fs.readdirSync(lessonsDir).filter((n) => n.endsWith(".mdx")).sort() : [];
  const lessons = [];
  for (const name of names) {
    const file = path.join(lessonsDir, name);
    const text = fs.readFileSync(file, "utf8");
    const lesson = parseLessonFile(file, name, text, problems);
    if (!lesson) continue;
    for (const p of checkLessonMdx(text)) problems.push({ file, ...p });
    lessons.push(lesson);
  }
  const quizFile = path.join(dir, "quiz.json");
  const questions = fs.existsSync(quizFile) ? parseQuizFile(quizFile, fs.readFileSync(quizFile, "utf8"), problems) : [];
  if (!fs.existsSync(quizFile)) problems.push({ file: quizFile, line: 1, column: 1, message: "thiếu ngân hàng câu hỏi quiz.json" });
  if (!course || !questions) return null;
  const files: CourseFiles = { slug, settings: course.settings, intro: course.intro, lessons, questions };
  checkCourseAsWhole(dir, files, problems);
  return problems.length === before ? files : null;
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
export function checkContent(root: string): { courses: CourseFiles[]; problems: ContentProblem[] } {
  const problems: ContentProblem[] = [];
  const courses: CourseFiles[] = [];
  if (!fs.existsSync(root)) return { courses, problems: [{ file: root, line: 1, column: 1, message: "không tìm thấy thư mục" }] };
  for (const dir of courseDirs(root)) {
    const course = readCourseDir(dir, problems);
    if (course) courses.push(course);
  }
  return { courses, problems };
}

export type SyncSummary = { slug: string; published: number | null; lessonsCompiled: number }[];

/** Loads valid courses into the database; a course with any problem is left untouched. */
export async function syncContent(root: string): Promise<{ summary: SyncSummary; problems: ContentProblem[] }> {
  const { courses, problems } = checkContent(root);
  const summary: SyncSummary = [];
  for (const c of courses) {
    const course = await db.course.upsert({
      where: { slug: c.slug },
      create: { slug: c.slug, ...c.settings, intro: c.intro, origin: "content" },
      update: { ...c.settings, intro: c.intro },
    });
    const existing = await db.lesson.findMany({ where: { courseId: course.id } });
    let compiled = 0;
    for (const l of c.lessons) {
      const old = existing.find((e) => e.slug === l.slug);
      const fields = { position: l.position, title: l.title, titleEn: l.titleEn, minutes: l.minutes };
      if (old && old.sourceHash === sha256(l.source) && old.rendererVersion === MDX_RENDERER_VERSION) {
        await db.lesson.update({ where: { id: old.id }, data: fields });
        continue;
      }
      const result = await compileLessonMdx(l.source);
      if (!result.ok) throw new Error(`${l.file}: ${result.problems.map((p) => `${p.line}:${p.column} ${p.message}`).join("; ")}`);
      compiled++;
      const rendered = { source: l.source, sourceHash: result.hash, html: result.html, rendererVersion: MDX_RENDERER_VERSION };
      if (old) await db.lesson.update({ where: { id: old.id }, data: { ...fields, ...rendered } });
      else await db.lesson.create({ data: { courseId: course.id, slug: l.slug, ...fields, ...rendered } });
    }
    const keep = new Set(c.lessons.map((l) => l.slug));
    await db.lesson.deleteMany({ where: { courseId: course.id, slug: { notIn: [...keep] } } });
    await db.quizQuestion.deleteMany({ where: { courseId: course.id, key: { notIn: c.questions.map((q) => q.id) } } });
    for (const [i, q] of c.questions.entries()) {
      const data = { position: i + 1, type: q.type, prompt: q.prompt, choices: JSON.stringify(q.choices), explanation: q.explanation };
      await db.quizQuestion.upsert({
        where: { courseId_key: { courseId: course.id, key: q.id } },
        create: { courseId: course.id, key: q.id, ...data },
        update: data,
      });
    }
    const published = await publishCourse(course.id, null);
    summary.push({ slug: c.slug, published: published.ok && published.created ? published.number : null, lessonsCompiled: compiled });
  }
  return { summary, problems };
}

function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

export type PublishResult =
  | { ok: true; created: boolean; number: number; versionId: number }
  | { ok: false; problems: string[] };

/**
 * Freezes the draft into a new CourseVersion when it differs from the published one.
 * Learners keep their progress: lessons are identified by the draft lesson's id.
 */
export async function publishCourse(courseId: number, userId: number | null): Promise<PublishResult> {
  const course = await db.course.findUniqueOrThrow({
    where: { id: courseId },
    include: {
      lessons: { orderBy: { position: "asc" } },
      questions: { orderBy: { position: "asc" } },
      publishedVersion: { select: { id: true, number: true, contentHash: true } },
    },
  });
  const problems: string[] = [];
  if (!course.lessons.length) problems.push("noLessons");
  if (course.lessons.some((l) => !l.html || l.rendererVersion !== MDX_RENDERER_VERSION)) problems.push("lessonNotCompiled");
  if (course.questions.length < course.quizSize) problems.push("quizTooSmall");
  if (problems.length) return { ok: false, problems };

  const intro = course.intro ? await compileLessonMdx(course.intro) : null;
  const snapshot = {
    title: course.title,
    titleEn: course.titleEn,
    summary: course.summary,
    summaryEn: course.summaryEn,
    introHtml: intro && intro.ok ? intro.html : "",
    category: course.category,
    estimatedMinutes: course.estimatedMinutes,
    validityMonths: course.validityMonths,
    passingScore: course.passingScore,
    quizSize: course.quizSize,
    maxAttempts: course.maxAttempts,
    retryWaitMinutes: course.retryWaitMinutes,
    timeLimitMinutes: course.timeLimitMinutes,
    sequential: course.sequential,
    reviewPolicy: course.reviewPolicy,
  };
  const lessons = course.lessons.map((l, i) => ({
    lessonId: l.id,
    slug: l.slug,
    position: i + 1,
    title: l.title,
    titleEn: l.titleEn,
    minutes: l.minutes,
    html: l.html,
    sourceHash: l.sourceHash,
  }));
  const questions = course.questions.map((q) => ({ key: q.key, type: q.type, prompt: q.prompt, choices: q.choices, explanation: q.explanation }));
  const contentHash = sha256(JSON.stringify({ snapshot, lessons, questions }));
  const current = course.publishedVersion;
  if (current && current.contentHash === contentHash) return { ok: true, created: false, number: current.number, versionId: current.id };

  const latest = await db.courseVersion.aggregate({ where: { courseId }, _max: { number: true } });
  const number = (latest._max.number ?? 0) + 1;
  const version = await db.$transaction(async (tx) => {
    const v = await tx.courseVersion.create({
      data: {
        courseId,
        number,
        publishedById: userId,
        contentHash,
        ...snapshot,
        lessons: { create: lessons },
        questions: { create: questions },
      },
    });
    await tx.course.update({ where: { id: courseId }, data: { publishedVersionId: v.id } });
    return v;
  });
  return { ok: true, created: true, number, versionId: version.id };
}
