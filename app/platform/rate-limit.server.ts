// Rate limits whose counters live in the database, so every app instance sees the same limits.
// A counter is one row per key ("<limit>:<key>", e.g. "verify_ip:203.0.113.7") with the points
// used and the end of its window. Counting is one statement (an upsert that starts a new window
// when the old one has ended and blocks for a whole window when the limit is crossed), so
// concurrent requests are all counted and the public certificate look-up, which counts every
// request, stays cheap (straight to the driver, decision 013).
import { db, readRows, writeRows, type DateValue } from "~/platform/db.server";

export class Limiter {
  constructor(
    readonly prefix: string,
    /** Requests (or failures) allowed per window. */
    readonly points: number,
    readonly windowSeconds: number,
  ) {}

  keyOf(key: string): string {
    return `${this.prefix}:${key}`;
  }
}

export const limits = {
  /** Failed logins per account: 5 per 15 minutes. */
  loginAccount: new Limiter("login_acct", 5, 15 * 60),
  /** Failed logins per IP address: 30 per 15 minutes. */
  loginIp: new Limiter("login_ip", 30, 15 * 60),
  /** Password change attempts per account. */
  passwordChange: new Limiter("pwd", 5, 15 * 60),
  /** Public certificate look-ups per IP address: 30 per minute. */
  verifyIp: new Limiter("verify_ip", 30, 60),
  /** Failed password confirmations (/reauth) per account. */
  reauth: new Limiter("reauth", 5, 15 * 60),
  /** Roster uploads (checks and applies) per account: 30 per 10 minutes. Each parses up to 8 MB. */
  importAccount: new Limiter("import_acct", 30, 10 * 60),
  /** Roster uploads per IP address: 60 per 10 minutes. */
  importIp: new Limiter("import_ip", 60, 10 * 60),
  /** Password-reset requests per address: 3 per hour (the answer never says whether it exists). */
  resetAccount: new Limiter("reset_acct", 3, 60 * 60),
  /** Password-reset requests per IP address: 20 per hour. */
  resetIp: new Limiter("reset_ip", 20, 60 * 60),
  /** Unknown or used activation secrets per IP address: 60 per 15 minutes (a letter code has 60 bits: guessing stays hopeless). */
  activationIp: new Limiter("activate_ip", 60, 15 * 60),
  /**
   * Audit rows for refusals nobody signed in caused (cross-origin posts, dead session cookies):
   * 30 per IP address per 10 minutes, so a hostile page cannot fill the audit trail.
   */
  anonymousRefusalAudit: new Limiter("refusal_audit_ip", 30, 10 * 60),
  /** Second-factor codes (app, recovery code or passkey) per account: 5 per 15 minutes, counted before each is checked. */
  secondFactor: new Limiter("2fa", 5, 15 * 60),
  /** Lesson previews per account: 60 a minute (the editor previews 0.8 s after typing stops). */
  lessonPreview: new Limiter("preview", 60, 60),
  /** Lessons that ran out of time in the MDX worker, per account: the third in 15 minutes starts a 15-minute wait. */
  slowLessons: new Limiter("slow_mdx", 2, 15 * 60),
};

type Counter = { points: number | bigint; expire: DateValue };

const secondsUntil = (end: DateValue, now: Date) => Math.max(1, Math.ceil((new Date(end).getTime() - now.getTime()) / 1000));

/** Seconds until the key may try again, or 0 when it is not blocked. */
export async function blockedFor(limiter: Limiter, key: string, now = new Date()): Promise<number> {
  const rows = await readRows<Counter>`
    SELECT "points", "expire" FROM "RateLimiterFlexible"
    WHERE "key" = ${limiter.keyOf(key)} AND "expire" > ${now}`;
  const row = rows[0];
  return row && Number(row.points) > limiter.points ? secondsUntil(row.expire, now) : 0;
}

/**
 * Counts one request or failure; returns the seconds to wait when this one is over the limit,
 * else 0. The request that crosses the limit starts a block of one whole window.
 */
export async function recordFailure(limiter: Limiter, key: string, now = new Date()): Promise<number> {
  const windowEnd = new Date(now.getTime() + limiter.windowSeconds * 1000);
  const rows = await writeRows<Counter>`
    INSERT INTO "RateLimiterFlexible" ("key", "points", "expire") VALUES (${limiter.keyOf(key)}, 1, ${windowEnd})
    ON CONFLICT ("key") DO UPDATE SET
      "points" = CASE WHEN "RateLimiterFlexible"."expire" IS NULL OR "RateLimiterFlexible"."expire" <= ${now} THEN 1
                      ELSE "RateLimiterFlexible"."points" + 1 END,
      "expire" = CASE WHEN "RateLimiterFlexible"."expire" IS NULL OR "RateLimiterFlexible"."expire" <= ${now} THEN ${windowEnd}
                      WHEN "RateLimiterFlexible"."points" = ${limiter.points} THEN ${windowEnd}
                      ELSE "RateLimiterFlexible"."expire" END
    RETURNING "points", "expire"`;
  const row = rows[0];
  return Number(row.points) > limiter.points ? secondsUntil(row.expire, now) : 0;
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
  await writeRows`DELETE FROM "RateLimiterFlexible" WHERE "key" = ${limiter.keyOf(key)}`;
}

/** Removes counters whose window ended over an hour ago (a scheduled job); returns how many. */
export async function forgetEndedLimits(now = new Date()): Promise<number> {
  return db.$executeRaw`DELETE FROM "RateLimiterFlexible" WHERE "expire" < ${new Date(now.getTime() - 3_600_000)}`;
}
