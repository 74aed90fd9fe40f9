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

export async function resetLimit(limiter: Limiter, key: string): Promise<void> {
  await limiter.delete(key);
}
