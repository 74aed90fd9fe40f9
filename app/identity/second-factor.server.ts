// The second factor: an authenticator app (TOTP, RFC 6238, through the otpauth library) with
// one-time recovery codes, and passkeys (passkeys.server.ts). Setting one up, confirming a
// sign-in with it, and taking it away again (which needs the password typed again).
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import { newLetterCode, normaliseLetterCode, secretHash } from "~/identity/account-secrets.server";
import { endAllSessions, startSession, type SessionUser } from "~/identity/auth.server";
import {
  acceptTotpStep,
  confirmTotp,
  consumeChallenge,
  deleteAllFactors,
  deleteRecoveryCodes,
  deleteTotp,
  findFactors,
  findTotp,
  hasConfirmedFactor,
  markSessionSecondFactor,
  replaceRecoveryCodes,
  savePendingTotp,
  spendRecoveryCode,
} from "~/identity/second-factor.data.server";
import { clearSecondStepCookie, type pendingSecondStep } from "~/identity/sign-in-challenge.server";
import { audit } from "~/platform/audit.server";
import { env } from "~/platform/env.server";
import { limits, recordFailure, resetLimit } from "~/platform/rate-limit.server";

// ASCII, because some authenticator apps still garble accented names.
const ISSUER = "Ky Nang So";
const PERIOD = 30;
/** A code from the step before or after counts too: phones' clocks drift. */
const WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;

export type PendingSignIn = NonNullable<Awaited<ReturnType<typeof pendingSecondStep>>>;

function totpFor(email: string, base32: string): TOTP {
  return new TOTP({ issuer: ISSUER, label: email, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(base32) });
}

/** What /me/security shows: which factors are set up and how many recovery codes are left. */
export async function securityOverview(user: SessionUser) {
  // The session already knows the exemption and the roles: the same rule as mustSetUpSecondFactor.
  const required = env.SECOND_FACTOR === "staff" && !user.secondFactorExempt && user.roles.some((r) => r.role === "hr" || r.role === "admin");
  return { ...(await findFactors(user.id)), required };
}

// ---------------------------------------------------------------------------------------
// Setting up the authenticator app

export type TotpSetup = { key: string; uri: string; qrSvg: string };

/** A new secret to scan, kept unconfirmed until the person types a code it produced. */
export async function startTotpSetup(user: SessionUser): Promise<TotpSetup | null> {
  const secret = new Secret({ size: 20 }).base32;
  if (!(await savePendingTotp(user.id, secret))) return null; // one is already set up
  return describeSetup(user.email, secret);
}

/** The pending secret again (the page was reloaded), or null when none is being set up. */
export async function pendingTotpSetup(user: SessionUser): Promise<TotpSetup | null> {
  const totp = await findTotp(user.id);
  return totp && !totp.confirmedAt ? describeSetup(user.email, totp.secret) : null;
}

async function describeSetup(email: string, secret: string): Promise<TotpSetup> {
  const uri = totpFor(email, secret).toString();
  const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { key: secret.replace(/(.{4})/g, "$1 ").trim(), uri, qrSvg };
}

export type ConfirmResult = { ok: true; recoveryCodes: string[] } | { ok: false; error: "wrongCode" | "noSetup" } | { ok: false; error: "throttled"; minutes: number };

/**
 * Confirms the app with a code it shows: the factor is on, the current session counts as
 * confirmed, and ten recovery codes are made, shown this once.
 */
export async function confirmTotpSetup(user: SessionUser, sessionId: string, code: string, ip: string): Promise<ConfirmResult> {
  const totp = await findTotp(user.id);
  if (!totp || totp.confirmedAt) return { ok: false, error: "noSetup" };
  const wait = await recordFailure(limits.secondFactor, String(user.id));
  if (wait > 0) return { ok: false, error: "throttled", minutes: Math.ceil(wait / 60) };
  if (!(await checkTotp(user.id, user.email, totp.secret, code))) {
    await audit({ action: "auth.totp_setup", outcome: "failed", actorId: user.id, orgUnitId: user.orgUnitId, ip });
    return { ok: false, error: "wrongCode" };
  }
  await resetLimit(limits.secondFactor, String(user.id));
  await confirmTotp(user.id, new Date());
  const recoveryCodes = await newRecoveryCodes(user.id);
  await markSessionSecondFactor(sessionId, "totp");
  await audit({ action: "auth.totp_setup", actorId: user.id, orgUnitId: user.orgUnitId, ip });
  return { ok: true, recoveryCodes };
}

/** Checks a six-digit code and accepts its time step once (a code seen by someone else is spent). */
async function checkTotp(userId: number, email: string, secret: string, input: string): Promise<boolean> {
  const code = input.replace(/\s/g, "");
  if (!/^\d{6}$/.test(code)) return false;
  const delta = totpFor(email, secret).validate({ token: code, window: WINDOW });
  if (delta === null) return false;
  const step = Math.floor(Date.now() / 1000 / PERIOD) + delta;
  return acceptTotpStep(userId, step);
}

