// Reading and writing the tabular files HR offices exchange: CSV (UTF-8, comma or semicolon)
// and XLSX. XLSX is read with a bounded decompressor, so a zip bomb is refused, not inflated.
import { parse as parseCsv } from "csv-parse/sync";
import { strToU8, Unzip, UnzipInflate, zipSync } from "fflate";

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_ROWS = 60_000;
/** Decompressed bytes allowed per XLSX part and in total. */
const MAX_PART_BYTES = 60 * 1024 * 1024;
const MAX_TOTAL_BYTES = 120 * 1024 * 1024;

export type Table = { headers: string[]; rows: string[][] };
export class SpreadsheetError extends Error {
  constructor(
    public readonly code: "encoding" | "empty" | "tooLarge" | "tooManyRows" | "badXlsx" | "badCsv",
    detail = "",
  ) {
    super(detail || code);
  }
}

export function readTable(fileName: string, bytes: Uint8Array): Table {
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw new SpreadsheetError("tooLarge");
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const table = isZip || /\.xlsx$/i.test(fileName) ? readXlsx(bytes) : readCsv(bytes);
  const nonEmpty = table.rows.filter((r) => r.some((c) => c.trim() !== ""));
  if (!table.headers.length || table.headers.every((h) => !h.trim())) throw new SpreadsheetError("empty");
  if (nonEmpty.length > MAX_ROWS) throw new SpreadsheetError("tooManyRows");
  return { headers: table.headers, rows: table.rows };
}

function readCsv(bytes: Uint8Array): Table {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new SpreadsheetError("encoding");
  }
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  // Excel saves ";" under Vietnamese regional settings, "," elsewhere, and tabs as "Unicode text":
  // the header line's most frequent one decides.
  const count = (d: string) => firstLine.split(d).length - 1;
  const delimiter = [",", ";", "\t"].reduce((best, d) => (count(d) > count(best) ? d : best));
  let records: string[][];
  try {
    records = parseCsv(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: false, trim: false });
  } catch (e) {
    throw new SpreadsheetError("badCsv", (e as Error).message);
  }
  const [headers = [], ...rows] = records;
  return { headers, rows };
}

/** Inflates only the parts we need, counting bytes as they come out. */
function unzipBounded(bytes: Uint8Array, wanted: (name: string) => boolean): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  let total = 0;
  let failure: SpreadsheetError | null = null;
  const unzip = new Unzip((file) => {
    if (!wanted(file.name)) return;
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, chunk, final) => {
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
        return;
      }
      chunks.push(chunk);
      if (final) {
        const out = new Uint8Array(size);
        let at = 0;
        for (const c of chunks) {
          out.set(c, at);
          at += c.length;
        }
        files.set(file.name, out);
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  // Feed in slices so a bomb is stopped after its first limit-crossing chunk.
  const step = 64 * 1024;
  try {
    for (let i = 0; i < bytes.length && !failure; i += step) {
      unzip.push(bytes.subarray(i, Math.min(i + step, bytes.length)), i + step >= bytes.length);
    }
  } catch (e) {
    throw failure ?? new SpreadsheetError("badXlsx", (e as Error).message);
  }
  if (failure) throw failure;
  return files;
}

const decodeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n) => codePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => codePoint(parseInt(n, 16)))
    .replace(/&amp;/g, "&");

