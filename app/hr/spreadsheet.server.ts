// Reading and writing the tabular files HR offices exchange: CSV (UTF-8, comma, semicolon or
// tab), XLSX, the older XLS (Excel 97–2003) and ODS. Workbooks are read with SheetJS; a zipped
// workbook is first inflated with a byte budget, so a zip bomb is refused before SheetJS sees it.
// Offices lay out their lists with a title block above the header row, an ordinal column and
// date cells: the header row is looked for in the first rows of the first sheet that has one,
// dates become calendar days and numbers keep a mark, so codes that lost a leading zero are caught.
import * as XLSX from "@e965/xlsx";
import * as codepages from "@e965/xlsx/dist/cpexcel";
import { parse as parseCsv } from "csv-parse/sync";
import { Unzip, UnzipInflate } from "fflate";
import { foldHeader } from "~/hr/table-columns.server";

XLSX.set_cptable(codepages);

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_ROWS = 60_000;
/** Offices put a title block of a few lines above the header row; it is looked for this far down. */
export const HEADER_SEARCH_ROWS = 20;
/** Decompressed bytes allowed per workbook part and in total. */
const MAX_PART_BYTES = 60 * 1024 * 1024;
const MAX_TOTAL_BYTES = 120 * 1024 * 1024;
/** Excel's last column is XFD. */
const MAX_COLUMNS = 16_384;
const MAX_CELLS = 3_000_000;

export type Table = {
  headers: string[];
  rows: string[][];
  /** The sheet's row number (1-based) of `rows[0]`, so that errors name the row the office sees. */
  firstRow: number;
  /** Cells that held a number rather than text, as `row index:column index` of `rows`. */
  numberCells: Set<string>;
  /** The sheet read (null for CSV), and the sheets passed over because they hold no header row. */
  sheet: string | null;
  otherSheets: string[];
};

export class SpreadsheetError extends Error {
  constructor(
    public readonly code: "encoding" | "empty" | "tooLarge" | "tooManyRows" | "badXlsx" | "badCsv",
    detail = "",
  ) {
    super(detail || code);
  }
}

/** What a reader needs to recognise the header row: the folded header names of its fields. */
export type HeaderNames = ReadonlyMap<string, unknown>;

type Grid = { cells: string[][]; numbers: Set<string> };

export function readTable(fileName: string, bytes: Uint8Array, headerNames?: HeaderNames): Table {
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw new SpreadsheetError("tooLarge");
  const kind = formatOf(fileName, bytes);
  let sheets: { name: string | null; grid: Grid }[];
  if (kind === "csv") sheets = [{ name: null, grid: readCsv(bytes) }];
  else {
    if (kind === "zip") checkInflatedSize(bytes);
    sheets = readWorkbook(bytes);
  }
  const found = sheets.map((s) => ({ ...s, header: headerRowOf(s.grid.cells, headerNames) }));
  // The first sheet with the fullest header row (a notes sheet naming one column per line loses to it).
  const most = Math.max(0, ...found.map((s) => s.header.matches));
  const chosen = (most > 0 ? found.find((s) => s.header.matches === most) : found.find((s) => s.grid.cells.some(nonEmpty))) ?? found[0];
  if (!chosen) throw new SpreadsheetError("empty");
  const { cells, numbers } = chosen.grid;
  const at = chosen.header.index;
  const headers = (cells[at] ?? []).map((h) => h.trim());
  if (!headers.length || headers.every((h) => !h)) throw new SpreadsheetError("empty");
  const rows = cells.slice(at + 1);
  if (rows.filter(nonEmpty).length > MAX_ROWS) throw new SpreadsheetError("tooManyRows");
  const numberCells = new Set<string>();
  for (const key of numbers) {
    const [r, c] = key.split(":").map(Number);
    if (r > at) numberCells.add(`${r - at - 1}:${c}`);
  }
  return {
    headers,
    rows,
    firstRow: at + 2,
    numberCells,
    sheet: chosen.name,
    otherSheets: found.filter((s) => s !== chosen && s.name !== null).map((s) => s.name!),
  };
}

const nonEmpty = (cells: string[]) => cells.some((c) => c && c.trim() !== "");

function formatOf(fileName: string, bytes: Uint8Array): "zip" | "cfb" | "csv" {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return "zip";
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) return "cfb";
  if (/\.(xlsx|xls|ods)$/i.test(fileName)) throw new SpreadsheetError("badXlsx", "not a workbook");
  return "csv";
}

/**
 * The header row: among the first rows, the one naming the most known columns; without known
 * names (or when none match), the first row that holds anything.
 */
