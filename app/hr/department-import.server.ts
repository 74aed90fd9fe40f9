// Agencies and departments with their approved headcount (biên chế), in bulk from a CSV or
// spreadsheet file, by the roster's rules: a dry run lists every bad row with its reason,
// applying is all-or-nothing, and the same file twice changes nothing the second time. A row
// for an official unit (a province or commune) sets only its headcount.
import { audit } from "~/platform/audit.server";
import type { Table } from "~/hr/spreadsheet.server";
import { cellReader, matchColumns } from "~/hr/table-columns.server";
import { unitsForDepartments, writeDepartments, type DepartmentWrite } from "~/hr/org-units.data.server";
import { childKindsOf, UNIT_CODE } from "~/utils/org-units";

export const DEPARTMENT_FIELDS = ["unitCode", "name", "nameEn", "parentCode", "headcount", "unitType"] as const;
export type DepartmentField = (typeof DEPARTMENT_FIELDS)[number];
const REQUIRED: DepartmentField[] = ["unitCode", "name", "parentCode", "headcount"];

/** The department file headers, folded (see `foldHeader`), in Vietnamese and English. */
export const DEPARTMENT_HEADERS = new Map<string, DepartmentField>([
  ["ma don vi", "unitCode"],
  ["unit code", "unitCode"],
  ["ten don vi", "name"],
  ["unit name", "name"],
  ["name", "name"],
  ["ten tieng anh", "nameEn"],
  ["english name", "nameEn"],
  ["ma don vi cap tren", "parentCode"],
  ["parent unit code", "parentCode"],
  ["parent code", "parentCode"],
  ["bien che", "headcount"],
  ["so bien che", "headcount"],
  ["approved headcount", "headcount"],
  ["headcount", "headcount"],
  ["loai don vi", "unitType"],
  ["unit type", "unitType"],
]);

export type DepartmentRowError = { row: number; column: DepartmentField; code: string; params?: Record<string, string> };
export type DepartmentPlan = {
  create: (DepartmentWrite & { row: number })[];
  update: (DepartmentWrite & { row: number; id: number; oldPath: string; official: boolean; changed: string[] })[];
  unchanged: number;
  errors: DepartmentRowError[];
  unknownColumns: string[];
  missingColumns: DepartmentField[];
};

/** "1200", "1.200" or "1,200" (thousands as offices write them) as a whole number, else null. */
function headcountOf(text: string): number | null {
  const compact = text.replace(/\s/g, "");
  const digits = /^\d{1,3}([.,]\d{3})+$/.test(compact) ? compact.replace(/[.,]/g, "") : compact;
  if (!/^\d{1,7}$/.test(digits)) return null;
  return Number(digits);
}

/**
 * Checks a department file against the tree and the importer's scope (`scopePaths`, where they
 * manage units). Parents may be existing units or rows of the same file.
 */
