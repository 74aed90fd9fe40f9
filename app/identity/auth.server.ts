// The only module that knows how sessions are implemented (Lucia 3 today). Routes call
// getUser / requireUser / login / logout; swapping Lucia out touches this file alone.
import { hash, verify } from "@node-rs/argon2";
import { redirect } from "@remix-run/node";
import { Cookie, Lucia, TimeSpan, type Adapter, type DatabaseSession, type DatabaseUser } from "lucia";
import { audit } from "~/platform/audit.server";
import { env } from "~/platform/env.server";
import { auditsAnonymousRefusal, blockedFor, limits, recordFailure, resetLimit } from "~/platform/rate-limit.server";
import { requestIp } from "~/platform/request.server";
import {
  deleteExpiredSessions,
  deleteSession,
  deleteUserSessions,
  findSessionStart,
  findSessionWithUser,
  insertSession,
  listUserSessions,
  touchSession,
  updateSessionExpiry,
  type SessionUserRow,
  type StoredSession,
} from "~/identity/sessions.data.server";
import { findSignInUser, getPasswordHash, setPasswordHash } from "~/identity/users.data.server";
import { hasConfirmedFactor } from "~/identity/second-factor.data.server";
import { beginSecondStep } from "~/identity/sign-in-challenge.server";
import type { Role } from "~/utils/roles";

export type RoleGrant = { role: Role; orgUnitId: number; path: string; unitCode: string; unitName: string };

export type SessionUser = {
  id: number;
  email: string;
  fullName: string;
  orgUnitId: number;
  orgUnitPath: string;
  locale: string | null;
  roles: RoleGrant[];
  /** How this session's sign-in was confirmed beyond the password: totp | recovery | passkey | sso, or null. */
  secondFactor: string | null;
  /** The demo accounts: never asked for a second factor. */
  secondFactorExempt: boolean;
};

function toSession(row: StoredSession): DatabaseSession {
  return { id: row.id, userId: row.userId, expiresAt: row.expiresAt, attributes: { secondFactor: row.secondFactor ?? null } };
}

/** Idle timeout: Lucia moves expiresAt forward on use (at most one write per half period). */
const IDLE = new TimeSpan(env.SESSION_IDLE_MINUTES, "m");
/** Idle time after which a session of an HR officer or administrator ends. */
const STAFF_IDLE_MS = env.SESSION_IDLE_MINUTES_STAFF * 60_000;
/** Absolute lifetime, counted from sign-in (Session.createdAt), however active the session is. */
const MAX_AGE_MS = env.SESSION_MAX_HOURS * 3600_000;
/** A session this young proves the password was just typed (sign-in or /reauth). */
export const RECENT_AUTH_MINUTES = 10;

// Lucia's storage: sessions in the database (sessions.data.server.ts).
const adapter: Adapter = {
  async getSessionAndUser(sessionId) {
    const found = await findSessionWithUser(sessionId);
    if (!found || !found.user.active) return [null, null];
    // Written so that an unreadable createdAt (NaN) counts as too old.
    if (!(Date.now() < found.session.createdAt.getTime() + MAX_AGE_MS)) {
      await deleteSession(found.session.id);
      return [null, null];
    }
    // HR officers and administrators hold the keys: their sessions end after a shorter idle
    // time (SESSION_IDLE_MINUTES_STAFF). Their last use is recorded at most once a minute;
    // learners' sessions are never written to here.
    if (found.user.roles.some((r) => r.role === "hr" || r.role === "admin")) {
      const lastSeen = (found.session.lastSeenAt ?? found.session.createdAt).getTime();
      if (!(Date.now() < lastSeen + STAFF_IDLE_MS)) {
        await deleteSession(found.session.id);
        return [null, null];
      }
      if (Date.now() - lastSeen > 60_000) await touchSession(found.session.id, new Date());
    }
    const session = toSession(found.session);
    const user: DatabaseUser = { id: session.userId, attributes: found.user };
    return [session, user];
  },
  async getUserSessions(userId) {
    return (await listUserSessions(userId)).map(toSession);
  },
  async setSession(session) {
    await insertSession({ id: session.id, userId: session.userId, expiresAt: session.expiresAt, secondFactor: session.attributes.secondFactor });
  },
  updateSessionExpiration: updateSessionExpiry,
  deleteSession,
  deleteUserSessions,
  deleteExpiredSessions,
};

const production = env.NODE_ENV === "production";

