// Session rows: the storage behind sign-in (auth.server.ts is the only caller).
import { db, readRows, writeRows } from "~/platform/db.server";

/** The user a session belongs to, with the unit paths their roles cover. */
export type SessionUserRow = {
  id: number;
  email: string;
  fullName: string;
  orgUnitId: number;
  active: boolean;
  locale: string | null;
  secondFactorExempt: boolean;
  /** How this session's sign-in was confirmed beyond the password (Session.secondFactor). */
  secondFactor: string | null;
  orgUnit: { path: string };
  roles: { role: string; orgUnitId: number; orgUnit: { path: string; code: string; nameVi: string } }[];
};

export type StoredSession = { id: string; userId: number; expiresAt: Date; secondFactor?: string | null };

type SessionRow = {
  id: string;
  userId: number;
  expiresAt: Date;
  createdAt: Date;
  lastSeenAt: Date | string | number | null;
  secondFactor: string | null;
  email: string;
  secondFactorExempt: boolean | number | bigint;
  fullName: string;
  orgUnitId: number;
  active: boolean;
  locale: string | null;
  unitPath: string;
  role: string | null;
  roleUnitId: number | null;
  rolePath: string | null;
  roleCode: string | null;
  roleUnitName: string | null;
};

/**
 * The session with its user and the user's roles. Every page asks for it, so it is one
 * hand-written statement driven by the session's primary key (one row per role) rather than a
 * nested ORM query of several statements.
 */
export async function findSessionWithUser(sessionId: string): Promise<{ session: StoredSession & { createdAt: Date; lastSeenAt: Date | null }; user: SessionUserRow } | null> {
  const rows = await readRows<SessionRow>`
      SELECT s."id", s."userId", s."expiresAt", s."createdAt", s."lastSeenAt", s."secondFactor", u."email", u."fullName", u."orgUnitId", u."active", u."locale", u."secondFactorExempt",
        o."path" AS "unitPath", r."role", r."orgUnitId" AS "roleUnitId", ro."path" AS "rolePath",
        ro."code" AS "roleCode", ro."nameVi" AS "roleUnitName"
      FROM "Session" s
      JOIN "User" u ON u."id" = s."userId"
      JOIN "OrgUnit" o ON o."id" = u."orgUnitId"
      LEFT JOIN "RoleAssignment" r ON r."userId" = u."id"
      LEFT JOIN "OrgUnit" ro ON ro."id" = r."orgUnitId"
      WHERE s."id" = ${sessionId}
      ORDER BY r."id"`;
  const row = rows[0];
  if (!row) return null;
  const user: SessionUserRow = {
    id: Number(row.userId),
    email: row.email,
    fullName: row.fullName,
    orgUnitId: Number(row.orgUnitId),
    active: Boolean(row.active),
    locale: row.locale,
    secondFactorExempt: Boolean(Number(row.secondFactorExempt)),
    secondFactor: row.secondFactor,
    orgUnit: { path: row.unitPath },
    roles: rows
      .filter((r) => r.role !== null)
      .map((r) => ({ role: r.role!, orgUnitId: Number(r.roleUnitId), orgUnit: { path: r.rolePath!, code: r.roleCode!, nameVi: r.roleUnitName! } })),
  };
  const session = {
    id: row.id,
    userId: Number(row.userId),
    expiresAt: new Date(row.expiresAt),
    createdAt: new Date(row.createdAt),
    lastSeenAt: row.lastSeenAt === null ? null : new Date(row.lastSeenAt),
  };
  return { session, user };
}

/** When the session began (sign-in, /reauth or a password change), or null when it is gone. */
export async function findSessionStart(sessionId: string) {
  return db.session.findUnique({ where: { id: sessionId }, select: { userId: true, createdAt: true } });
}

export async function listUserSessions(userId: number): Promise<StoredSession[]> {
  return db.session.findMany({ where: { userId } });
}

export async function insertSession(session: StoredSession): Promise<void> {
  await writeRows`
      INSERT INTO "Session" ("id", "userId", "expiresAt", "createdAt", "lastSeenAt", "secondFactor")
      VALUES (${session.id}, ${session.userId}, ${session.expiresAt}, ${new Date()}, ${new Date()}, ${session.secondFactor ?? null})`;
}

/** Records that a session was just used (HR officers' and administrators' sessions only). */
export async function touchSession(sessionId: string, at: Date): Promise<void> {
  await writeRows`UPDATE "Session" SET "lastSeenAt" = ${at} WHERE "id" = ${sessionId}`;
}

export async function updateSessionExpiry(sessionId: string, expiresAt: Date): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId }, data: { expiresAt } });
}

export async function deleteSession(sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}

export async function deleteUserSessions(userId: number): Promise<void> {
  await db.session.deleteMany({ where: { userId } });
}

export async function deleteExpiredSessions(): Promise<void> {
  await db.session.deleteMany({ where: { expiresAt: { lte: new Date() } } });
}
