// The roster template HR offices download, fill in and send back: the headers in Vietnamese,
// one example row, code columns formatted as text (so "02647" keeps its zero when typed), and a
// notes sheet explaining every column.
import * as XLSX from "@e965/xlsx";
import { getT, type Lang } from "~/utils/i18n";

/** Rows formatted as text ahead of time in the code columns. */
const PREPARED_ROWS = 500;
const COLUMNS = [
  { header: "Mã cán bộ", example: "LC00001", text: true, width: 14 },
  { header: "Họ và tên", example: "Nguyễn Thị Hồng Nhung", text: false, width: 28 },
  { header: "Email", example: "nhung.nth@laocai.gov.vn", text: false, width: 30 },
  { header: "Mã đơn vị", example: "02647", text: true, width: 12 },
  { header: "Chức vụ", example: "Công chức Văn phòng - Thống kê", text: false, width: 32 },
  { header: "Số CCCD", example: "010190001234", text: true, width: 16 },
  { header: "Ngày sinh", example: "12/08/1992", text: true, width: 12 },
  { header: "Trạng thái", example: "Đang làm việc", text: false, width: 16 },
] as const;
const NOTE_KEYS = ["employeeCode", "fullName", "email", "unitCode", "position", "nationalId", "birthDate", "status"] as const;

export function rosterTemplate(lang: Lang): Uint8Array {
  const t = getT(lang);
  const rows: XLSX.CellObject[][] = [
    COLUMNS.map((c) => ({ t: "s", v: c.header })),
    COLUMNS.map((c) => ({ t: "s", v: c.example, ...(c.text ? { z: "@" } : {}) })),
  ];
  for (let r = 0; r < PREPARED_ROWS; r++) rows.push(COLUMNS.map((c) => (c.text ? { t: "s", v: "", z: "@" } : { t: "z" })));
  const sheet = XLSX.utils.aoa_to_sheet([]);
  XLSX.utils.sheet_add_aoa(sheet, rows);
  sheet["!cols"] = COLUMNS.map((c) => ({ wch: c.width }));
  const notes = XLSX.utils.aoa_to_sheet([
    [t("hr.template.notesColumn"), t("hr.template.notesRule")],
    ...NOTE_KEYS.map((k, i) => [COLUMNS[i].header, t(`hr.template.rules.${k}`)]),
    [],
    [t("hr.template.exampleRow")],
    [t("hr.template.titleBlock")],
    [t("hr.template.formats")],
  ]);
  notes["!cols"] = [{ wch: 16 }, { wch: 100 }];
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, sheet, "Danh sách");
  XLSX.utils.book_append_sheet(book, notes, t("hr.template.notesSheet").slice(0, 31));
  return new Uint8Array(XLSX.write(book, { type: "array", bookType: "xlsx", compression: true }) as ArrayBuffer);
}
