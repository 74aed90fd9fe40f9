import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { db } from "./db.server";

// Counters live in the database, so every app instance sees the same limits.
function limiter(keyPrefix: string, points: number, durationSeconds: number, blockSeconds = durationSeconds) {
  return new RateLimiterPrisma({
    storeClient: db,
    tableName: "rateLimiterFlexible",
    keyPrefix,
    points,
    duration: durationSeconds,
    blockDuration: blockSeconds,
    clearExpiredByTimeout: false,
  });
}

export const limits = {
  /** Failed logins per account: 5 per 15 minutes. */
  loginAccount: limiter("login_acct", 5, 15 * 60),
  /** Failed logins per IP address: 30 per 15 minutes. */
  loginIp: limiter("login_ip", 30, 15 * 60),
  /** Password change attempts per account. */
  passwordChange: limiter("pwd", 5, 15 * 60),
  /** Public certificate look-ups per IP address: 30 per minute. */
  verifyIp: limiter("verify_ip", 30, 60),
  /** Failed password confirmations (/reauth) per account. */
  reauth: limiter("reauth", 5, 15 * 60),
  /** Roster uploads (checks and applies) per account: 30 per 10 minutes. Each parses up to 8 MB. */
  importAccount: limiter("import_acct", 30, 10 * 60),
  /** Roster uploads per IP address: 60 per 10 minutes. */
  importIp: limiter("import_ip", 60, 10 * 60),
  /**
   * Audit rows for refusals nobody signed in caused (cross-origin posts, dead session cookies):
   * 30 per IP address per 10 minutes, so a hostile page cannot fill the audit trail.
   */
  anonymousRefusalAudit: limiter("refusal_audit_ip", 30, 10 * 60),
};

export type Limiter = (typeof limits)[keyof typeof limits];

/** Seconds until the key may try again, or 0 when it is not blocked. */
export async function blockedFor(limiter: Limiter, key: string): Promise<number> {
  const res = await limiter.get(key);
  if (res && res.consumedPoints > limiter.points) return Math.ceil(res.msBeforeNext / 1000);
  return 0;
}

/** Counts one failure; returns the seconds to wait when the limit is now exceeded. */
export async function recordFailure(limiter: Limiter, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.ceil(e.msBeforeNext / 1000);
    throw e;
  }
}

/** Counts one request (not only failures); returns the seconds to wait when over the limit. */
export async function countRequest(limiter: Limiter, key: string): Promise<number> {
  return recordFailure(limiter, key);
}

/** Whether a refusal by someone not signed in is still worth an audit row from this address. */
export async function auditsAnonymousRefusal(ip: string): Promise<boolean> {
  return (await countRequest(limits.anonymousRefusalAudit, ip)) === 0;
}

export async function resetLimit(limiter: Limiter, key: string): Promise<void> {
  await limiter.delete(key);
}
