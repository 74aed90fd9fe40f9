// What every question file format is read into, before the bank's own rules are applied
// (question-import.server.ts). Messages are translation keys of qbank.*.
import type { QuestionType } from "~/utils/course";

export type QuestionFormat = "moodle-xml" | "gift" | "aiken" | "xlsx" | "csv";

/** An image the file carries with a question (Moodle XML embeds them as base64). */
export type FileImage = { fileName: string; bytes: Uint8Array<ArrayBuffer>; alt: string };

/** A question as the file states it: `position` counts the file's questions from 1, categories aside. */
export type ReadQuestion = {
  position: number;
  /** Where the question starts: a line of a text file, a row of a spreadsheet; 0 when unknown. */
  line: number;
  title: string;
  category: string;
  type: QuestionType;
  prompt: string;
  choices: { text: string; correct: boolean }[];
  explanation: string;
  image: FileImage | null;
  /** A key the file gives (the spreadsheet's own column); others are made from the title. */
  key?: string;
};

/** A question of a type the bank does not grade, named so the trainer knows what was left out. */
export type SkippedQuestion = { position: number; line: number; kind: string; title: string };

export type ReadFile = { questions: ReadQuestion[]; skipped: SkippedQuestion[]; categories: string[] };

/** The file cannot be read as a whole: nothing is imported. `line` or `position` says where. */
export class QuestionFileError extends Error {
  constructor(
    public readonly key: string,
    public readonly params: Record<string, string | number> = {},
  ) {
    super(key);
  }
}

/** Feedback texts folded into our single explanation: the general one first, then each answer's, after the answer. */
export function foldFeedback(general: string, perAnswer: { choice: string; feedback: string }[]): string {
  const parts = [general.trim(), ...perAnswer.filter((a) => a.feedback.trim()).map((a) => `“${a.choice}”: ${a.feedback.trim()}`)];
  return parts.filter(Boolean).join("\n");
}