export const lucia = new Lucia(adapter, {
  sessionExpiresIn: IDLE,
  sessionCookie: {
    name: production ? "__Host-kns_session" : "kns_session",
    expires: false,
    attributes: { secure: production, sameSite: "lax" },
  },
  getUserAttributes: (attributes) => attributes,
});

/**
 * The session's cookie. Lucia's would last 400 days: on a shared office computer the next person
 * would find the account open. It is a browser-session cookie (gone when the browser closes)
 * unless the person asked to be remembered on this computer; then it lasts as long as a session
 * may (SESSION_MAX_HOURS). The session itself still ends when idle, either way.
 */
function sessionCookie(sessionId: string, remember = false): string {
  const cookie = lucia.createSessionCookie(sessionId);
  const { maxAge: _maxAge, expires: _expires, ...attributes } = cookie.attributes;
  return new Cookie(cookie.name, cookie.value, remember ? { ...attributes, maxAge: env.SESSION_MAX_HOURS * 3600 } : attributes).serialize();
}

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    UserId: number;
    DatabaseUserAttributes: SessionUserRow;
    DatabaseSessionAttributes: { secondFactor: string | null };
  }
}

function toSessionUser(row: SessionUserRow): SessionUser {
  return {
    id: row.id,
    email: row.email,
    fullName: row.fullName,
    orgUnitId: row.orgUnitId,
    orgUnitPath: row.orgUnit.path,
    locale: row.locale,
    secondFactor: row.secondFactor,
    secondFactorExempt: row.secondFactorExempt,
    roles: row.roles.map((r) => ({
      role: r.role as Role,
      orgUnitId: r.orgUnitId,
      path: r.orgUnit.path,
      unitCode: r.orgUnit.code,
      unitName: r.orgUnit.nameVi,
    })),
  };
}

function sessionIdOf(request: Request): string | null {
  return lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
}

/** The id of the session the request's cookie names (valid or not), for actions bound to it. */
export function currentSessionId(request: Request): string | null {
  return sessionIdOf(request);
}

/** Whether the request carries a session cookie (valid or not): its pages must not be cached. */
export function hasSessionCookie(request: Request): boolean {
  return sessionIdOf(request) !== null;
}

// Remix runs the root loader and the page's loader of one request side by side, and both ask
// for the user: validations of the same session that are in flight at the same moment share
// one database read. Nothing is kept once it settles, so a logout or a removed role is seen
// by the very next request, on every instance.
const validating = new Map<string, Promise<SessionUser | null>>();

export async function getUser(request: Request): Promise<SessionUser | null> {
  const sessionId = sessionIdOf(request);
  if (!sessionId) return null;
  const pending = validating.get(sessionId);
  if (pending) return pending;
  const validation = lucia
    .validateSession(sessionId)
    .then(({ user }) => (user ? toSessionUser(user as unknown as SessionUserRow) : null))
    .finally(() => validating.delete(sessionId));
  validating.set(sessionId, validation);
  return validation;
}

const REDIRECT_BASE = "http://kns.invalid";

