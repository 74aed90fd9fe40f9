// Roster import: the reads a plan needs, in chunks of 500 values per query, and the one
// transaction that applies it.
import { enrolInAssignments } from "~/hr/assignments.data.server";
import type { ImportPlan } from "~/hr/staff-import.server";
import { db } from "~/platform/db.server";

async function inChunks<T, R>(items: T[], size: number, run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await run(items.slice(i, i + size))));
  return out;
}

export async function unitsByCode(codes: string[]) {
  return inChunks(codes, 500, (chunk) => db.orgUnit.findMany({ where: { code: { in: chunk } }, select: { id: true, code: true, path: true } }));
}

const staffSelect = {
  id: true,
  employeeCode: true,
  email: true,
  fullName: true,
  position: true,
  nationalId: true,
  birthDate: true,
  active: true,
  orgUnitId: true,
  orgUnit: { select: { path: true } },
  roles: { select: { role: true, orgUnit: { select: { path: true } } } },
} as const;

export async function staffByEmployeeCode(codes: string[]) {
  return inChunks(codes, 500, (chunk) => db.user.findMany({ where: { employeeCode: { in: chunk } }, select: staffSelect }));
}

export async function staffByEmail(emails: string[]) {
  return inChunks(emails, 500, (chunk) => db.user.findMany({ where: { email: { in: chunk } }, select: staffSelect }));
}

/** Active staff with an employee code in the given units. */
export async function rosterOfUnits(unitIds: number[]) {
  return db.user.findMany({
    where: { orgUnitId: { in: unitIds }, active: true, employeeCode: { not: null } },
    select: { id: true, employeeCode: true, fullName: true, roles: { select: { role: true, orgUnit: { select: { path: true } } } } },
  });
}

/**
 * Writes a plan in one transaction: the staff changes and the enrolments in matching assignments
 * together, so a failure anywhere leaves nothing behind. `advance` hears how many people each
 * step handled.
 */
export async function writeRoster(plan: ImportPlan, advance: (handled: number) => void): Promise<void> {
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < plan.create.length; i += 500) {
        const chunk = plan.create.slice(i, i + 500);
        const created = await tx.user.createManyAndReturn({
          data: chunk.map((s) => ({
            employeeCode: s.employeeCode,
            fullName: s.fullName,
            email: s.email,
            orgUnitId: s.unitId,
            position: s.position,
            nationalId: s.nationalId,
            birthDate: s.birthDate,
            active: s.active,
          })),
          select: { id: true },
        });
        await enrolInAssignments(created.map((u) => u.id), tx);
        advance(chunk.length);
      }
      for (let i = 0; i < plan.update.length; i += 500) {
        const chunk = plan.update.slice(i, i + 500);
        for (const s of chunk) {
          await tx.user.update({
            where: { id: s.id },
            data: { fullName: s.fullName, email: s.email, orgUnitId: s.unitId, position: s.position, ...(s.nationalId ? { nationalId: s.nationalId } : {}), ...(s.birthDate ? { birthDate: s.birthDate } : {}), active: s.active },
          });
        }
        // Someone who moved or changed position may now fall under another assignment.
        await enrolInAssignments(chunk.map((s) => s.id), tx);
        advance(chunk.length);
      }
      if (plan.deactivate.length) {
        await tx.user.updateMany({ where: { id: { in: plan.deactivate.map((d) => d.id) } }, data: { active: false } });
        await tx.session.deleteMany({ where: { userId: { in: plan.deactivate.map((d) => d.id) } } });
        advance(plan.deactivate.length);
      }
    },
    { timeout: 300_000, maxWait: 30_000 },
  );
}
