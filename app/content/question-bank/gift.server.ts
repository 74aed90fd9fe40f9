// GIFT, Moodle's text format: questions separated by blank lines, "//" comment lines,
// "$CATEGORY:" lines, an optional ::title:: and [format], and answers between braces:
// "=" right, "~" wrong (or "~%50%" weighted), "#" feedback, "####" general feedback, and
// {T}/{TRUE}/{F}/{FALSE}. "\" escapes ~ = # { } : and itself; "\n" is a line break.
import { htmlToText } from "~/content/question-bank/html-text.server";
import { foldFeedback, QuestionFileError, type ReadFile, type ReadQuestion } from "~/content/question-bank/question-file.server";
import { TRUE_FALSE_TEXT, type BankQuestion } from "~/content/question-bank/bank-question.server";

type Block = { line: number; text: string };

export function readGift(text: string): ReadFile {
  const result: ReadFile = { questions: [], skipped: [], categories: [] };
  let category = "";
  let position = 0;
  for (const block of blocks(text)) {
    const category$ = /^\$CATEGORY:\s*(.*)$/m.exec(block.text);
    if (category$ && block.text.trim().startsWith("$CATEGORY:")) {
      category = category$[1].trim().replace(/^\$(course|cat\d*|module|system)\$\/?/, "").replace(/^top\/?/, "");
      if (category && !result.categories.includes(category)) result.categories.push(category);
      // A question may follow on the next lines of the same block.
      const rest = block.text.split("\n").slice(1).join("\n");
      if (!rest.trim()) continue;
      block.text = rest;
      block.line += 1;
    }
    position++;
    const read = readQuestion(block, position, category);
    if ("kind" in read) result.skipped.push(read);
    else result.questions.push(read);
  }
  return result;
}

/** Blank-line separated blocks without their comment lines, each with the line it starts on. */
function blocks(text: string): Block[] {
  const out: Block[] = [];
  let current: Block | null = null;
  text.replace(/^\uFEFF/, "")
    .split(/\r\n|\r|\n/)
    .forEach((raw, i) => {
      if (/^\s*\/\//.test(raw)) return;
      if (!raw.trim()) {
        current = null;
        return;
      }
      if (!current) out.push((current = { line: i + 1, text: raw }));
      else current.text += `\n${raw}`;
    });
  return out;
}

/** Index of the first of `chars` not escaped by a backslash, from `from`. */
function findUnescaped(text: string, chars: string, from = 0): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (chars.includes(text[i])) return i;
  }
  return -1;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/gs, (_, c: string) => (c === "n" ? "\n" : c));
}

function lineAt(block: Block, index: number): number {
  return block.line + (block.text.slice(0, index).match(/\n/g)?.length ?? 0);
}

type Format = "html" | "plain";

function asText(raw: string, format: Format): string {
  const text = unescape(raw.trim());
  return format === "html" ? htmlToText(text).text : text.replace(/[ \t]+\n/g, "\n").trim().normalize("NFC");
}