/** A character reference that names no character becomes U+FFFD instead of throwing. */
function codePoint(n: number): string {
  return Number.isInteger(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : "\uFFFD";
}

// Each pattern stops at the next opening tag of its kind, so a malformed part (thousands of
// <c> without </c>, say) costs linear time instead of a rescan of the rest for every tag.
const SHARED_STRING = /<si>((?:(?!<\/si>|<si>)[\s\S])*)<\/si>/g;
const ROW = /<row\b[^<>]*>((?:(?!<\/row>|<row\b)[\s\S])*)<\/row>/g;
const CELL = /<c\b([^<>]*?)(?:\/>|>((?:(?!<\/c>|<c\b)[\s\S])*)<\/c>)/g;
const TEXT_RUN = /<t(?:\s[^<>]*)?>((?:(?!<\/t>|<t[\s>])[\s\S])*)<\/t>/g;
/** Excel's last column is XFD; the cell budget keeps sparse sheets from filling memory. */
const MAX_COLUMNS = 16_384;
const MAX_CELLS = 3_000_000;

function textOf(xml: string): string {
  // A cell or shared string may be split into rich-text runs: join every <t>.
  return [...xml.matchAll(TEXT_RUN)].map((m) => decodeXml(m[1])).join("");
}

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)?.[0] ?? "A";
  if (letters.length > 3) throw new SpreadsheetError("badXlsx", `cell ${ref.slice(0, 20)}`);
  const index = [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  if (index >= MAX_COLUMNS) throw new SpreadsheetError("badXlsx", `cell ${ref}`);
  return index;
}

function readXlsx(bytes: Uint8Array): Table {
  const files = unzipBounded(bytes, (name) => name === "xl/sharedStrings.xml" || name === "xl/workbook.xml" || /^xl\/worksheets\/sheet\d+\.xml$/.test(name));
  const sheetName = [...files.keys()].filter((n) => n.startsWith("xl/worksheets/")).sort()[0];
  if (!sheetName) throw new SpreadsheetError("badXlsx", "no worksheet");
  const decoder = new TextDecoder();
  const shared = files.has("xl/sharedStrings.xml")
    ? [...decoder.decode(files.get("xl/sharedStrings.xml")).matchAll(SHARED_STRING)].map((m) => textOf(m[1]))
    : [];
  const sheet = decoder.decode(files.get(sheetName));
  const table: string[][] = [];
  let cellCount = 0;
  for (const row of sheet.matchAll(ROW)) {
    const cells: string[] = [];
    for (const cell of row[1].matchAll(CELL)) {
      const attrs = cell[1];
      const body = cell[2] ?? "";
      const ref = /\br="([A-Z]+\d+)"/.exec(attrs)?.[1];
      const type = /\bt="(\w+)"/.exec(attrs)?.[1];
      const raw = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value = "";
      if (type === "s" && raw !== undefined) value = shared[Number(raw)] ?? "";
      else if (type === "inlineStr") value = textOf(body);
      else if (raw !== undefined) value = decodeXml(raw);
      const index = ref ? columnIndex(ref) : cells.length;
      if (index >= MAX_COLUMNS) throw new SpreadsheetError("badXlsx", "too many columns");
      cellCount += Math.max(0, index + 1 - cells.length);
      if (cellCount > MAX_CELLS) throw new SpreadsheetError("tooLarge");
      while (cells.length < index) cells.push("");
      cells[index] = value;
    }
    table.push(cells);
    if (table.length > MAX_ROWS + 1) throw new SpreadsheetError("tooManyRows");
  }
  const [headers = [], ...rows] = table;
  return { headers, rows };
}

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

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function columnName(i: number): string {
  let name = "";
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** A minimal, valid XLSX workbook with one sheet; text cells are inline strings. */
export function toXlsx(sheetName: string, headers: string[], rows: (string | number)[][]): Uint8Array {
  const cell = (v: string | number, ref: string) => {
    const safe = neutralise(v);
    return typeof safe === "number"
      ? `<c r="${ref}"><v>${safe}</v></c>`
      : `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${escapeXml(safe)}</t></is></c>`;
  };
  const sheetRows = [headers, ...rows]
    .map((r, i) => `<row r="${i + 1}">${r.map((v, j) => cell(v, `${columnName(j)}${i + 1}`)).join("")}</row>`)
    .join("");
  const files = {
    "[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`,
    "_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    "xl/workbook.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="${escapeXml(sheetName.slice(0, 31))}" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    "xl/_rels/workbook.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    "xl/worksheets/sheet1.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows}</sheetData></worksheet>`,
  };
  return zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
}
