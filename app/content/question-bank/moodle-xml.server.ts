// Moodle XML, as Moodle's question bank exports it: <quiz> holding <question type="…"> elements,
// "category" ones switching the category of those after them. Multiple choice (one or several
// right answers, by fraction) and true/false are read; other types are listed as skipped.
// Texts are HTML with images as <file encoding="base64"> referenced by @@PLUGINFILE@@/name.
import { child, childElements, escapeXml, parseXml, textOf, XmlError, type XmlElement } from "~/content/question-bank/xml.server";
import { htmlToText, textToHtml } from "~/content/question-bank/html-text.server";
import { foldFeedback, QuestionFileError, type FileImage, type ReadFile, type ReadQuestion } from "~/content/question-bank/question-file.server";
import { TRUE_FALSE_TEXT, type BankQuestion } from "~/content/question-bank/bank-question.server";

const GRADED = new Set(["multichoice", "multichoiceset", "truefalse"]);

export function readMoodleXml(text: string): ReadFile {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (e) {
    if (e instanceof XmlError) throw new QuestionFileError(e.reason === "doctype" ? "qbank.errors.xmlDoctype" : "qbank.errors.xmlSyntax", { line: e.line });
    throw e;
  }
  if (root.name !== "quiz") throw new QuestionFileError("qbank.errors.notMoodleXml", { line: root.line });
  const result: ReadFile = { questions: [], skipped: [], categories: [] };
  let category = "";
  let position = 0;
  for (const q of childElements(root)) {
    if (q.name !== "question") throw new QuestionFileError("qbank.errors.notMoodleXml", { line: q.line });
    const type = q.attrs.type ?? "";
    if (type === "category") {
      category = categoryName(plain(child(child(q, "category"), "text")));
      if (category && !result.categories.includes(category)) result.categories.push(category);
      continue;
    }
    position++;
    const title = plain(child(child(q, "name"), "text")).trim();
    if (!GRADED.has(type)) {
      result.skipped.push({ position, line: q.line, kind: type || "?", title });
      continue;
    }
    result.questions.push(readQuestion(q, type, { position, title, category }));
  }
  return result;
}

/** "$course$/top/Chương 1/Bài 2" as a trainer reads it: "Chương 1/Bài 2". */
function categoryName(path: string): string {
  return path
    .replace(/^\$(course|cat\d*|module|system)\$\/?/, "")
    .replace(/^top\/?/, "")
    .trim();
}

function plain(element: XmlElement | undefined): string {
  return textOf(element).normalize("NFC");
}

type Where = { position: number; title: string; category: string };

/** A formatted text (<questiontext>, <answer>, <feedback>…) as plain text, with its images. */
function formatted(element: XmlElement | undefined): { text: string; images: { src: string; alt: string }[] } {
  const raw = plain(child(element, "text"));
  const format = element?.attrs.format ?? "html";
  if (format === "html" || format === "moodle_auto_format") return htmlToText(raw);
  return { text: raw.replace(/\r\n?/g, "\n").trim(), images: [] };
}

function readQuestion(q: XmlElement, type: string, where: Where): ReadQuestion {
  const { position } = where;
  const questionText = child(q, "questiontext");
  const prompt = formatted(questionText);
  const image = questionImage(questionText, prompt.images, position);
  const general = formatted(child(q, "generalfeedback")).text;
  const answers = childElements(q, "answer").map((a) => {
    const fraction = Number(a.attrs.fraction ?? "0");
    if (!Number.isFinite(fraction)) throw new QuestionFileError("qbank.errors.badFraction", { position, line: a.line });
    const content = formatted(a);
    // An answer that is only a picture keeps the picture's description as its text.
    const text = content.text || content.images.map((i) => i.alt).filter(Boolean).join(" ");
    return { text, correct: fraction > 0, feedback: formatted(child(a, "feedback")).text };
  });
  const base = { position, line: q.line, title: where.title, category: where.category, prompt: prompt.text, image };
  if (type === "truefalse") {
    const isTrue = (a: { text: string }) => /^(true|đúng|1)$/i.test(a.text.trim());
    const right = answers.find((a) => a.correct);
    const trueAnswer = answers.find(isTrue);
    const falseAnswer = answers.find((a) => !isTrue(a));
    return {
      ...base,
      type: "truefalse",
      // Two answers, "true" and "false", one of them right: anything else is refused by the bank's rules.
      choices:
        answers.length === 2 && trueAnswer && falseAnswer && right
          ? [
              { text: TRUE_FALSE_TEXT.true, correct: right === trueAnswer },
              { text: TRUE_FALSE_TEXT.false, correct: right === falseAnswer },
            ]
          : answers.map((a) => ({ text: a.text, correct: a.correct })),
      explanation: foldFeedback(general, [
        ...(trueAnswer ? [{ choice: TRUE_FALSE_TEXT.true, feedback: trueAnswer.feedback }] : []),
        ...(falseAnswer ? [{ choice: TRUE_FALSE_TEXT.false, feedback: falseAnswer.feedback }] : []),
      ]),
    };
  }
  const singleText = plain(child(q, "single")).trim().toLowerCase();
  const single = type === "multichoice" && singleText !== "false" && singleText !== "0";
  return {
    ...base,
    type: single ? "single" : "multiple",
    choices: answers.map((a) => ({ text: a.text, correct: a.correct })),
    explanation: foldFeedback(
      general,
      answers.map((a) => ({ choice: a.text, feedback: a.feedback })),
    ),
  };
}

