// Roster import: a dry run computes what would change, with per-row errors; applying the same
// plan is all-or-nothing and a second run of the same file changes nothing.
import { audit } from "~/platform/audit.server";
import type { Table } from "~/hr/spreadsheet.server";
import { cellReader, foldHeader, matchColumns } from "~/hr/table-columns.server";
import type { SessionUser } from "~/identity/auth.server";
import { reachesOver } from "~/identity/authorize.server";
import type { Role } from "~/utils/roles";
import { rosterOfUnits, staffByEmail, staffByEmployeeCode, unitsByCode, writeRoster } from "~/hr/staff-import.data.server";
import { parseCalendarDate } from "~/utils/vietnam-time";

export const ROSTER_FIELDS = ["employeeCode", "fullName", "email", "unitCode", "position", "nationalId", "birthDate", "status"] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];
const REQUIRED: RosterField[] = ["employeeCode", "fullName", "email", "unitCode", "position"];

/** The roster headers, folded (see `foldHeader`), in Vietnamese and English. */
export const ROSTER_HEADERS = new Map<string, RosterField>(Object.entries({
  "ma can bo": "employeeCode",
  "employee code": "employeeCode",
  "ho va ten": "fullName",
  "full name": "fullName",
  email: "email",
  "ma don vi": "unitCode",
  "unit code": "unitCode",
  "chuc vu": "position",
  position: "position",
  "so cccd": "nationalId",
  "national id": "nationalId",
  "ngay sinh": "birthDate",
  "date of birth": "birthDate",
  "trang thai": "status",
  status: "status",
}) as [string, RosterField][]);

