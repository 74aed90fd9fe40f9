// Matching the header row of a spreadsheet an office saved: case-insensitive, with or without
// Vietnamese diacritics, in either language, in any order. Unknown columns are reported.

/** Lower-case, without diacritics or extra spaces: "Mã cán bộ" and "ma can bo" match. */
export function foldHeader(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/gi, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

/** The ordinal column offices number their rows in ("STT", "Số TT", "No."): neither data nor unknown. */
const ORDINAL_HEADERS = new Set(["stt", "tt", "so tt", "so thu tu", "no", ""]);

/**
 * Which column holds each field. A Map, not an object: a header such as "constructor" or
 * "__proto__" must never find something by way of the object prototype.
 */
export function matchColumns<F extends string>(headers: string[], names: ReadonlyMap<string, F>) {
  const columns = new Map<F, number>();
  const unknownColumns: string[] = [];
  headers.forEach((header, i) => {
    const folded = foldHeader(header);
    const field = names.get(folded);
    if (field && !columns.has(field)) columns.set(field, i);
    else if (ORDINAL_HEADERS.has(folded)) return;
    else if (header.trim()) unknownColumns.push(header.trim());
  });
  return { columns, unknownColumns };
}

/** A cell of a row by field, NFC and single-spaced, "" when the column is absent. */
export function cellReader<F extends string>(columns: Map<F, number>) {
  return (cells: string[], field: F) => {
    const i = columns.get(field);
    return i === undefined ? "" : (cells[i] ?? "").normalize("NFC").replace(/\s+/g, " ").trim();
  };
}
