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
/** The units at the top of the tree (provinces, or ministries): the country's first level. */
export function topLevelUnits() {
  return db.orgUnit.findMany({ where: { parentId: null }, select: { id: true, path: true, code: true } });
}

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

// ---------------------------------------------------------------------------------------------
// Reorganisation: moving, merging and closing units (unit-changes.server.ts decides who may)

type UnitRef = { id: number; path: string; depth: number };

/** Moves a unit (with its subtree) under another parent, in one transaction. */
export async function moveUnitUnder(unit: UnitRef & { code: string }, parent: UnitRef): Promise<void> {
  const path = childPath(parent.path, unit.code);
  await db.$transaction(async (tx) => {
    await tx.orgUnit.update({ where: { id: unit.id }, data: { parentId: parent.id, path, depth: parent.depth + 1 } });
    await movePaths(tx, unit.path, path);
  });
}

/** How much still lives in a unit: active people, and active units under it. */
export async function unitActivity(unit: { id: number; path: string }) {
  const [people, units] = await Promise.all([
    db.user.count({ where: { orgUnitId: unit.id, active: true } }),
    db.orgUnit.count({ where: { path: subtreeOf(unit.path), NOT: { id: unit.id }, active: true } }),
  ]);
  return { people, units };
}

export async function setUnitActive(id: number, active: boolean): Promise<void> {
  await db.orgUnit.update({ where: { id }, data: { active } });
}

/**
 * Merges `source` into `survivor` after a reorganisation, in one transaction: its people, role
 * grants, mandatory assignments and certificates (for HR's scope; the printed unit name stays
 * as issued) go to the survivor, its sub-units move under the survivor, its approved headcount is
 * added to the survivor's, and the source is closed. Enrolments and attempts belong to people,
 * so they follow them; no figure is counted twice or lost.
 */
export async function mergeUnitInto(source: UnitRef & { approvedHeadcount: number }, survivor: UnitRef) {
  return db.$transaction(
    async (tx) => {
      const people = await tx.user.updateMany({ where: { orgUnitId: source.id }, data: { orgUnitId: survivor.id } });
      // A grant the person already holds over the survivor is not duplicated.
      const grants = await tx.roleAssignment.findMany({ where: { orgUnitId: source.id }, select: { id: true, userId: true, role: true } });
      for (const g of grants) {
        const held = await tx.roleAssignment.findUnique({ where: { userId_role_orgUnitId: { userId: g.userId, role: g.role, orgUnitId: survivor.id } }, select: { id: true } });
        if (held) await tx.roleAssignment.delete({ where: { id: g.id } });
        else await tx.roleAssignment.update({ where: { id: g.id }, data: { orgUnitId: survivor.id } });
      }
      const assignments = await tx.trainingAssignment.updateMany({ where: { orgUnitId: source.id }, data: { orgUnitId: survivor.id } });
      const certificates = await tx.certificate.updateMany({ where: { orgUnitId: source.id }, data: { orgUnitId: survivor.id } });
      // Its courses go with it, so the same trainers (now the survivor's) keep editing them.
      await tx.course.updateMany({ where: { unitId: source.id }, data: { unitId: survivor.id } });
      // Classes it organised, and its hours requirements unless the survivor has its own.
      await tx.trainingClass.updateMany({ where: { orgUnitId: source.id }, data: { orgUnitId: survivor.id } });
      const survivorRules = new Set((await tx.trainingHoursRule.findMany({ where: { orgUnitId: survivor.id }, select: { position: true } })).map((r) => r.position));
      for (const rule of await tx.trainingHoursRule.findMany({ where: { orgUnitId: source.id } })) {
        if (survivorRules.has(rule.position)) await tx.trainingHoursRule.delete({ where: { id: rule.id } });
        else await tx.trainingHoursRule.update({ where: { id: rule.id }, data: { orgUnitId: survivor.id } });
      }
      const children = await tx.orgUnit.findMany({ where: { parentId: source.id }, select: { id: true, code: true, path: true } });
      for (const child of children) {
        const path = childPath(survivor.path, child.code);
        await tx.orgUnit.update({ where: { id: child.id }, data: { parentId: survivor.id, path, depth: survivor.depth + 1 } });
        await movePaths(tx, child.path, path);
      }
      await tx.orgUnit.update({ where: { id: survivor.id }, data: { approvedHeadcount: { increment: source.approvedHeadcount } } });
      await tx.orgUnit.update({ where: { id: source.id }, data: { active: false, approvedHeadcount: 0 } });
      return { people: people.count, grants: grants.length, assignments: assignments.count, certificates: certificates.count, units: children.length };
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

// ---------------------------------------------------------------------------------------------
// Departments and approved headcounts in bulk (department-import.server.ts plans it)

export type DepartmentWrite = { code: string; nameVi: string; nameEn: string; unitType: string; approvedHeadcount: number; parentCode: string };

/** Units of a department file as they are now. */
export function unitsForDepartments(codes: string[]) {
  return db.orgUnit.findMany({ where: { code: { in: codes } }, select: { ...unitSummarySelect, parent: { select: { code: true } } } });
}

/**
 * Writes a checked department file in one transaction: new agencies (parents before children),
 * then changes to existing ones (moves included), then headcounts of official units.
 */
export async function writeDepartments(creates: DepartmentWrite[], updates: (DepartmentWrite & { id: number; oldPath: string; official: boolean })[]) {
  await db.$transaction(
    async (tx) => {
      const pending = [...creates];
      while (pending.length) {
        const parents = new Map(
          (await tx.orgUnit.findMany({ where: { code: { in: pending.map((d) => d.parentCode) } }, select: { id: true, code: true, path: true, depth: true } })).map((p) => [p.code, p]),
        );
        const ready = pending.filter((d) => parents.has(d.parentCode));
        if (!ready.length) throw new Error("department file: a parent is neither in the database nor in the file");
        for (const d of ready) {
          const parent = parents.get(d.parentCode)!;
          await tx.orgUnit.create({
            data: { code: d.code, kind: "agency", unitType: d.unitType, nameVi: d.nameVi, nameEn: d.nameEn, approvedHeadcount: d.approvedHeadcount, parentId: parent.id, path: childPath(parent.path, d.code), depth: parent.depth + 1 },
          });
          pending.splice(pending.indexOf(d), 1);
        }
      }
      for (const d of updates) {
        if (d.official) {
          await tx.orgUnit.update({ where: { id: d.id }, data: { approvedHeadcount: d.approvedHeadcount } });
          continue;
        }
        const parent = await tx.orgUnit.findUniqueOrThrow({ where: { code: d.parentCode }, select: { id: true, path: true, depth: true } });
        const path = childPath(parent.path, d.code);
        await tx.orgUnit.update({
          where: { id: d.id },
          data: { nameVi: d.nameVi, nameEn: d.nameEn, unitType: d.unitType, approvedHeadcount: d.approvedHeadcount, parentId: parent.id, path, depth: parent.depth + 1 },
        });
        if (path !== d.oldPath) await movePaths(tx, d.oldPath, path);
      }
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