function readQuestion(block: Block, position: number, category: string): ReadQuestion | { position: number; line: number; kind: string; title: string } {
  const body = block.text;
  let offset = 0;
  let title = "";
  if (body.startsWith("::")) {
    const end = body.indexOf("::", 2);
    if (end < 0) throw new QuestionFileError("qbank.errors.giftTitle", { line: block.line });
    title = unescape(body.slice(2, end)).trim();
    offset = end + 2;
  }
  const open = findUnescaped(body, "{", offset);
  let format: Format = "plain";
  const formatMatch = /^\s*\[(html|moodle|plain|markdown)\]/.exec(body.slice(offset));
  if (formatMatch) {
    format = formatMatch[1] === "html" ? "html" : "plain";
    offset += formatMatch[0].length;
  }
  if (open < 0) {
    if (findUnescaped(body, "}", offset) >= 0) throw new QuestionFileError("qbank.errors.giftBraces", { line: lineAt(block, findUnescaped(body, "}", offset)) });
    return { position, line: block.line, kind: "description", title };
  }
  const close = findUnescaped(body, "}", open + 1);
  if (close < 0) throw new QuestionFileError("qbank.errors.giftBraces", { line: lineAt(block, open) });
  if (findUnescaped(body, "{", open + 1) >= 0 && findUnescaped(body, "{", open + 1) < close) throw new QuestionFileError("qbank.errors.giftBraces", { line: lineAt(block, findUnescaped(body, "{", open + 1)) });
  const before = body.slice(offset, open);
  const after = body.slice(close + 1);
  if (findUnescaped(after, "{}") >= 0) throw new QuestionFileError("qbank.errors.giftBraces", { line: lineAt(block, close + 1 + findUnescaped(after, "{}")) });
  // Text after the answers makes a "missing word" question: the answers fill the blank.
  const prompt = after.trim() ? `${asText(before, format)} _____ ${asText(after, format)}` : asText(before, format);
  let answers = body.slice(open + 1, close);
  let general = "";
  const generalAt = findGeneral(answers);
  if (generalAt >= 0) {
    general = asText(answers.slice(generalAt + 4), format);
    answers = answers.slice(0, generalAt);
  }
  const trimmed = answers.trim();
  const base = { position, line: block.line, title, category, prompt, image: null };
  const skip = (kind: string) => ({ position, line: block.line, kind, title });
  if (!trimmed) return skip("essay");
  if (trimmed.startsWith("#")) return skip("numerical");
  const tf = /^(T|TRUE|F|FALSE)\s*(#[\s\S]*)?$/.exec(trimmed);
  if (tf) {
    const isTrue = tf[1].startsWith("T");
    const feedback = splitUnescaped(tf[2] ?? "", "#").slice(1).map((f) => asText(f, format));
    // GIFT: the first feedback is for a wrong answer, the second for the right one.
    const [wrong = "", right = ""] = feedback;
    return {
      ...base,
      type: "truefalse",
      choices: [
        { text: TRUE_FALSE_TEXT.true, correct: isTrue },
        { text: TRUE_FALSE_TEXT.false, correct: !isTrue },
      ],
      explanation: foldFeedback(general, [
        { choice: TRUE_FALSE_TEXT.true, feedback: isTrue ? right : wrong },
        { choice: TRUE_FALSE_TEXT.false, feedback: isTrue ? wrong : right },
      ]),
    };
  }
  const parts = answerParts(trimmed, block, open + 1 + answers.indexOf(trimmed));
  if (parts.some((p) => findArrow(p.text) >= 0)) return skip("matching");
  if (!parts.some((p) => p.mark === "~")) return skip("shortanswer");
  const choices = parts.map((p) => {
    let text = p.text;
    let weight = p.mark === "=" ? 100 : 0;
    const w = /^\s*%(-?\d+(?:[.,]\d+)?)%/.exec(text);
    if (w) {
      weight = Number(w[1].replace(",", "."));
      text = text.slice(w[0].length);
    } else if (/^\s*%/.test(text)) throw new QuestionFileError("qbank.errors.giftWeight", { line: p.line });
    const [answer, ...feedback] = splitUnescaped(text, "#");
    return { text: asText(answer, format), correct: weight > 0, feedback: feedback.map((f) => asText(f, format)).join(" ") };
  });
  // Moodle reads a block without any "=" answer as "several answers may be right".
  const single = parts.some((p) => p.mark === "=");
  return {
    ...base,
    type: single ? "single" : "multiple",
    choices: choices.map((c) => ({ text: c.text, correct: c.correct })),
    explanation: foldFeedback(
      general,
      choices.map((c) => ({ choice: c.text, feedback: c.feedback })),
    ),
  };
}

/** Where "####" (general feedback) starts outside escapes, or -1. */
function findGeneral(text: string): number {
  for (let i = findUnescaped(text, "#"); i >= 0; i = findUnescaped(text, "#", i + 1)) if (text.startsWith("####", i)) return i;
  return -1;
}

function findArrow(text: string): number {
  for (let i = findUnescaped(text, "-"); i >= 0; i = findUnescaped(text, "-", i + 1)) if (text[i + 1] === ">") return i;
  return -1;
}

function splitUnescaped(text: string, char: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = findUnescaped(text, char); i >= 0; i = findUnescaped(text, char, i + 1)) {
    out.push(text.slice(start, i));
    start = i + 1;
  }
  out.push(text.slice(start));
  return out;
}

/** The answers of a block: each starts with an unescaped "=" or "~". */
function answerParts(text: string, block: Block, blockOffset: number): { mark: "=" | "~"; text: string; line: number }[] {
  const parts: { mark: "=" | "~"; text: string; line: number }[] = [];
  if (text[0] !== "=" && text[0] !== "~") throw new QuestionFileError("qbank.errors.giftAnswers", { line: lineAt(block, blockOffset) });
  let i = 0;
  while (i < text.length) {
    const next = findUnescaped(text, "=~", i + 1);
    const end = next < 0 ? text.length : next;
    parts.push({ mark: text[i] as "=" | "~", text: text.slice(i + 1, end), line: lineAt(block, blockOffset + i) });
    i = end;
  }
  return parts;
}

// ---------------------------------------------------------------------------------------
// Writing

/** GIFT escapes: the special characters, the backslash itself, and line breaks as "\n". */
function escapeGift(text: string): string {
  return text.replace(/[\\~=#{}:]/g, (c) => `\\${c}`).replace(/\n/g, "\\n");
}

/** The bank in GIFT, as Moodle writes it (images cannot travel in GIFT: Moodle XML keeps them). */
export function writeGift(category: string, questions: BankQuestion[]): string {
  const out = [`// ${questions.length} questions`, "", `$CATEGORY: $course$/top/${category}`, ""];
  for (const q of questions) {
    out.push(`// question: ${q.key}`);
    const general = q.explanation ? `\t####${escapeGift(q.explanation)}\n` : "";
    const head = `::${escapeGift(q.key)}::${escapeGift(q.prompt)}{`;
    if (q.type === "truefalse") {
      const right = q.choices.find((c) => c.correct)?.id === "true";
      out.push(`${head}${right ? "TRUE" : "FALSE"}${general ? `\n${general}` : ""}}`, "");
      continue;
    }
    const right = q.choices.filter((c) => c.correct).length;
    const lines = q.choices.map((c) => {
      if (q.type === "single") return `\t${c.correct ? "=" : "~"}${escapeGift(c.text)}`;
      const share = c.correct ? 100 / right : -100;
      return `\t~%${Number.isInteger(share) ? share : share.toFixed(5)}%${escapeGift(c.text)}`;
    });
    out.push(`${head}\n${lines.join("\n")}\n${general}}`, "");
  }
  return out.join("\n");
}