export function safeRedirectTo(value: unknown, fallback = "/me"): string {
  // Only same-site absolute paths: no scheme, no protocol-relative "//", no backslashes, and no
  // control characters (browsers drop tabs and newlines, so "/\t/evil.example" means "//evil.example").
  // eslint-disable-next-line no-control-regex
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(value)) {
    return fallback;
  }
  try {
    // Re-serialised: non-ASCII is percent-encoded (a Location header must be ASCII) and dot
    // segments are resolved, which can turn "/.//evil.example" into "//evil.example".
    const url = new URL(value, REDIRECT_BASE);
    const path = url.pathname + url.search + url.hash;
    return url.origin === REDIRECT_BASE && !path.startsWith("//") ? path : fallback;
  } catch {
    return fallback;
  }
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (user && mustSetUpSecondFactor(user)) {
    const path = new URL(request.url).pathname;
    if (!SET_UP_PATHS.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}/`))) throw redirect("/me/security?required=1");
  }
  if (!user) {
    const url = new URL(request.url);
    const params = new URLSearchParams({ redirectTo: url.pathname + url.search });
    const headers = new Headers();
    if (sessionIdOf(request)) {
      // The cookie names no live session: it expired, was ended (logout, an admin), or is forged.
      // The browser forgets it and the sign-in page says why.
      const ip = requestIp(request);
      if (await auditsAnonymousRefusal(ip)) await audit({ action: "auth.session_rejected", outcome: "denied", ip, detail: { path: url.pathname } });
      params.set("session", "ended");
      headers.set("Set-Cookie", lucia.createBlankSessionCookie().serialize());
    }
    throw redirect(`/login?${params}`, { headers });
  }
  return user;
}

export async function hashPassword(password: string): Promise<string> {
  // @node-rs/argon2 uses Argon2id by default; parameters follow OWASP's minimum (19 MiB, t=2).
  return hash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

// Verifying against a fixed hash when the account does not exist keeps timing uniform.
let dummyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    dummyHash ??= hashPassword("kns-no-such-account");
    await verify(await dummyHash, password);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export function isStrongPassword(password: string): boolean {
  return password.length >= 12 && password.length <= 200 && /\p{L}/u.test(password) && /\d/.test(password);
}

export type LoginResult =
  /** `secondStep`: the password was right and the person has a second factor: no session yet, the cookie carries the pending sign-in. */
  | { ok: true; cookie: string; userId: number; secondStep: boolean }
  | { ok: false; reason: "invalid" | "locked" | "passwordsOff" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export async function login(emailInput: string, password: string, ip: string, remember = false): Promise<LoginResult> {
  if (env.PASSWORD_SIGN_IN === "off") return { ok: false, reason: "passwordsOff" };
  const email = emailInput.trim().toLowerCase();
  // The attempt counts against the account before its password is checked, in one statement:
  // of any number of guesses sent at once, only the first `points` of a window are evaluated.
  // (Failures per IP address are counted after the check, so that many people signing in at
  // once from one office's address never block each other.)
  const wait = Math.max(await blockedFor(limits.loginIp, ip), await recordFailure(limits.loginAccount, email));
  if (wait > 0) {
    await audit({ action: "auth.login", outcome: "denied", ip, detail: { email, reason: "throttled" } });
    return { ok: false, reason: "throttled", retryAfterSeconds: wait };
  }
  const user = await findSignInUser(email);
  const valid = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !valid || !user.active) {
    const retry = await recordFailure(limits.loginIp, ip);
    await audit({
      action: "auth.login",
      outcome: "failed",
      actorId: user?.id,
      orgUnitId: user?.orgUnitId,
      ip,
      detail: { email },
    });
    if (retry > 0) return { ok: false, reason: "throttled", retryAfterSeconds: retry };
    return { ok: false, reason: "invalid" };
  }
  // The right password for a locked account: say it is locked (the password already proved who asks).
  if (user.locked) {
    await audit({ action: "auth.login", outcome: "denied", actorId: user.id, orgUnitId: user.orgUnitId, ip, detail: { reason: "locked" } });
    return { ok: false, reason: "locked" };
  }
  await resetLimit(limits.loginAccount, email);
  if (await hasConfirmedFactor(user.id)) {
    await audit({ action: "auth.second_step", actorId: user.id, orgUnitId: user.orgUnitId, ip });
    return { ok: true, cookie: await beginSecondStep(user.id, remember), userId: user.id, secondStep: true };
  }
  const session = await lucia.createSession(user.id, { secondFactor: null });
  await audit({ action: "auth.login", actorId: user.id, orgUnitId: user.orgUnitId, ip });
  return { ok: true, cookie: sessionCookie(session.id, remember), userId: user.id, secondStep: false };
}

/**
 * A new session for someone who just proved who they are (activation, single sign-on, the second
 * step of a sign-in): its cookie. `secondFactor` says how, beyond a password, if at all.
 */
export async function startSession(userId: number, { secondFactor = null, remember = false }: { secondFactor?: string | null; remember?: boolean } = {}): Promise<string> {
  const session = await lucia.createSession(userId, { secondFactor });
  return sessionCookie(session.id, remember);
}

/**
 * Whether this session must set up a second factor before anything else: HR officers and
 * administrators hold the keys, so by default (SECOND_FACTOR=staff) a password alone does not
 * open their pages. The demo accounts are exempt, and a single sign-on counts as confirmed.
 */
export function mustSetUpSecondFactor(user: SessionUser): boolean {
  if (env.SECOND_FACTOR !== "staff" || user.secondFactorExempt || user.secondFactor) return false;
  return user.roles.some((r) => r.role === "hr" || r.role === "admin");
}

/** Where such a session may still go: setting up the factor, confirming the password, leaving. */
const SET_UP_PATHS = ["/me/security", "/reauth", "/logout"];

export async function logout(request: Request): Promise<string> {
  const sessionId = sessionIdOf(request);
  if (sessionId) await lucia.invalidateSession(sessionId);
  return lucia.createBlankSessionCookie().serialize();
}

export type PasswordChangeResult =
  | { ok: true; cookie: string }
  | { ok: false; error: "wrongCurrent" | "tooWeak" | "mismatch" | "sameAsOld" }
  | { ok: false; error: "throttled"; retryAfterSeconds: number };

export async function changePassword(
  user: SessionUser,
  input: { current: string; next: string; confirm: string },
  ip: string,
): Promise<PasswordChangeResult> {
  const key = String(user.id);
  const wait = await blockedFor(limits.passwordChange, key);
  if (wait > 0) return { ok: false, error: "throttled", retryAfterSeconds: wait };
  if (!(await verifyPassword(await getPasswordHash(user.id), input.current))) {
    const retry = await recordFailure(limits.passwordChange, key);
    await audit({ action: "auth.password_change", outcome: "failed", actorId: user.id, orgUnitId: user.orgUnitId, ip });
    if (retry > 0) return { ok: false, error: "throttled", retryAfterSeconds: retry };
    return { ok: false, error: "wrongCurrent" };
  }
  if (input.next !== input.confirm) return { ok: false, error: "mismatch" };
  if (!isStrongPassword(input.next)) return { ok: false, error: "tooWeak" };
  if (input.next === input.current) return { ok: false, error: "sameAsOld" };
  await setPasswordHash(user.id, await hashPassword(input.next));
  // A new password ends every other session; this device gets a fresh one, as confirmed as before.
  await lucia.invalidateUserSessions(user.id);
  const session = await lucia.createSession(user.id, { secondFactor: user.secondFactor });
  await resetLimit(limits.passwordChange, key);
  await audit({ action: "auth.password_change", actorId: user.id, orgUnitId: user.orgUnitId, ip });
  return { ok: true, cookie: sessionCookie(session.id) };
}

export async function endAllSessions(userId: number): Promise<void> {
  await lucia.invalidateUserSessions(userId);
}

/** The path of the password prompt that sends the user back to `redirectTo` afterwards. */
export function reauthPath(redirectTo: string): string {
  return `/reauth?${new URLSearchParams({ redirectTo: safeRedirectTo(redirectTo, "/me") })}`;
}

/**
 * Guards sensitive actions (granting roles, bulk imports, revoking certificates): the password
 * must have been typed in the last RECENT_AUTH_MINUTES. A session is created only by a password
 * (sign-in, /reauth, password change), so its age says when that was. Otherwise the user is
 * sent to /reauth and comes back to the page to confirm the action again.
 */
export async function requireRecentAuth(request: Request, user: SessionUser): Promise<void> {
  const sessionId = sessionIdOf(request);
  const session = sessionId ? await findSessionStart(sessionId) : null;
  if (session && session.userId === user.id && Date.now() - session.createdAt.getTime() < RECENT_AUTH_MINUTES * 60_000) return;
  const url = new URL(request.url);
  throw redirect(reauthPath(url.pathname + url.search));
}

export type ReauthResult =
  | { ok: true; cookie: string }
  | { ok: false; error: "wrongPassword" }
  | { ok: false; error: "throttled"; retryAfterSeconds: number };

/** Checks the password again and rotates the session: a new one (fresh createdAt) replaces the old. */
export async function reauthenticate(request: Request, user: SessionUser, password: string, ip: string): Promise<ReauthResult> {
  const key = String(user.id);
  const wait = await blockedFor(limits.reauth, key);
  if (wait > 0) return { ok: false, error: "throttled", retryAfterSeconds: wait };
  if (!(await verifyPassword(await getPasswordHash(user.id), password))) {
    const retry = await recordFailure(limits.reauth, key);
    await audit({ action: "auth.reauth", outcome: "failed", actorId: user.id, orgUnitId: user.orgUnitId, ip });
    if (retry > 0) return { ok: false, error: "throttled", retryAfterSeconds: retry };
    return { ok: false, error: "wrongPassword" };
  }
  await resetLimit(limits.reauth, key);
  const session = await lucia.createSession(user.id, { secondFactor: user.secondFactor });
  const old = sessionIdOf(request);
  if (old) await lucia.invalidateSession(old);
  await audit({ action: "auth.reauth", actorId: user.id, orgUnitId: user.orgUnitId, ip });
  return { ok: true, cookie: sessionCookie(session.id) };
}
