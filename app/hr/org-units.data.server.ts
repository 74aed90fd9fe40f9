// Org units: reads and writes of the tree. A unit's path lists the codes from its province down,
// so a subtree is one prefix match.
import { db, type Tx } from "~/platform/db.server";
import { subtreeOf, type UnitKind } from "~/utils/org-units";

export function childPath(parentPath: string | null, code: string): string {
  return `${parentPath ?? "/"}${code}/`;
}

const unitSummarySelect = {
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

// ---------------------------------------------------------------------------------------------
// The official list's import (org-units.server.ts plans it)

/** A province or commune of the official list, with the code of its province for a commune. */
export type OfficialUnit = { code: string; kind: UnitKind; unitType: string; nameVi: string; nameEn: string; parentCode: string | null };

/** The units of the list that exist already, as they are now. */
export async function existingUnits(codes: string[]) {
  return db.orgUnit.findMany({
    where: { code: { in: codes } },
    select: { code: true, kind: true, unitType: true, nameVi: true, nameEn: true, path: true },
  });
}

/**
 * Creates the new units (provinces first, so communes find their parent) and updates the changed
 * ones, moving their descendants along when their path changed: in one transaction.
 */
export async function writeOfficialUnits(toCreate: OfficialUnit[], toUpdate: (OfficialUnit & { oldPath: string })[]): Promise<void> {
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