function headerRowOf(cells: string[][], names: HeaderNames | undefined): { index: number; matches: number } {
  const limit = Math.min(cells.length, HEADER_SEARCH_ROWS);
  let best = { index: -1, matches: 0 };
  if (names) {
    for (let i = 0; i < limit; i++) {
      const matches = new Set(cells[i].map((c) => names.get(foldHeader(c ?? ""))).filter((f) => f !== undefined)).size;
      if (matches > best.matches) best = { index: i, matches };
    }
  }
  if (best.index >= 0) return best;
  const first = cells.findIndex(nonEmpty);
  return { index: Math.max(first, 0), matches: 0 };
}

function readCsv(bytes: Uint8Array): Grid {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new SpreadsheetError("encoding");
  }
  // Excel saves ";" under Vietnamese regional settings, "," elsewhere, and tabs as "Unicode text":
  // the most frequent one on the busiest of the first lines decides (a title line has none).
  const firstLines = text.split(/\r?\n/, HEADER_SEARCH_ROWS);
  const count = (line: string, d: string) => line.split(d).length - 1;
  const busiest = (d: string) => Math.max(0, ...firstLines.map((l) => count(l, d)));
  const delimiter = [",", ";", "\t"].reduce((best, d) => (busiest(d) > busiest(best) ? d : best));
  try {
    const cells: string[][] = parseCsv(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: false, trim: false });
    return { cells, numbers: new Set() };
  } catch (e) {
    throw new SpreadsheetError("badCsv", (e as Error).message);
  }
}

