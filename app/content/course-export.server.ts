// A draft course written out in the content/ format, so it can be kept in the repository and
// shipped like the curriculum (the export button of the trainer area).
import { strToU8, zipSync } from "fflate";
import { getCourseForExport } from "~/content/authoring.data.server";
import { courseSettingsSchema, serializeCourse, type CourseFiles } from "~/content/course-format.server";
import type { MediaMime } from "~/utils/media";
import type { Choice, QuestionType } from "~/utils/course";

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
    questions: questions.map((q) => ({
      id: q.key,
      type: q.type as QuestionType,
      prompt: q.prompt,
      choices: JSON.parse(q.choices) as Choice[],
      explanation: q.explanation,
      ...(q.image ? { image: q.image, imageAlt: q.imageAlt } : {}),
    })),
    // Video, audio and PDF bytes are kept in pieces: put back together, in order.
    media: media.map((m) => ({ file: "", name: m.name, mime: m.mime as MediaMime, bytes: m.chunks.length ? new Uint8Array(Buffer.concat(m.chunks.map((c) => c.data))) : new Uint8Array(m.data), sha256: m.sha256 })),
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
