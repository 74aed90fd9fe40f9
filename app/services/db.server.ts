import { PrismaClient } from "~/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "~/generated/postgres/client";
import { postgresAdapter, providerOf, sqliteAdapter } from "./db-adapter.server";
import { env } from "./env.server";

/**
 * One Prisma client per process. Both providers generate the same models from
 * prisma/models.prisma, so the SQLite client's type describes either.
 */
export type Db = PrismaClient;

export const dbProvider = providerOf(env.DATABASE_URL);

function createClient(url: string): Db {
  if (providerOf(url) === "postgres") {
    return new PostgresClient({ adapter: postgresAdapter(url, { max: env.DB_POOL_SIZE }) }) as unknown as Db;
  }
  return new PrismaClient({ adapter: sqliteAdapter(url) });
}

const globalForDb = globalThis as unknown as { __kns_db?: Db };
export const db: Db = globalForDb.__kns_db ?? createClient(env.DATABASE_URL);
// Keep one client across hot reloads in development.
if (env.NODE_ENV !== "production") globalForDb.__kns_db = db;

export async function checkDatabase(): Promise<boolean> {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return true;
  } catch {
    return false;
  }
}