/** The first image of the question text, from the files embedded next to it. */
function questionImage(questionText: XmlElement | undefined, images: { src: string; alt: string }[], position: number): FileImage | null {
  const files = questionText ? childElements(questionText, "file") : [];
  const embedded = images.find((i) => i.src.startsWith("@@PLUGINFILE@@/"));
  if (!embedded) {
    if (images.length) throw new QuestionFileError("qbank.errors.externalImage", { position, src: images[0].src.slice(0, 120) });
    return null;
  }
  let name = embedded.src.slice("@@PLUGINFILE@@/".length).split("?")[0];
  try {
    name = decodeURIComponent(name);
  } catch {
    // a name with a stray "%" stays as written
  }
  const file = files.find((f) => `${(f.attrs.path ?? "/").replace(/^\/|\/$/g, "")}/${f.attrs.name}`.replace(/^\//, "") === name || f.attrs.name === name);
  if (!file || (file.attrs.encoding ?? "base64") !== "base64") throw new QuestionFileError("qbank.errors.missingImage", { position, name: name.slice(0, 120) });
  const bytes = new Uint8Array(Buffer.from(textOf(file).replace(/\s+/g, ""), "base64"));
  return { fileName: file.attrs.name ?? name, bytes, alt: embedded.alt };
}

// ---------------------------------------------------------------------------------------
// Writing

/** The bank in Moodle XML, with each question's image embedded, for Moodle's "Import" page. */
export function writeMoodleXml(category: string, questions: BankQuestion[]): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"];
  const text = (tag: string, value: string, format = "html", inner = "") =>
    `    <${tag} format="${format}">\n      <text><![CDATA[${cdata(value)}]]></text>${inner}\n    </${tag}>`;
  out.push(
    '  <question type="category">',
    "    <category>",
    `      <text>${escapeXml(`$course$/top/${category}`)}</text>`,
    "    </category>",
    "  </question>",
  );
  for (const q of questions) {
    const prompt = textToHtml(q.prompt);
    const image = q.image ? `<p><img src="@@PLUGINFILE@@/${encodeURIComponent(q.image.name)}" alt="${escapeXml(q.image.alt)}"></p>` : "";
    const file = q.image ? `\n      <file name="${escapeXml(q.image.name)}" path="/" encoding="base64">${Buffer.from(q.image.bytes).toString("base64")}</file>` : "";
    const type = q.type === "truefalse" ? "truefalse" : "multichoice";
    out.push(
      "",
      `  <question type="${type}">`,
      `    <name>\n      <text>${escapeXml(q.key)}</text>\n    </name>`,
      text("questiontext", prompt + image, "html", file),
      text("generalfeedback", q.explanation ? textToHtml(q.explanation) : ""),
      "    <defaultgrade>1.0000000</defaultgrade>",
      `    <penalty>${q.type === "truefalse" ? "1.0000000" : "0.3333333"}</penalty>`,
      "    <hidden>0</hidden>",
      `    <idnumber>${escapeXml(q.key)}</idnumber>`,
    );
    if (q.type === "truefalse") {
      for (const id of ["true", "false"]) {
        const correct = q.choices.find((c) => c.id === id)?.correct ?? false;
        out.push(`    <answer fraction="${correct ? 100 : 0}" format="moodle_auto_format">\n      <text>${id}</text>\n      <feedback format="html">\n        <text></text>\n      </feedback>\n    </answer>`);
      }
    } else {
      const right = q.choices.filter((c) => c.correct).length;
      out.push(
        `    <single>${q.type === "single" ? "true" : "false"}</single>`,
        "    <shuffleanswers>true</shuffleanswers>",
        "    <answernumbering>abc</answernumbering>",
        "    <showstandardinstruction>0</showstandardinstruction>",
      );
      for (const c of q.choices) {
        // Right answers share 100%; a wrong one cancels them in a several-answer question.
        const fraction = c.correct ? (q.type === "single" ? "100" : fractionText(100 / right)) : q.type === "single" ? "0" : "-100";
        out.push(`    <answer fraction="${fraction}" format="html">\n      <text><![CDATA[${cdata(textToHtml(c.text))}]]></text>\n      <feedback format="html">\n        <text></text>\n      </feedback>\n    </answer>`);
      }
    }
    out.push("  </question>");
  }
  out.push("", "</quiz>", "");
  return out.join("\n");
}

/** Moodle's grade list writes shares as 50, 33.33333, 25, 16.66667… */
function fractionText(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(5);
}

/** "]]>" cannot appear inside CDATA: it is split across two sections. */
function cdata(text: string): string {
  return text.replace(/]]>/g, "]]]]><![CDATA[>");
}