export type RowError = { row: number; column: string; code: string; params?: Record<string, string> };
export type StaffRow = {
  row: number;
  employeeCode: string;
  fullName: string;
  email: string;
  unitCode: string;
  unitId: number;
  position: string;
  nationalId: string | null;
  birthDate: Date | null;
  active: boolean;
};
/** A code that a spreadsheet stored as a number, which lost its leading zeros and was given them back. */
export type Repair = { row: number; column: RosterField; from: string; to: string };
export type ImportPlan = {
  /** Where the rows came from: the sheet read, the sheets passed over, the header row's number. */
  source: { sheet: string | null; otherSheets: string[]; headerRow: number };
  repairs: Repair[];
  create: StaffRow[];
  update: (StaffRow & { id: number; changed: string[] })[];
  deactivate: { id: number; employeeCode: string; fullName: string }[];
  unchanged: number;
  errors: RowError[];
  unknownColumns: string[];
  missingColumns: RosterField[];
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseStatus(value: string): boolean | "invalid" {
  const v = foldHeader(value);
  if (!v || v === "dang lam viec" || v === "active") return true;
  if (v === "nghi viec" || v === "left") return false;
  return "invalid";
}

/** Called now and then with the rows handled so far, for progress on large files. */
export type Progress = (done: number, total: number) => void;
/** Rows between two progress reports: about ten reports for a province's roster, no flood. */
const progressStep = (total: number) => (total > 10_000 ? 5_000 : 1_000);

/**
 * Builds the plan for a roster file. `scopePaths` are the unit subtrees the importer manages;
 * rows for units elsewhere, or people who belong elsewhere, are errors.
 */
/** Who imports, when it is a person (the web page): their rows may not touch people whose roles reach further. */
type Importer = Pick<SessionUser, "id" | "roles">;
type StoredRoles = { role: string; orgUnit: { path: string } }[];
const reachable = (importer: Importer | undefined, person: { id: number; roles: StoredRoles }) =>
  !importer || reachesOver(importer, { id: person.id, roles: person.roles.map((r) => ({ role: r.role as Role, path: r.orgUnit.path })) });

const isNumberCell = (table: Table, index: number, column: number | undefined) => column !== undefined && table.numberCells.has(`${index}:${column}`);

/** Zero-padded forms of a number a few digits wider, as a code that lost its leading zeros would have had. */
const paddedForms = (digits: string) => [1, 2, 3, 4].map((n) => digits.padStart(digits.length + n, "0"));

/**
 * Employee and unit codes that a spreadsheet stored as numbers ("02647" typed into a number
 * cell keeps only 2647). When the width is known, the zeros are given back and the repair is
 * listed: for a unit, the one existing unit whose code is the number padded with zeros; for an
 * employee, the width of the file's other all-digit codes, or the one existing person whose code
 * is the number padded. Otherwise the number stays as it is and is checked like any code.
 */
async function repairLostZeros(
  table: Table,
  rows: { cells: string[]; index: number; row: number }[],
  columns: Map<RosterField, number>,
  read: (cells: string[], field: RosterField) => string,
  repairs: Repair[],
): Promise<Map<string[], Map<RosterField, string>>> {
  const fixed = new Map<string[], Map<RosterField, string>>();
  const numeric = (field: RosterField) =>
    rows.filter(({ cells, index }) => isNumberCell(table, index, columns.get(field)) && /^\d+$/.test(read(cells, field)));
  const record = (r: { cells: string[]; row: number }, column: RosterField, from: string, to: string) => {
    if (!fixed.has(r.cells)) fixed.set(r.cells, new Map());
    fixed.get(r.cells)!.set(column, to);
    repairs.push({ row: r.row, column, from, to });
  };

  const unitRows = numeric("unitCode");
  if (unitRows.length) {
    const asTyped = unitRows.map((r) => read(r.cells, "unitCode"));
    const found = new Set((await unitsByCode([...new Set(asTyped.flatMap((c) => [c, ...paddedForms(c)]))])).map((u) => u.code));
    for (const r of unitRows) {
      const code = read(r.cells, "unitCode");
      const candidates = paddedForms(code).filter((c) => found.has(c));
      if (!found.has(code) && candidates.length === 1) record(r, "unitCode", code, candidates[0]);
    }
  }

  const codeRows = numeric("employeeCode");
  if (codeRows.length) {
    const widths = new Map<number, number>();
    for (const { cells, index } of rows) {
      const code = read(cells, "employeeCode");
      if (/^\d+$/.test(code) && !isNumberCell(table, index, columns.get("employeeCode"))) widths.set(code.length, (widths.get(code.length) ?? 0) + 1);
    }
    const fileWidth = [...widths.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
    const typed = codeRows.map((r) => read(r.cells, "employeeCode"));
    const known = new Set((await staffByEmployeeCode([...new Set(typed.flatMap((c) => [c, ...paddedForms(c)]))])).map((u) => u.employeeCode!));
    for (const r of codeRows) {
      const code = read(r.cells, "employeeCode");
      if (known.has(code)) continue;
      const stored = paddedForms(code).filter((c) => known.has(c));
      if (fileWidth > code.length) record(r, "employeeCode", code, code.padStart(fileWidth, "0"));
      else if (stored.length === 1) record(r, "employeeCode", code, stored[0]);
    }
  }
  return fixed;
}

export async function planImport(
  table: Table,
  scopePaths: string[],
  { fullRoster = false, onProgress = (() => {}) as Progress, importer }: { fullRoster?: boolean; onProgress?: Progress; importer?: Importer } = {},
): Promise<ImportPlan> {
  const { columns, unknownColumns } = matchColumns(table.headers, ROSTER_HEADERS);
  const missingColumns = REQUIRED.filter((f) => !columns.has(f));
  const source = { sheet: table.sheet, otherSheets: table.otherSheets, headerRow: table.firstRow - 1 };
  const plan: ImportPlan = { source, repairs: [], create: [], update: [], deactivate: [], unchanged: 0, errors: [], unknownColumns, missingColumns };
  if (missingColumns.length) return plan;

  const read = cellReader(columns);
  // Rows with nothing in the roster's columns (a blank line, a "Người lập biểu" footer) are not people.
  const rows = table.rows
    .map((cells, i) => ({ cells, index: i, row: table.firstRow + i }))
    .filter(({ cells }) => [...columns.values()].some((c) => cells[c]?.trim()));
  const repaired = await repairLostZeros(table, rows, columns, read, plan.repairs);
  const get = (cells: string[], field: RosterField) => repaired.get(cells)?.get(field) ?? read(cells, field);

  const unitCodes = [...new Set(rows.map(({ cells }) => get(cells, "unitCode")).filter(Boolean))];
  const units = new Map((await unitsByCode(unitCodes)).map((u) => [u.code, u]));
  const inScope = (path: string) => scopePaths.some((p) => path.startsWith(p));
  const codes = [...new Set(rows.map(({ cells }) => get(cells, "employeeCode")).filter(Boolean))];
  const emails = [...new Set(rows.map(({ cells }) => get(cells, "email").toLowerCase()).filter(Boolean))];
  const byCode = new Map((await staffByEmployeeCode(codes)).map((u) => [u.employeeCode!, u]));
  const byEmail = new Map((await staffByEmail(emails)).map((u) => [u.email, u]));

  const seenCodes = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  const step = progressStep(rows.length);
  for (const [done, { cells, row, index }] of rows.entries()) {
    if (done && done % step === 0) onProgress(done, rows.length);
    const errors: RowError[] = [];
    const value = (f: RosterField) => get(cells, f);
    for (const f of REQUIRED) if (!value(f)) errors.push({ row, column: f, code: "required" });
    const employeeCode = value("employeeCode");
    const email = value("email").toLowerCase();
    if (employeeCode.length > 40) errors.push({ row, column: "employeeCode", code: "tooLong" });
    if (email && (!EMAIL.test(email) || email.length > 254)) errors.push({ row, column: "email", code: "invalidEmail" });
    if (value("fullName").length > 120) errors.push({ row, column: "fullName", code: "tooLong" });
    if (value("position").length > 120) errors.push({ row, column: "position", code: "tooLong" });
    if (employeeCode && seenCodes.has(employeeCode)) errors.push({ row, column: "employeeCode", code: "duplicateInFile", params: { other: String(seenCodes.get(employeeCode)) } });
    if (email && seenEmails.has(email)) errors.push({ row, column: "email", code: "duplicateInFile", params: { other: String(seenEmails.get(email)) } });
    if (employeeCode) seenCodes.set(employeeCode, seenCodes.get(employeeCode) ?? row);
    if (email) seenEmails.set(email, seenEmails.get(email) ?? row);
    const unit = units.get(value("unitCode"));
    if (value("unitCode") && !unit && isNumberCell(table, index, columns.get("unitCode"))) {
      errors.push({ row, column: "unitCode", code: "unitCodeNumber", params: { code: value("unitCode") } });
    } else if (value("unitCode") && (!unit || !inScope(unit.path))) errors.push({ row, column: "unitCode", code: "unitOutOfScope", params: { code: value("unitCode") } });
    const nationalId = value("nationalId") || null;
    if (nationalId && /^\d{11}$/.test(nationalId) && isNumberCell(table, index, columns.get("nationalId"))) {
      errors.push({ row, column: "nationalId", code: "nationalIdLostZero", params: { value: nationalId, fixed: `0${nationalId}` } });
    } else if (nationalId && !/^\d{12}$/.test(nationalId)) errors.push({ row, column: "nationalId", code: "nationalId" });
    const birthDate = parseCalendarDate(value("birthDate"));
    if (birthDate === "invalid") errors.push({ row, column: "birthDate", code: "birthDate" });
    const active = parseStatus(value("status"));
    if (active === "invalid") errors.push({ row, column: "status", code: "status" });

    const existing = employeeCode ? byCode.get(employeeCode) : undefined;
    if (existing && !inScope(existing.orgUnit.path)) errors.push({ row, column: "employeeCode", code: "personOutOfScope" });
    const emailOwner = email ? byEmail.get(email) : undefined;
    if (emailOwner && emailOwner.id !== existing?.id) errors.push({ row, column: "email", code: "emailTaken" });
    if (errors.length || !unit || birthDate === "invalid" || active === "invalid") {
      plan.errors.push(...errors);
      continue;
    }
    const staff: StaffRow = { row, employeeCode, fullName: value("fullName"), email, unitCode: unit.code, unitId: unit.id, position: value("position"), nationalId, birthDate, active };
    if (!existing) {
      plan.create.push(staff);
      continue;
    }
    const changed: string[] = [];
    if (existing.fullName !== staff.fullName) changed.push("fullName");
    if (existing.email !== staff.email) changed.push("email");
    if (existing.orgUnitId !== staff.unitId) changed.push("unitCode");
    if (existing.position !== staff.position) changed.push("position");
    if ((existing.nationalId ?? null) !== staff.nationalId && staff.nationalId !== null) changed.push("nationalId");
    if (staff.birthDate && existing.birthDate?.getTime() !== staff.birthDate.getTime()) changed.push("birthDate");
    if (existing.active !== staff.active) changed.push("status");
    // Changing someone is acting on them: never on a person whose roles reach further than the importer's.
    if (changed.length && !reachable(importer, existing)) {
      plan.errors.push({ row, column: "employeeCode", code: "widerRole" });
      continue;
    }
    if (changed.length) plan.update.push({ ...staff, id: existing.id, changed });
    else plan.unchanged++;
  }

  onProgress(rows.length, rows.length);
  if (fullRoster && !plan.errors.length) {
    // Everyone of the units named in the file who is not in the file has left.
    const listed = new Set(codes);
    const unitIds = [...new Set([...plan.create, ...plan.update].map((s) => s.unitId).concat(rows.map(({ cells }) => units.get(get(cells, "unitCode"))?.id ?? -1)))].filter((id) => id > 0);
    const missing = (await rosterOfUnits(unitIds)).filter((u) => !listed.has(u.employeeCode!));
    for (const u of missing.filter((m) => !reachable(importer, m))) {
      plan.errors.push({ row: 0, column: "employeeCode", code: "widerRoleMissing", params: { code: u.employeeCode! } });
    }
    plan.deactivate = missing.map((u) => ({ id: u.id, employeeCode: u.employeeCode!, fullName: u.fullName }));
  }
  return plan;
}

export type ImportResult = { created: number; updated: number; deactivated: number; unchanged: number };

/**
 * Applies a plan without errors in one transaction: the staff changes and the enrolments in
 * matching assignments are written together, so a failure anywhere leaves nothing behind.
 */
export async function applyImport(
  plan: ImportPlan,
  actor: { id: number | null; orgUnitId: number | null },
  ip: string,
  fileName: string,
  onProgress: Progress = () => {},
): Promise<ImportResult> {
  if (plan.errors.length || plan.missingColumns.length) throw new Error("a plan with errors cannot be applied");
  const total = plan.create.length + plan.update.length + plan.deactivate.length;
  const step = progressStep(total);
  let done = 0;
  const advance = (n: number) => {
    const before = Math.floor(done / step);
    done += n;
    if (Math.floor(done / step) > before || done === total) onProgress(done, total);
  };
  await writeRoster(plan, advance);
  const result = { created: plan.create.length, updated: plan.update.length, deactivated: plan.deactivate.length, unchanged: plan.unchanged };
  await audit({ action: "staff.import", actorId: actor.id, orgUnitId: actor.orgUnitId, ip, detail: { file: fileName.slice(0, 120), ...result } });
  return result;
}
