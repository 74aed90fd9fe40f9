import type { TFunction } from "~/utils/i18n";
import { z } from "zod";
import { audit } from "~/platform/audit.server";
import { childPath, existingUnits, writeOfficialUnits, type OfficialUnit } from "~/hr/org-units.data.server";
import { UNIT_CODE } from "~/utils/org-units";

// The official list of provinces and their communes (see the README for the format).
const officialUnit = z.object({
  code: z.string().regex(UNIT_CODE),
  name: z.string().trim().min(1).max(200),
  nameEn: z.string().trim().min(1).max(200),
  fullName: z.string().trim().min(1).max(250),
  unitType: z.string().trim().max(60).default(""),
});
const officialProvince = officialUnit.extend({ wards: z.array(officialUnit) });
const officialList = z.array(officialProvince).min(1);

/** One problem in an imported list: a translation key (units.import.*) and its values. */
export type UnitImportProblem = { key: string; values: Record<string, string | number> };

export class UnitImportError extends Error {
  constructor(public readonly problems: UnitImportProblem[]) {
    super(problems.map((p) => `${p.key} ${JSON.stringify(p.values)}`).join("\n"));
  }
}

/** A problem as a sentence in the reader's language. */
export function describeUnitProblem(t: TFunction, problem: UnitImportProblem): string {
  const { at, ...values } = problem.values;
  return t(problem.key, { ...values, at: at ? t(String(at), values) : "" });
}

export type UnitImportSummary = { provinces: number; communes: number; created: number; updated: number; unchanged: number };

/** "Province no. 3" or "province no. 3, commune no. 12", counted from 1 as a person reads the file. */
function where(path: readonly PropertyKey[]): { key: string; values: Record<string, number> } {
  const [province, wards, commune] = path;
  if (typeof province !== "number") return { key: "units.import.atFile", values: {} };
  if (wards === "wards" && typeof commune === "number")
    return { key: "units.import.atCommune", values: { province: province + 1, commune: commune + 1 } };
  return { key: "units.import.atProvince", values: { province: province + 1 } };
}

function plan(data: unknown): OfficialUnit[] {
  const parsed = officialList.safeParse(data);
  if (!parsed.success) {
    throw new UnitImportError(
      parsed.error.issues.slice(0, 20).map((issue) => {
        const field = issue.path.at(-1);
        if (issue.path.length === 0 || typeof field !== "string") return { key: "units.import.notList", values: {} };
        const at = where(issue.path);
        return { key: "units.import.badField", values: { at: at.key, ...at.values, field } };
      }),
    );
  }
  const units: OfficialUnit[] = [];
  const seen = new Set<string>();
  const problems: UnitImportProblem[] = [];
  const add = (u: OfficialUnit, path: number[]) => {
    const at = where(path.length === 1 ? path : [path[0], "wards", path[1]]);
    if (seen.has(u.code)) problems.push({ key: "units.import.duplicate", values: { at: at.key, ...at.values, code: u.code } });
    seen.add(u.code);
    units.push(u);
  };
  parsed.data.forEach((p, i) => {
    add({ code: p.code, kind: "province", unitType: p.unitType, nameVi: p.fullName, nameEn: p.nameEn, parentCode: null }, [i]);
    p.wards.forEach((w, j) =>
      add(
        { code: w.code, kind: "commune", unitType: w.unitType, nameVi: w.fullName, nameEn: w.nameEn, parentCode: p.code },
        [i, j],
      ),
    );
  });
  if (problems.length) throw new UnitImportError(problems.slice(0, 20));
  return units;
}

/**
 * Imports the official list: creates missing units, updates renamed or moved ones and leaves
 * the rest untouched, all in one transaction. Running it twice changes nothing.
 */
export async function importOfficialUnits(data: unknown): Promise<UnitImportSummary> {
  const planned = plan(data);
  const existing = new Map((await existingUnits(planned.map((u) => u.code))).map((u) => [u.code, u]));
  const summary: UnitImportSummary = {
    provinces: planned.filter((u) => u.kind === "province").length,
    communes: planned.filter((u) => u.kind === "commune").length,
    created: 0,
    updated: 0,
    unchanged: 0,
  };
  const toCreate: OfficialUnit[] = [];
  const toUpdate: (OfficialUnit & { oldPath: string })[] = [];
  for (const u of planned) {
    const old = existing.get(u.code);
    const path = childPath(u.parentCode ? `/${u.parentCode}/` : null, u.code);
    if (!old) toCreate.push(u);
    else if (old.nameVi !== u.nameVi || old.nameEn !== u.nameEn || old.unitType !== u.unitType || old.path !== path)
      toUpdate.push({ ...u, oldPath: old.path });
    else summary.unchanged++;
  }
  summary.created = toCreate.length;
  summary.updated = toUpdate.length;
  if (!toCreate.length && !toUpdate.length) return summary;

  await writeOfficialUnits(toCreate, toUpdate);
  await audit({ action: "unit.import", ip: "cli", detail: { ...summary } });
  return summary;
}