export async function planDepartments(table: Table, scopePaths: string[]): Promise<DepartmentPlan> {
  const { columns, unknownColumns } = matchColumns(table.headers, DEPARTMENT_HEADERS);
  const missingColumns = REQUIRED.filter((f) => !columns.has(f));
  const plan: DepartmentPlan = { create: [], update: [], unchanged: 0, errors: [], unknownColumns, missingColumns };
  if (missingColumns.length) return plan;
  const get = cellReader(columns);
  const rows = table.rows.map((cells, i) => ({ cells, row: table.firstRow + i })).filter(({ cells }) => [...columns.values()].some((c) => cells[c]?.trim()));
  const codes = [...new Set(rows.flatMap(({ cells }) => [get(cells, "unitCode"), get(cells, "parentCode")]).filter(Boolean))];
  const existing = new Map((await unitsForDepartments(codes)).map((u) => [u.code, u]));
  const inScope = (path: string) => scopePaths.some((p) => path.startsWith(p));
  const fileCodes = new Map<string, number>();
  for (const { cells, row } of rows) {
    const code = get(cells, "unitCode");
    if (code && !fileCodes.has(code)) fileCodes.set(code, row);
  }

  // The path a row's unit will have, following parents through the file; null on a cycle, a dead
  // end or a chain deeper than any real tree. Walked iteratively with the results kept, so a file
  // built as one long chain costs linear time and no deep recursion.
  const rowByCode = new Map(rows.map((r) => [get(r.cells, "unitCode"), r] as const));
  const paths = new Map<string, string | null>();
  const MAX_DEPTH = 30;
  const pathOf = (code: string): string | null => {
    const chain: string[] = [];
    let current = code;
    let base: string | null = null;
    for (;;) {
      if (paths.has(current)) {
        base = paths.get(current)!;
        break;
      }
      const unit = existing.get(current);
      const row = rowByCode.get(current);
      if (!row || (unit && unit.kind !== "agency")) {
        base = unit ? unit.path : null;
        break;
      }
      if (chain.includes(current) || chain.length >= MAX_DEPTH) {
        base = null;
        break;
      }
      chain.push(current);
      current = get(row.cells, "parentCode");
    }
    for (const c of chain.reverse()) {
      base = base === null ? null : `${base}${c}/`;
      paths.set(c, base);
    }
    return paths.get(code) ?? base;
  };

  for (const { cells, row } of rows) {
    const errors: DepartmentRowError[] = [];
    const value = (f: DepartmentField) => get(cells, f);
    for (const f of REQUIRED) if (!value(f)) errors.push({ row, column: f, code: "required" });
    const code = value("unitCode");
    const parentCode = value("parentCode");
    if (code && !UNIT_CODE.test(code)) errors.push({ row, column: "unitCode", code: "codeFormat" });
    if (code && fileCodes.get(code) !== row) errors.push({ row, column: "unitCode", code: "duplicateInFile", params: { first: String(fileCodes.get(code)) } });
    if (value("name").length > 250) errors.push({ row, column: "name", code: "tooLong" });
    if (value("nameEn").length > 250) errors.push({ row, column: "nameEn", code: "tooLong" });
    if (value("unitType").length > 60) errors.push({ row, column: "unitType", code: "tooLong" });
    const headcount = value("headcount") ? headcountOf(value("headcount")) : null;
    if (value("headcount") && headcount === null) errors.push({ row, column: "headcount", code: "invalidHeadcount" });
    const unit = existing.get(code);
    const parent = existing.get(parentCode);
    if (unit && !inScope(unit.path)) errors.push({ row, column: "unitCode", code: "unitOutOfScope" });
    if (unit && unit.kind !== "agency" && unit.parent?.code !== parentCode && parentCode) errors.push({ row, column: "parentCode", code: "officialParent" });
    if (parentCode && !parent && !fileCodes.has(parentCode)) errors.push({ row, column: "parentCode", code: "unknownParent" });
    if (parent && !inScope(parent.path)) errors.push({ row, column: "parentCode", code: "parentOutOfScope" });
    if (parent && !childKindsOf(parent.kind).includes("agency")) errors.push({ row, column: "parentCode", code: "parentKind" });
    // A unit placed under itself, directly or through other rows, or moved into its own subtree.
    if (code && parentCode && (!unit || unit.kind === "agency")) {
      const parentPath = pathOf(parentCode);
      if (parentCode === code || (parentPath !== null && parentPath.split("/").includes(code)) || (parentPath === null && fileCodes.has(parentCode))) {
        errors.push({ row, column: "parentCode", code: "cycle" });
      }
    }
    if (errors.length) {
      plan.errors.push(...errors);
      continue;
    }
    const write: DepartmentWrite = {
      code,
      nameVi: value("name"),
      nameEn: value("nameEn") || value("name"),
      unitType: value("unitType"),
      approvedHeadcount: headcount!,
      parentCode,
    };
    if (!unit) {
      plan.create.push({ ...write, row });
      continue;
    }
    const official = unit.kind !== "agency";
    const changed = official
      ? unit.approvedHeadcount !== write.approvedHeadcount
        ? ["headcount"]
        : []
      : (
          [
            ["name", unit.nameVi !== write.nameVi],
            ["nameEn", unit.nameEn !== write.nameEn],
            ["unitType", unit.unitType !== write.unitType],
            ["headcount", unit.approvedHeadcount !== write.approvedHeadcount],
            ["parentCode", unit.parent?.code !== write.parentCode],
          ] as const
        )
          .filter(([, differs]) => differs)
          .map(([name]) => name);
    if (changed.length) plan.update.push({ ...write, row, id: unit.id, oldPath: unit.path, official, changed });
    else plan.unchanged++;
  }
  return plan;
}

export async function applyDepartments(plan: DepartmentPlan, actor: { id: number | null; orgUnitId: number | null }, ip: string, file: string) {
  if (plan.errors.length || plan.missingColumns.length) throw new Error("a department file with errors is never applied");
  await writeDepartments(plan.create, plan.update);
  const summary = { created: plan.create.length, updated: plan.update.length, unchanged: plan.unchanged };
  await audit({ action: "unit.import_departments", actorId: actor.id, orgUnitId: actor.orgUnitId, ip, detail: { file: file.slice(0, 200), ...summary } });
  return summary;
}
