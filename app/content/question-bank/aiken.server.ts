// Aiken: a question's text, its choices "A. …" or "A) …", then "ANSWER: B". Every question
// has one right answer; "ANSWER: A, C" (written by some tools) is read as several.
import { QuestionFileError, type ReadFile, type ReadQuestion } from "~/content/question-bank/question-file.server";

const CHOICE = /^([A-Z])[.)]\s+(.*)$/;
const ANSWER = /^ANSWER\s*:\s*(.*)$/i;

export function readAiken(text: string): ReadFile {
  const questions: ReadQuestion[] = [];
  let current: { line: number; prompt: string[]; choices: { letter: string; text: string }[] } | null = null;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    const number = i + 1;
    if (!line) {
      // A blank line inside a question's text is kept; between choices it is allowed.
      if (current && !current.choices.length && current.prompt.length) current.prompt.push("");
      return;
    }
    const answer = ANSWER.exec(line);
    const choice = CHOICE.exec(line);
    if (answer) {
      if (!current || !current.choices.length) throw new QuestionFileError("qbank.errors.aikenAnswerFirst", { line: number });
      const letters = answer[1].split(/[,;\s]+/).map((l) => l.trim().toUpperCase()).filter(Boolean);
      if (!letters.length || letters.some((l) => !current!.choices.some((c) => c.letter === l))) {
        throw new QuestionFileError("qbank.errors.aikenAnswerLetter", { line: number, answer: answer[1].slice(0, 20) });
      }
      questions.push({
        position: questions.length + 1,
        line: current.line,
        title: "",
        category: "",
        type: letters.length > 1 ? "multiple" : "single",
        prompt: current.prompt.join("\n").trim().normalize("NFC"),
        choices: current.choices.map((c) => ({ text: c.text.trim().normalize("NFC"), correct: letters.includes(c.letter) })),
        explanation: "",
        image: null,
      });
      current = null;
      return;
    }
    if (choice && current && current.prompt.some((p) => p.trim())) {
      if (current.choices.some((c) => c.letter === choice[1])) throw new QuestionFileError("qbank.errors.aikenDuplicateLetter", { line: number, letter: choice[1] });
      current.choices.push({ letter: choice[1], text: choice[2] });
      return;
    }
    if (current?.choices.length) throw new QuestionFileError("qbank.errors.aikenNoAnswer", { line: current.line });
    if (!current) current = { line: number, prompt: [], choices: [] };
    current.prompt.push(line);
  });
  if (current) throw new QuestionFileError("qbank.errors.aikenNoAnswer", { line: (current as { line: number }).line });
  return { questions, skipped: [], categories: [] };
}
