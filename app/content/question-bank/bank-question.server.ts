// A question of a course's bank as the export formats write it.
import type { Choice, QuestionType } from "~/utils/course";

export type BankQuestion = {
  key: string;
  type: QuestionType;
  prompt: string;
  choices: Choice[];
  explanation: string;
  image: { name: string; alt: string; bytes: Uint8Array } | null;
};

/** The texts of a true/false question's two choices: the bank's content is Vietnamese, like its questions. */
export const TRUE_FALSE_TEXT = { true: "Đúng", false: "Sai" } as const;