async function newRecoveryCodes(userId: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newLetterCode);
  await replaceRecoveryCodes(userId, codes.map(secretHash));
  return codes;
}

/** New recovery codes (the old ones stop working); the caller has checked the password was just typed. */
export async function regenerateRecoveryCodes(user: SessionUser, ip: string): Promise<string[] | null> {
  if (!(await hasConfirmedFactor(user.id))) return null;
  const codes = await newRecoveryCodes(user.id);
  await audit({ action: "auth.recovery_codes", actorId: user.id, orgUnitId: user.orgUnitId, ip });
  return codes;
}

export type RemoveResult = { ok: true } | { ok: false; error: "lastRequired" };

/**
 * Turns the app off; the caller has checked the password was just typed. Someone who must have
 * a second factor keeps their last one.
 */
export async function removeTotp(user: SessionUser, ip: string): Promise<RemoveResult> {
  const { passkeys, required } = await securityOverview(user);
  if (required && passkeys.length === 0) return { ok: false, error: "lastRequired" };
  await deleteTotp(user.id);
  if (passkeys.length === 0) await deleteRecoveryCodes(user.id);
  await audit({ action: "auth.totp_remove", actorId: user.id, orgUnitId: user.orgUnitId, ip });
  return { ok: true };
}

/** Whether someone has set up a second factor, for an administrator's page about them. */
export async function hasSecondFactor(userId: number): Promise<boolean> {
  return hasConfirmedFactor(userId);
}

/**
 * An administrator's reset for someone who lost their phone and their codes: every factor and
 * session goes, and the person sets a factor up again at their next sign-in.
 */
export async function resetSecondFactor(actor: SessionUser, target: { id: number; orgUnitId: number }, ip: string): Promise<void> {
  await deleteAllFactors(target.id);
  await endAllSessions(target.id);
  await audit({ action: "auth.second_factor_reset", actorId: actor.id, targetType: "user", targetId: target.id, orgUnitId: target.orgUnitId, ip });
}

// ---------------------------------------------------------------------------------------
// The second step of a sign-in

/** Which ways the pending sign-in can be confirmed (a recovery code always can). */
export async function secondStepMethods(pending: PendingSignIn) {
  const factors = await findFactors(pending.userId);
  return { app: factors.totp !== null, passkeys: factors.passkeys.length > 0 };
}

export type SecondStepResult =
  | { ok: true; cookies: string[]; recoveryLeft: number | null }
  | { ok: false; error: "wrongCode" | "expired" }
  | { ok: false; error: "throttled"; minutes: number };

/**
 * Finishes a sign-in with a code from the app or a recovery code. Guesses are counted per
 * person before any is checked, so parallel guesses cannot get past the limit.
 */
export async function finishWithCode(pending: PendingSignIn, input: { code: string; recovery: boolean }, ip: string): Promise<SecondStepResult> {
  const wait = await recordFailure(limits.secondFactor, String(pending.userId));
  if (wait > 0) {
    await audit({ action: "auth.second_step", outcome: "denied", actorId: pending.userId, orgUnitId: pending.user.orgUnitId, ip, detail: { reason: "throttled" } });
    return { ok: false, error: "throttled", minutes: Math.ceil(wait / 60) };
  }
  const method = input.recovery ? "recovery" : "totp";
  const valid = input.recovery ? await checkRecoveryCode(pending.userId, input.code) : await checkAppCode(pending.userId, pending.user.email, input.code);
  if (!valid) {
    await audit({ action: "auth.second_step", outcome: "failed", actorId: pending.userId, orgUnitId: pending.user.orgUnitId, ip, detail: { method } });
    return { ok: false, error: "wrongCode" };
  }
  const done = await finishSignIn(pending, method, ip);
  if (!done.ok) return done;
  return { ...done, recoveryLeft: input.recovery ? (await findFactors(pending.userId)).recoveryLeft : null };
}

async function checkAppCode(userId: number, email: string, code: string): Promise<boolean> {
  const totp = await findTotp(userId);
  return Boolean(totp?.confirmedAt) && checkTotp(userId, email, totp!.secret, code);
}

async function checkRecoveryCode(userId: number, input: string): Promise<boolean> {
  const code = normaliseLetterCode(input);
  return code !== null && spendRecoveryCode(userId, secretHash(code), new Date());
}

/** The session, once: a second request finishing the same sign-in finds the challenge gone. */
export async function finishSignIn(pending: PendingSignIn, method: string, ip: string): Promise<{ ok: true; cookies: string[]; recoveryLeft: null } | { ok: false; error: "expired" }> {
  if (!(await consumeChallenge(pending.id))) return { ok: false, error: "expired" };
  await resetLimit(limits.secondFactor, String(pending.userId));
  const session = await startSession(pending.userId, { secondFactor: method, remember: pending.remember });
  await audit({ action: "auth.login", actorId: pending.userId, orgUnitId: pending.user.orgUnitId, ip, detail: { secondFactor: method } });
  return { ok: true, cookies: [session, clearSecondStepCookie()], recoveryLeft: null };
}
