import { db, readRows } from "~/platform/db.server";
import type { Lang } from "~/utils/i18n";
import type { UnitFilter } from "~/utils/org-units";
import type { Role } from "~/utils/roles";

/**
 * What sign-in needs to know about an account, by its (lower-case) email. Hand-written, like the
 * session read: a training session's start brings thousands of sign-ins.
 */
export async function findSignInUser(email: string) {
  const [row] = await readRows<{ id: number | bigint; passwordHash: string | null; active: boolean | number | bigint; locked: number | bigint; orgUnitId: number | bigint }>`
    SELECT "id", "passwordHash", "active", CASE WHEN "lockedAt" IS NULL THEN 0 ELSE 1 END AS "locked", "orgUnitId" FROM "User" WHERE "email" = ${email}`;
  return row
    ? { id: Number(row.id), passwordHash: row.passwordHash, active: Boolean(Number(row.active)), locked: Number(row.locked) === 1, orgUnitId: Number(row.orgUnitId) }
    : null;
}

export async function getPasswordHash(userId: number): Promise<string | null> {
  const row = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } });
  return row.passwordHash;
}

export async function setPasswordHash(userId: number, passwordHash: string): Promise<void> {
  await db.user.update({ where: { id: userId }, data: { passwordHash } });
}

export async function rememberLanguage(userId: number, lang: Lang) {
  await db.user.update({ where: { id: userId }, data: { locale: lang } });
}

export async function getProfile(userId: number) {
  return db.user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      fullName: true,
      email: true,
      employeeCode: true,
      position: true,
      orgUnit: { select: { code: true, nameVi: true, nameEn: true } },
      roles: { select: { role: true, orgUnit: { select: { code: true, nameVi: true, nameEn: true } } } },
    },
  });
}

const PAGE_SIZE = 50;

export async function listUsers(scope: UnitFilter, query: string) {
  const q = query.trim();
  const where = {
    orgUnit: scope,
    ...(q
      ? {
          OR: [
            { fullName: { contains: q } },
            { email: { contains: q.toLowerCase() } },
            { employeeCode: { contains: q } },
          ],
        }
      : {}),
  };
  const [users, total] = await Promise.all([
    db.user.findMany({
      where,
      select: {
        id: true,
        fullName: true,
        email: true,
        position: true,
        active: true,
        orgUnit: { select: { code: true, nameVi: true, nameEn: true } },
      },
      orderBy: { fullName: "asc" },
      take: PAGE_SIZE,
    }),
    db.user.count({ where }),
  ]);
  return { users, total };
}

/** A user only when their unit lies in `scope`; otherwise null (the caller answers 404). */
export async function getUserInScope(scope: UnitFilter, id: number) {
  return db.user.findFirst({
    where: { id, orgUnit: scope },
    select: {
      id: true,
      fullName: true,
      email: true,
      employeeCode: true,
      position: true,
      active: true,
      erasedAt: true,
      orgUnit: { select: { id: true, code: true, nameVi: true, nameEn: true, path: true } },
      roles: {
        select: { id: true, role: true, orgUnit: { select: { id: true, code: true, nameVi: true, nameEn: true, path: true } } },
        orderBy: { id: "asc" },
      },
      _count: { select: { sessions: true } },
    },
  });
}

export async function emailInUse(email: string, exceptId?: number) {
  const found = await db.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true } });
  return !!found && found.id !== exceptId;
}

export async function createUser(input: {
  email: string;
  fullName: string;
  position: string;
  orgUnitId: number;
  passwordHash: string;
}) {
  return db.user.create({ data: { ...input, email: input.email.toLowerCase() }, select: { id: true } });
}

export async function updateUser(
  id: number,
  input: { fullName: string; email: string; position: string; orgUnitId: number; active: boolean },
) {
  await db.user.update({ where: { id }, data: { ...input, email: input.email.toLowerCase() } });
}

export async function grantRole(userId: number, role: Role, orgUnitId: number, grantedById: number) {
  const existing = await db.roleAssignment.findUnique({
    where: { userId_role_orgUnitId: { userId, role, orgUnitId } },
    select: { id: true },
  });
  if (existing) return false;
  await db.roleAssignment.create({ data: { userId, role, orgUnitId, grantedById } });
  return true;
}

export async function getRoleAssignment(id: number, userId: number) {
  return db.roleAssignment.findFirst({
    where: { id, userId },
    select: { id: true, role: true, orgUnit: { select: { id: true, path: true } } },
  });
}

export async function revokeRole(id: number) {
  await db.roleAssignment.delete({ where: { id } });
}

/** The roster entry a single sign-on claim names: by lower-case e-mail, or by employee code. */
export async function findSsoCandidate(match: "email" | "employee_code", value: string) {
  const user = await db.user.findUnique({
    where: match === "email" ? { email: value } : { employeeCode: value },
    select: { id: true, orgUnitId: true, active: true, lockedAt: true },
  });
  return user ? { id: user.id, orgUnitId: user.orgUnitId, active: user.active, locked: user.lockedAt !== null } : null;
}

/** The first sign-in of an account (a password set, or a single sign-on) activates it. */
export async function markActivated(userId: number, at = new Date()): Promise<void> {
  await db.user.updateMany({ where: { id: userId, activatedAt: null }, data: { activatedAt: at } });
}

/** An account with the units of its roles, for deciding who may act on it. */
export async function accountWithRoles(userId: number) {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      fullName: true,
      locale: true,
      active: true,
      activatedAt: true,
      lockedAt: true,
      orgUnit: { select: { id: true, path: true } },
      roles: { select: { role: true, orgUnit: { select: { path: true } } } },
    },
  });
  return user ? { ...user, roles: user.roles.map((r) => ({ role: r.role as Role, path: r.orgUnit.path })) } : null;
}

/** Locks or unlocks an account; locking ends every session of it at once. */
export async function setAccountLock(userId: number, lockedAt: Date | null): Promise<void> {
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { lockedAt } }),
    ...(lockedAt ? [db.session.deleteMany({ where: { userId } })] : []),
  ]);
}

/**
 * A new administrator of a unit: the account and its role in one transaction. Null when the
 * address already has an account (never replaced silently).
 */
export async function createAdministrator(input: { email: string; fullName: string; orgUnitId: number; passwordHash: string | null }, now = new Date()) {
  try {
    return await db.user.create({
      data: {
        email: input.email,
        fullName: input.fullName,
        orgUnitId: input.orgUnitId,
        passwordHash: input.passwordHash,
        activatedAt: input.passwordHash ? now : null,
        roles: { create: { role: "admin", orgUnitId: input.orgUnitId } },
      },
      select: { id: true },
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") return null;
    throw error;
  }
}

export function accountExists(email: string) {
  return db.user.count({ where: { email } }).then((n) => n > 0);
}
