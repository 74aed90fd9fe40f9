// Activation and password-reset secrets (only their hashes) and the accounts they open.
import { nextTurn } from "~/platform/concurrency.server";
import { db } from "~/platform/db.server";
import type { UnitFilter } from "~/utils/org-units";

export type TokenPurpose = "activation" | "reset";
export type TokenChannel = "mail" | "letter";
export type NewToken = { userId: number; tokenHash: string; expiresAt: Date };

/**
 * Stores new secrets for these people. Their earlier unused secrets of the same purpose stop
 * working: a new letter or mail replaces the one before it.
 */
// Chunks of 500: Prisma refuses a query with more parameters than the database allows (999 on SQLite).
export async function replaceTokens(purpose: TokenPurpose, channel: TokenChannel, tokens: NewToken[], createdById: number | null, now = new Date()) {
  for (let i = 0; i < tokens.length; i += 500) {
    if (i) await nextTurn();
    const chunk = tokens.slice(i, i + 500);
    await db.$transaction([
      db.accountToken.updateMany({
        where: { userId: { in: chunk.map((t) => t.userId) }, purpose, usedAt: null },
        data: { usedAt: now },
      }),
      db.accountToken.createMany({ data: chunk.map((t) => ({ ...t, purpose, channel, createdById, createdAt: now })) }),
    ]);
  }
}

/** A secret that can still be used: not used, not expired, its account active and not locked. */
export async function findUsableToken(tokenHash: string, now = new Date()) {
  const token = await db.accountToken.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      purpose: true,
      usedAt: true,
      expiresAt: true,
      user: { select: { id: true, email: true, fullName: true, orgUnitId: true, active: true, lockedAt: true, locale: true } },
    },
  });
  if (!token || token.usedAt || token.expiresAt <= now || !token.user.active || token.user.lockedAt) return null;
  return { id: token.id, purpose: token.purpose as TokenPurpose, user: token.user };
}

/**
 * Uses a secret exactly once and sets the password with it, in one transaction: of two requests
 * with the same secret, one changes the password and the other finds it used. Every other
 * secret of the account stops working and every session of the account ends.
 */
export async function redeemToken(tokenId: number, userId: number, passwordHash: string, now = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const claimed = await tx.accountToken.updateMany({ where: { id: tokenId, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
    if (claimed.count !== 1) return false;
    await tx.accountToken.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { activatedAt: true } });
    await tx.user.update({ where: { id: userId }, data: { passwordHash, activatedAt: user.activatedAt ?? now } });
    await tx.session.deleteMany({ where: { userId } });
    return true;
  });
}

const notYetActivatedWhere = (scope: UnitFilter, userIds: number[] | null) => ({
  orgUnit: scope,
  active: true,
  lockedAt: null,
  activatedAt: null,
  ...(userIds ? { id: { in: userIds } } : {}),
});

/** People of a unit subtree (or a selection of them) who have never activated their account, for letters. */
export async function notYetActivated(scope: UnitFilter, userIds: number[] | null) {
  return db.user.findMany({
    where: notYetActivatedWhere(scope, userIds),
    select: { id: true, email: true, fullName: true, locale: true, position: true, orgUnit: { select: { code: true, nameVi: true, nameEn: true } } },
    orderBy: [{ orgUnitId: "asc" }, { fullName: "asc" }, { id: "asc" }],
  });
}

/**
 * The same people for mail, a page at a time in the order of their ids, so that a whole
 * province is read in short steps (between which other requests are served).
 */
export async function* notYetActivatedPages(scope: UnitFilter, userIds: number[] | null, pageSize: number) {
  let after = 0;
  for (;;) {
    const page = await db.user.findMany({
      where: { ...notYetActivatedWhere(scope, userIds), id: { gt: after, ...(userIds ? { in: userIds } : {}) } },
      select: { id: true, email: true, fullName: true, locale: true },
      orderBy: { id: "asc" },
      take: pageSize,
    });
    if (!page.length) return;
    yield page;
    after = page[page.length - 1].id;
  }
}

/** The account behind an address, for a password reset; null when there is none to reset. */
export async function resettableAccount(email: string) {
  const user = await db.user.findUnique({ where: { email }, select: { id: true, email: true, fullName: true, locale: true, orgUnitId: true, active: true, lockedAt: true } });
  return user && user.active && !user.lockedAt ? user : null;
}