/** Inflates every part of a zipped workbook without keeping it, refusing past the byte budget. */
function checkInflatedSize(bytes: Uint8Array): void {
  let total = 0;
  let failure: SpreadsheetError | null = null;
  const unzip = new Unzip((file) => {
    let size = 0;
    file.ondata = (err, chunk) => {
      if (failure) return;
      if (err) {
        failure = new SpreadsheetError("badXlsx", err.message);
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (size > MAX_PART_BYTES || total > MAX_TOTAL_BYTES) {
        failure = new SpreadsheetError("tooLarge", "decompressed size limit");
        file.terminate();
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  // Fed in slices so that a bomb is stopped after its first chunk past the limit.
  const step = 64 * 1024;
  try {
    for (let i = 0; i < bytes.length && !failure; i += step) {
      unzip.push(bytes.subarray(i, Math.min(i + step, bytes.length)), i + step >= bytes.length);
    }
  } catch (e) {
    throw failure ?? new SpreadsheetError("badXlsx", (e as Error).message);
  }
  if (failure) throw failure;
}

function readWorkbook(bytes: Uint8Array): { name: string; grid: Grid }[] {
  let book: XLSX.WorkBook;
  try {
    book = XLSX.read(bytes, {
      type: "array",
      dense: true,
      cellNF: true,
      cellFormula: false,
      cellHTML: false,
      cellStyles: false,
      sheetRows: MAX_ROWS + HEADER_SEARCH_ROWS + 2,
    });
  } catch (e) {
    throw new SpreadsheetError("badXlsx", (e as Error).message);
  }
  const date1904 = Boolean(book.Workbook?.WBProps?.date1904);
  let cellBudget = MAX_CELLS;
  return book.SheetNames.map((name) => {
    const grid = gridOf(book.Sheets[name], date1904, cellBudget);
    cellBudget -= grid.cells.reduce((n, r) => n + r.length, 0);
    return { name, grid };
  });
}

type Cell = XLSX.CellObject & { z?: string };

function gridOf(sheet: XLSX.WorkSheet, date1904: boolean, cellBudget: number): Grid {
  const data = ((sheet as { "!data"?: Cell[][] })["!data"] ?? []) as (Cell[] | undefined)[];
  const cells: string[][] = [];
  const numbers = new Set<string>();
  let count = 0;
  for (let r = 0; r < data.length; r++) {
    const row = data[r] ?? [];
    if (row.length > MAX_COLUMNS) throw new SpreadsheetError("badXlsx", "too many columns");
    count += row.length;
    if (count > cellBudget) throw new SpreadsheetError("tooLarge");
    const out: string[] = new Array(row.length).fill("");
    for (let c = 0; c < row.length; c++) {
      const cell = row[c];
      if (!cell) continue;
      out[c] = textOf(cell, date1904);
      if (cell.t === "n" && !isDateCell(cell)) numbers.add(`${r}:${c}`);
    }
    cells.push(out);
  }
  // A merged range shows its value in every cell it covers (a unit code merged down a group of
  // rows belongs to each of them); a title merged across the top stays one value, in its first cell.
  for (const merge of sheet["!merges"] ?? []) {
    const value = cells[merge.s.r]?.[merge.s.c] ?? "";
    if (!value || merge.e.r === merge.s.r) continue;
    for (let r = merge.s.r + 1; r <= Math.min(merge.e.r, cells.length - 1); r++) {
      for (let c = merge.s.c; c <= merge.e.c; c++) {
        if (!cells[r][c]) cells[r][c] = value;
        if (numbers.has(`${merge.s.r}:${merge.s.c}`)) numbers.add(`${r}:${c}`);
      }
    }
  }
  return { cells, numbers };
}

const isDateCell = (cell: Cell) => cell.t === "d" || (cell.t === "n" && typeof cell.z === "string" && XLSX.SSF.is_date(cell.z));

/** The text of a cell as the importers read it: dates as yyyy-mm-dd, numbers as typed. */
function textOf(cell: Cell, date1904: boolean): string {
  if (cell.t === "s") return String(cell.v ?? "");
  if (cell.t === "d") return isoDay(cell.v as Date);
  if (cell.t === "b") return cell.w ?? String(cell.v);
  if (cell.t === "e") return cell.w ?? "";
  if (cell.t !== "n" || typeof cell.v !== "number") return cell.w ?? String(cell.v ?? "");
  if (isDateCell(cell)) {
    const day = XLSX.SSF.parse_date_code(cell.v, { date1904 }) as { y: number; m: number; d: number } | null;
    return day ? `${day.y}-${pad(day.m)}-${pad(day.d)}` : "";
  }
  // A code typed into a cell formatted "00000" shows its zeros: the shown text is the code.
  if (cell.w && /^0\d+$/.test(cell.w) && Number(cell.w) === cell.v) return cell.w;
  return Number.isInteger(cell.v) ? cell.v.toFixed(0) : String(cell.v);
}

const pad = (n: number) => String(n).padStart(2, "0");
const isoDay = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** Cells that a spreadsheet would run as a formula are prefixed with an apostrophe. */
export function neutralise(value: string | number): string | number {
  if (typeof value === "number") return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export function toCsv(headers: string[], rows: (string | number)[][]): string {
  const quote = (v: string | number) => {
    const s = String(neutralise(v));
    return /[",;\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  // A BOM so that Excel opens UTF-8 with the right diacritics.
  return `\uFEFF${[headers, ...rows].map((r) => r.map(quote).join(",")).join("\r\n")}\r\n`;
}

export type SheetSpec = { name: string; headers: string[]; rows: (string | number)[][]; widths?: number[] };

/** An XLSX workbook of one or more sheets; text that would run as a formula is neutralised. */
export function toWorkbook(sheets: SheetSpec[]): Uint8Array {
  const book = XLSX.utils.book_new();
  for (const spec of sheets) {
    const sheet = XLSX.utils.aoa_to_sheet([spec.headers, ...spec.rows.map((r) => r.map(neutralise))]);
    // Columns wide enough for what they hold, so the file opens readable.
    const widths = spec.widths ?? spec.headers.map((h, i) => Math.min(60, Math.max(h.length, ...spec.rows.slice(0, 200).map((r) => String(r[i] ?? "").length)) + 2));
    sheet["!cols"] = widths.map((wch) => ({ wch }));
    XLSX.utils.book_append_sheet(book, sheet, spec.name.replace(/[\\/?*[\]:]/g, " ").slice(0, 31));
  }
  return new Uint8Array(XLSX.write(book, { type: "array", bookType: "xlsx", compression: true }) as ArrayBuffer);
}

/** A one-sheet XLSX workbook. */
export function toXlsx(sheetName: string, headers: string[], rows: (string | number)[][]): Uint8Array {
  return toWorkbook([{ name: sheetName, headers, rows }]);
}

/** A table as a download: CSV (UTF-8 with a BOM) or a one-sheet XLSX, never cached. */
export function tableDownload(format: "csv" | "xlsx", fileBase: string, sheetName: string, headers: string[], rows: (string | number)[][]): Response {
  const common = { "Content-Disposition": `attachment; filename="${fileBase}.${format}"`, "Cache-Control": "no-store" };
  if (format === "csv") return new Response(toCsv(headers, rows), { headers: { ...common, "Content-Type": "text/csv; charset=utf-8" } });
  return new Response(Buffer.from(toXlsx(sheetName, headers, rows)), {
    headers: { ...common, "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  });
}
