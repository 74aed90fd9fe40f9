// The question spreadsheet (XLSX or CSV, one question a row) and its template. Reading goes
// through the project's table reader (format by magic bytes, zip-bomb budget, header row found
// below a title block); the template through its XLSX writer.
import { foldHeader } from "~/hr/table-columns.server";
import { readTable, SpreadsheetError, toCsv, toWorkbook, type Table } from "~/hr/spreadsheet.server";
import { QuestionFileError, type ReadFile } from "~/content/question-bank/question-file.server";
import { TRUE_FALSE_TEXT } from "~/content/question-bank/bank-question.server";
import type { QuestionType } from "~/utils/course";

export const CHOICE_LETTERS = ["A", "B", "C", "D", "E", "F", "G", "H"] as const;

type Field = "key" | "category" | "type" | "prompt" | "correct" | "explanation" | `choice${(typeof CHOICE_LETTERS)[number]}`;

/** The template's headers (Vietnamese, as offices write them) and the other names each column may have. */
export const SHEET_HEADERS: { field: Field; header: string; aliases: string[] }[] = [
  { field: "key", header: "Mã câu hỏi", aliases: ["Mã", "Key", "ID"] },
  { field: "category", header: "Nhóm", aliases: ["Chủ đề", "Category"] },
  { field: "type", header: "Loại", aliases: ["Loại câu hỏi", "Type"] },
  { field: "prompt", header: "Câu hỏi", aliases: ["Nội dung câu hỏi", "Question", "Prompt"] },
  ...CHOICE_LETTERS.map((l) => ({ field: `choice${l}` as Field, header: `Phương án ${l}`, aliases: [`Lựa chọn ${l}`, `Choice ${l}`, `Option ${l}`] })),
  { field: "correct", header: "Đáp án đúng", aliases: ["Đáp án", "Correct", "Answer"] },
  { field: "explanation", header: "Giải thích", aliases: ["Explanation", "Feedback"] },
];

const HEADER_NAMES = new Map<string, Field>(SHEET_HEADERS.flatMap((h) => [h.header, ...h.aliases].map((n) => [foldHeader(n), h.field] as const)));

/** The "Loại" column's words, folded; an empty cell is read from the answer. */
const TYPE_WORDS: Record<string, QuestionType> = {
  "mot dap an": "single",
  "1 dap an": "single",
  single: "single",
  "nhieu dap an": "multiple",
  multiple: "multiple",
  "dung sai": "truefalse",
  "true false": "truefalse",
  truefalse: "truefalse",
};
export const TYPE_LABELS: Record<QuestionType, string> = { single: "Một đáp án", multiple: "Nhiều đáp án", truefalse: "Đúng-Sai" };

const TRUE_WORDS = new Set(["dung", "d", "true", "t"]);
const FALSE_WORDS = new Set(["sai", "s", "false", "f"]);

export function readQuestionSheet(fileName: string, bytes: Uint8Array): ReadFile {
  let table: Table;
  try {
    table = readTable(fileName, bytes, HEADER_NAMES);
  } catch (e) {
    if (e instanceof SpreadsheetError) throw new QuestionFileError(`qbank.errors.sheet.${e.code}`);
    throw e;
  }
  const columns = new Map<Field, number>();
  table.headers.forEach((h, i) => {
    const field = HEADER_NAMES.get(foldHeader(h));
    if (field && !columns.has(field)) columns.set(field, i);
  });
  const missing = (["prompt", "correct"] as const).filter((f) => !columns.has(f));
  if (missing.length) throw new QuestionFileError("qbank.errors.sheetColumns", { columns: missing.map((f) => SHEET_HEADERS.find((h) => h.field === f)!.header).join(", ") });

  const result: ReadFile = { questions: [], skipped: [], categories: [] };
  let position = 0;
  table.rows.forEach((cells, index) => {
    const row = table.firstRow + index;
    const cell = (field: Field) => (columns.has(field) ? (cells[columns.get(field)!] ?? "").trim().normalize("NFC") : "");
    if (!cells.some((c) => c && c.trim())) return;
    position++;
    const prompt = cell("prompt").replace(/\r\n?/g, "\n");
    const category = cell("category");
    if (category && !result.categories.includes(category)) result.categories.push(category);
    const correct = cell("correct");
    const typeText = cell("type");
    const key = cell("key");
    let type: QuestionType | undefined = typeText ? TYPE_WORDS[foldHeader(typeText)] : undefined;
    if (typeText && !type) {
      result.skipped.push({ position, line: row, kind: typeText.slice(0, 40), title: key });
      return;
    }
    const folded = foldHeader(correct);
    type ??= TRUE_WORDS.has(folded) || FALSE_WORDS.has(folded) ? "truefalse" : correct.split(/[,;\s]+/).filter(Boolean).length > 1 ? "multiple" : "single";
    const base = { position, line: row, title: key, key: key || undefined, category, prompt, explanation: cell("explanation").replace(/\r\n?/g, "\n"), image: null };
    if (type === "truefalse") {
      if (!TRUE_WORDS.has(folded) && !FALSE_WORDS.has(folded)) throw new QuestionFileError("qbank.errors.sheetTrueFalse", { line: row, answer: correct.slice(0, 20) });
      const isTrue = TRUE_WORDS.has(folded);
      result.questions.push({ ...base, type, choices: [{ text: TRUE_FALSE_TEXT.true, correct: isTrue }, { text: TRUE_FALSE_TEXT.false, correct: !isTrue }] });
      return;
    }
    const letters = correct.toUpperCase().split(/[,;\s]+/).filter(Boolean);
    const filled = CHOICE_LETTERS.filter((l) => cell(`choice${l}`));
    if (!letters.length || letters.some((l) => !filled.includes(l as (typeof CHOICE_LETTERS)[number]))) {
      throw new QuestionFileError("qbank.errors.sheetAnswer", { line: row, answer: correct.slice(0, 20) });
    }
    result.questions.push({ ...base, type, choices: filled.map((l) => ({ text: cell(`choice${l}`), correct: letters.includes(l) })) });
  });
  return result;
}

/** The template's example rows: one of each type, in Vietnamese. */
function templateRows(): string[][] {
  const blank = (n: number) => Array.from({ length: n }, () => "");
  return [
    ["ATTT-01", "An toàn thông tin", TYPE_LABELS.single, "Mật khẩu nào dưới đây mạnh nhất?", "123456", "matkhau", "Tr@m-Xanh-2026!", "ngaysinh", ...blank(4), "C", "Mật khẩu mạnh dài, có chữ hoa, chữ thường, số và ký tự đặc biệt."],
    ["ATTT-02", "An toàn thông tin", TYPE_LABELS.multiple, "Những việc nào giúp bảo vệ tài khoản?", "Bật xác thực hai lớp", "Dùng chung mật khẩu", "Cập nhật phần mềm", "Bấm mọi đường link", ...blank(4), "A, C", ""],
    ["", "Dịch vụ công", TYPE_LABELS.truefalse, "Có thể nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia.", ...blank(8), "Đúng", ""],
  ];
}

export function questionTemplate(format: "xlsx" | "csv"): Uint8Array | string {
  const headers = SHEET_HEADERS.map((h) => h.header);
  if (format === "csv") return toCsv(headers, templateRows());
  return toWorkbook([{ name: "Câu hỏi", headers, rows: templateRows() }]);
}
