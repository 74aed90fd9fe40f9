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

// KNS_LOG_QUERIES=1 prints every SQL statement as one "[kns:query] …" line on stdout, so tests
// and benchmarks can count what a request costs. Development aid only; off by default.
const logQueries = process.env.KNS_LOG_QUERIES === "1";
const log: { emit: "event"; level: "query" }[] = logQueries ? [{ emit: "event", level: "query" }] : [];

function createClient(url: string): Db {
  const client =
    providerOf(url) === "postgres"
      ? (new PostgresClient({ adapter: postgresAdapter(url, { max: env.DB_POOL_SIZE }), log }) as unknown as Db)
      : new PrismaClient({ adapter: sqliteAdapter(url), log });
  if (logQueries) {
    (client as unknown as { $on(event: "query", cb: (e: { query: string }) => void): void }).$on("query", (e) =>
      console.log(`[kns:query] ${e.query.replace(/\s+/g, " ")}`),
    );
  }
  return client;
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

/**
 * Runs parameterised SQL written with PostgreSQL's $n placeholders. For SQLite each $n becomes
 * a positional "?" and the values are passed in order of appearance.
 */
export function query<T>(text: string, params: unknown[]): Promise<T[]> {
  if (dbProvider !== "sqlite") return db.$queryRawUnsafe<T[]>(text, ...params);
  const ordered: unknown[] = [];
  const positional = text.replace(/\$(\d+)/g, (_, n) => {
    ordered.push(params[Number(n) - 1]);
    return "?";
  });
  return db.$queryRawUnsafe<T[]>(positional, ...ordered);
}

/** The client inside an interactive transaction (`db.$transaction(async (tx) => …)`). */
export type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];
