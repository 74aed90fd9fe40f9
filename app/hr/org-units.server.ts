import type { TFunction } from "~/utils/i18n";
import { z } from "zod";
import { audit } from "~/platform/audit.server";
import { db, type Tx } from "~/platform/db.server";

import { subtreeOf, UNIT_CODE, type UnitKind } from "~/utils/org-units";

export function childPath(parentPath: string | null, code: string): string {
  return `${parentPath ?? "/"}${code}/`;
}

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

type Planned = {
  code: string;
  kind: UnitKind;
  unitType: string;
  nameVi: string;
  nameEn: string;
  parentCode: string | null;
};

/** "Province no. 3" or "province no. 3, commune no. 12", counted from 1 as a person reads the file. */
function where(path: readonly PropertyKey[]): { key: string; values: Record<string, number> } {
  const [province, wards, commune] = path;
  if (typeof province !== "number") return { key: "units.import.atFile", values: {} };
  if (wards === "wards" && typeof commune === "number")
    return { key: "units.import.atCommune", values: { province: province + 1, commune: commune + 1 } };
  return { key: "units.import.atProvince", values: { province: province + 1 } };
}

function plan(data: unknown): Planned[] {
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
  const units: Planned[] = [];
  const seen = new Set<string>();
  const problems: UnitImportProblem[] = [];
  const add = (u: Planned, path: number[]) => {
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
  const existing = new Map(
    (
      await db.orgUnit.findMany({
        where: { code: { in: planned.map((u) => u.code) } },
        select: { code: true, kind: true, unitType: true, nameVi: true, nameEn: true, path: true },
      })
    ).map((u) => [u.code, u]),
  );
  const summary: UnitImportSummary = {
    provinces: planned.filter((u) => u.kind === "province").length,
    communes: planned.filter((u) => u.kind === "commune").length,
    created: 0,
    updated: 0,
    unchanged: 0,
  };
  const toCreate: Planned[] = [];
  const toUpdate: (Planned & { oldPath: string })[] = [];
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

  await db.$transaction(
    async (tx) => {
      for (const kind of ["province", "commune"] as const) {
        const batch = toCreate.filter((u) => u.kind === kind);
        if (!batch.length) continue;
        const parents = new Map(
          (
            await tx.orgUnit.findMany({
              where: { code: { in: [...new Set(batch.map((u) => u.parentCode).filter((c): c is string => !!c))] } },
              select: { id: true, code: true, path: true },
            })
          ).map((p) => [p.code, p]),
        );
        await tx.orgUnit.createMany({
          data: batch.map((u) => {
            const parent = u.parentCode ? parents.get(u.parentCode) : undefined;
            return {
              code: u.code,
              kind: u.kind,
              unitType: u.unitType,
              nameVi: u.nameVi,
              nameEn: u.nameEn,
              parentId: parent?.id ?? null,
              path: childPath(parent?.path ?? null, u.code),
              depth: parent ? 1 : 0,
            };
          }),
        });
      }
      for (const u of toUpdate) {
        const parent = u.parentCode
          ? await tx.orgUnit.findUniqueOrThrow({ where: { code: u.parentCode }, select: { id: true, path: true } })
          : null;
        const path = childPath(parent?.path ?? null, u.code);
        await tx.orgUnit.update({
          where: { code: u.code },
          data: { nameVi: u.nameVi, nameEn: u.nameEn, unitType: u.unitType, parentId: parent?.id ?? null, path },
        });
        if (path !== u.oldPath) await movePaths(tx, u.oldPath, path);
      }
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  await audit({ action: "unit.import", ip: "cli", detail: { ...summary } });
  return summary;
}


/** Rewrites the paths of every descendant after a unit moved. */
async function movePaths(tx: Tx, oldPath: string, newPath: string): Promise<void> {
  const descendants = await tx.orgUnit.findMany({
    where: { path: subtreeOf(oldPath), NOT: { path: oldPath } },
    select: { id: true, path: true },
  });
  const depthShift = newPath.split("/").length - oldPath.split("/").length;
  for (const d of descendants) {
    await tx.orgUnit.update({
      where: { id: d.id },
      data: { path: newPath + d.path.slice(oldPath.length), depth: { increment: depthShift } },
    });
  }
}

export const unitSummarySelect = {
  id: true,
  code: true,
  kind: true,
  unitType: true,
  nameVi: true,
  nameEn: true,
  path: true,
  depth: true,
  approvedHeadcount: true,
  parentId: true,
  active: true,
} as const;

export async function findUnitByCode(code: string) {
  return db.orgUnit.findUnique({ where: { code }, select: unitSummarySelect });
}

export async function findUnitById(id: number) {
  return db.orgUnit.findUnique({ where: { id }, select: unitSummarySelect });
}

/** Direct children of a unit with how many units and staff sit under each. */
export async function childrenWithCounts(parentId: number | null) {
  const children = await db.orgUnit.findMany({
    where: { parentId },
    select: { ...unitSummarySelect, _count: { select: { children: true, users: true } } },
    orderBy: [{ kind: "desc" }, { code: "asc" }],
  });
  return children;
}

export type UnitInput = {
  code: string;
  kind: UnitKind;
  unitType: string;
  nameVi: string;
  nameEn: string;
  approvedHeadcount: number;
};

export async function createUnit(parent: { id: number; path: string; depth: number }, input: UnitInput) {
  return db.orgUnit.create({
    data: {
      ...input,
      parentId: parent.id,
      path: childPath(parent.path, input.code),
      depth: parent.depth + 1,
    },
    select: unitSummarySelect,
  });
}

export async function updateUnit(id: number, input: Omit<UnitInput, "code" | "kind">) {
  return db.orgUnit.update({ where: { id }, data: input, select: unitSummarySelect });
}

export async function ancestorsOf(path: string) {
  const codes = path.split("/").filter(Boolean).slice(0, -1);
  if (!codes.length) return [];
  const units = await db.orgUnit.findMany({ where: { code: { in: codes } }, select: unitSummarySelect });
  return codes.map((c) => units.find((u) => u.code === c)).filter((u) => !!u);
}
