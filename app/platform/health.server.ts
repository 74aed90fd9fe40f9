import { db, dbProvider } from "./db.server";

/** Whether the database answers a trivial statement now, for `/healthz` and load balancers. */
export async function databaseHealth(): Promise<{ ok: boolean; provider: typeof dbProvider }> {
  try {
    await db.$queryRaw`SELECT 1`;
    return { ok: true, provider: dbProvider };
  } catch {
    return { ok: false, provider: dbProvider };
  }
}
