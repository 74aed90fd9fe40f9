// The database side of importing questions into a draft bank and of exporting a bank.
import { db } from "~/platform/db.server";

/** What an import must not collide with: the bank's keys and prompts, the library's names and images. */
export async function bankForImport(courseId: number) {
  const [questions, media] = await Promise.all([
    db.quizQuestion.findMany({ where: { courseId }, select: { key: true, prompt: true } }),
    db.media.findMany({ where: { courseId }, select: { name: true, sha256: true } }),
  ]);
  return { questions, media };
}

/** The bank in order, each question with its image's bytes, for export. */
export async function bankForExport(courseId: number) {
  const questions = await db.quizQuestion.findMany({
    where: { courseId },
    select: { key: true, type: true, prompt: true, choices: true, explanation: true, image: true, imageAlt: true },
    orderBy: { position: "asc" },
  });
  const names = [...new Set(questions.map((q) => q.image).filter((n): n is string => n !== null))];
  const media = names.length ? await db.media.findMany({ where: { courseId, name: { in: names } }, select: { name: true, data: true } }) : [];
  return { questions, media };
}

// A kept upload stays a day at most; a trainer keeps at most a few waiting.
const KEEP_MS = 24 * 60 * 60 * 1000;
const WAITING_PER_PERSON = 3;

/** Keeps an uploaded file until its preview is applied; older waiting files go. */
export async function keepUpload(input: { courseId: number; userId: number; fileName: string; sha256: string; data: Uint8Array<ArrayBuffer> }) {
  await db.questionImport.deleteMany({ where: { appliedAt: null, createdAt: { lt: new Date(Date.now() - KEEP_MS) } } });
  const waiting = await db.questionImport.findMany({
    where: { userId: input.userId, appliedAt: null },
    select: { id: true },
    orderBy: { id: "desc" },
    skip: WAITING_PER_PERSON - 1,
  });
  if (waiting.length) await db.questionImport.deleteMany({ where: { id: { in: waiting.map((w) => w.id) } } });
  return db.questionImport.create({ data: input, select: { id: true } });
}

/** The person's upload for this course, while it is kept. */
export async function findUpload(id: number, courseId: number, userId: number) {
  return db.questionImport.findFirst({
    where: { id, courseId, userId, createdAt: { gte: new Date(Date.now() - KEEP_MS) } },
    select: { id: true, fileName: true, data: true, appliedAt: true, added: true },
  });
}

export type NewMedia = { name: string; mime: string; size: number; sha256: string; data: Uint8Array<ArrayBuffer> };
export type NewQuestion = { key: string; type: string; prompt: string; choices: string; explanation: string; image: string | null; imageAlt: string };

/**
 * Adds the questions after the bank's last one, with their new images, all or nothing. With an
 * upload id, the upload is marked applied in the same transaction, and only if it was not: a
 * second "apply" of the same preview adds nothing and returns null.
 */
export async function addImportedQuestions(courseId: number, uploadId: number | null, media: NewMedia[], questions: NewQuestion[]): Promise<number | null> {
  return db.$transaction(
    async (tx) => {
      if (uploadId !== null) {
        const marked = await tx.questionImport.updateMany({
          where: { id: uploadId, courseId, appliedAt: null },
          data: { appliedAt: new Date(), added: questions.length, data: new Uint8Array(0) },
        });
        if (marked.count === 0) return null;
      }
      for (const m of media) await tx.media.create({ data: { courseId, ...m } });
      const last = await tx.quizQuestion.aggregate({ where: { courseId }, _max: { position: true } });
      let position = last._max.position ?? 0;
      for (const q of questions) await tx.quizQuestion.create({ data: { courseId, position: ++position, ...q } });
      await tx.course.update({ where: { id: courseId }, data: { updatedAt: new Date() } });
      return questions.length;
    },
    { maxWait: 30_000, timeout: 120_000 },
  );
}
