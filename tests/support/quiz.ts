// Reading a quiz attempt's answer key straight from the database, as only tests may.
import { db } from "~/platform/db.server";
import type { Choice } from "~/utils/course";

/** The attempt's questions with their correct and wrong choice ids, in order. */
export async function answerKey(attemptId: number) {
  const rows = await db.attemptQuestion.findMany({ where: { attemptId }, include: { question: true }, orderBy: { position: "asc" } });
  return rows.map((r) => {
    const choices = JSON.parse(r.question.choices) as Choice[];
    return {
      position: r.position,
      correct: choices.filter((c) => c.correct).map((c) => c.id),
      wrong: choices.filter((c) => !c.correct).map((c) => c.id),
    };
  });
}
