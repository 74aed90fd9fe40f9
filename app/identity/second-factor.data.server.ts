// Second factors as stored: the authenticator app's secret, recovery codes (hashes only),
// passkeys, and the short-lived challenges of a sign-in waiting for its second step.
import { db } from "~/platform/db.server";

// ---------------------------------------------------------------------------------------
// What a person has set up

export async function findFactors(userId: number) {
  const [totp, passkeys, recoveryLeft] = await Promise.all([
    db.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } }),
    db.passkey.findMany({ where: { userId }, select: { id: true, name: true, createdAt: true, lastUsedAt: true }, orderBy: { id: "asc" } }),
    db.recoveryCode.count({ where: { userId, usedAt: null } }),
  ]);
  return { totp: totp?.confirmedAt ? { since: totp.confirmedAt } : null, passkeys, recoveryLeft };
}

export async function hasConfirmedFactor(userId: number): Promise<boolean> {
  const [totp, passkeys] = await Promise.all([
    db.totpFactor.count({ where: { userId, confirmedAt: { not: null } } }),
    db.passkey.count({ where: { userId } }),
  ]);
  return totp + passkeys > 0;
}

// ---------------------------------------------------------------------------------------
// Authenticator app (TOTP)

/** Starts (or restarts) setting up an app: a new secret, not yet confirmed. A confirmed one is kept. */
export async function savePendingTotp(userId: number, secret: string): Promise<boolean> {
  const existing = await db.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true } });
  if (existing?.confirmedAt) return false;
  await db.totpFactor.upsert({ where: { userId }, create: { userId, secret }, update: { secret, lastStep: 0 } });
  return true;
}

export async function findTotp(userId: number) {
  return db.totpFactor.findUnique({ where: { userId }, select: { secret: true, confirmedAt: true, lastStep: true } });
}

/**
 * Accepts the code of time step `step` once: of two requests carrying the same code, only one
 * moves lastStep past it. Returns whether this one did.
 */
export async function acceptTotpStep(userId: number, step: number): Promise<boolean> {
  const { count } = await db.totpFactor.updateMany({ where: { userId, lastStep: { lt: step } }, data: { lastStep: step } });
  return count === 1;
}

export async function confirmTotp(userId: number, at: Date): Promise<void> {
  await db.totpFactor.update({ where: { userId }, data: { confirmedAt: at } });
}

export async function deleteTotp(userId: number): Promise<void> {
  await db.totpFactor.deleteMany({ where: { userId } });
}

// ---------------------------------------------------------------------------------------
// Recovery codes

export async function replaceRecoveryCodes(userId: number, hashes: string[]): Promise<void> {
  await db.$transaction([db.recoveryCode.deleteMany({ where: { userId } }), db.recoveryCode.createMany({ data: hashes.map((codeHash) => ({ userId, codeHash })) })]);
}

/** Uses one recovery code, once: two requests with the same code cannot both succeed. */
export async function spendRecoveryCode(userId: number, codeHash: string, at: Date): Promise<boolean> {
  const { count } = await db.recoveryCode.updateMany({ where: { userId, codeHash, usedAt: null }, data: { usedAt: at } });
  return count === 1;
}

export async function deleteRecoveryCodes(userId: number): Promise<void> {
  await db.recoveryCode.deleteMany({ where: { userId } });
}

// ---------------------------------------------------------------------------------------
// Passkeys

export async function listPasskeyCredentials(userId: number) {
  return db.passkey.findMany({ where: { userId }, select: { id: true, credentialId: true, publicKey: true, counter: true, transports: true } });
}

export async function insertPasskey(input: { userId: number; credentialId: string; publicKey: string; counter: number; transports: string; name: string }) {
  return db.passkey.create({ data: input, select: { id: true } });
}

export async function findPasskeyByCredential(credentialId: string) {
  return db.passkey.findUnique({ where: { credentialId }, select: { id: true, userId: true, credentialId: true, publicKey: true, counter: true, transports: true } });
}

export async function recordPasskeyUse(id: number, counter: number, at: Date): Promise<void> {
  await db.passkey.update({ where: { id }, data: { counter, lastUsedAt: at } });
}

/** Removes one of the person's passkeys; false when it is not theirs (or already gone). */
export async function deletePasskey(userId: number, id: number): Promise<boolean> {
  const { count } = await db.passkey.deleteMany({ where: { id, userId } });
  return count === 1;
}

/** Everything second-factor a person has (an administrator's reset after a lost phone). */
export async function deleteAllFactors(userId: number): Promise<void> {
  await db.$transaction([
    db.totpFactor.deleteMany({ where: { userId } }),
    db.recoveryCode.deleteMany({ where: { userId } }),
    db.passkey.deleteMany({ where: { userId } }),
    db.authChallenge.deleteMany({ where: { userId } }),
  ]);
}

// ---------------------------------------------------------------------------------------
// Challenges: a sign-in waiting for its second step, or a passkey being registered

export type ChallengePurpose = "sign-in" | "passkey-setup";

export async function insertChallenge(input: { userId: number; purpose: ChallengePurpose; tokenHash: string; remember: boolean; expiresAt: Date; challenge?: string }) {
  await db.authChallenge.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  await db.authChallenge.create({ data: input });
}

export async function findChallenge(tokenHash: string, purpose: ChallengePurpose, now: Date) {
  return db.authChallenge.findFirst({
    where: { tokenHash, purpose, expiresAt: { gt: now } },
    select: { id: true, userId: true, remember: true, challenge: true, user: { select: { email: true, fullName: true, active: true, lockedAt: true, orgUnitId: true } } },
  });
}

export async function setChallengeValue(id: number, challenge: string): Promise<void> {
  await db.authChallenge.updateMany({ where: { id }, data: { challenge } });
}

/** Ends a challenge once: of two requests finishing the same sign-in, only one gets true. */
export async function consumeChallenge(id: number): Promise<boolean> {
  const { count } = await db.authChallenge.deleteMany({ where: { id } });
  return count === 1;
}

// ---------------------------------------------------------------------------------------
// Sessions

export async function markSessionSecondFactor(sessionId: string, method: string): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId }, data: { secondFactor: method } });
}

export async function sessionSecondFactor(sessionId: string): Promise<string | null> {
  const row = await db.session.findUnique({ where: { id: sessionId }, select: { secondFactor: true } });
  return row?.secondFactor ?? null;
}
