import { PrismaPg } from "@prisma/adapter-pg";
import Database from "better-sqlite3";
import pg from "pg";
import { PrismaClient } from "~/generated/sqlite/client";
import { PrismaClient as PostgresClient } from "~/generated/postgres/client";
import { BoundedCache } from "~/utils/bounded-cache";
import { providerOf, sqliteAdapter, sqliteConnections, sqlitePath, type DirectStatement, type SqliteConnection } from "~/platform/db-adapter.server";
import { env } from "~/platform/env.server";

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

/** PostgreSQL: one pool per process, shared by Prisma and by `readRows` / `writeRows`. */
let postgresPool: pg.Pool | undefined;

function createClient(url: string): Db {
  // allowExitOnIdle: idle connections never keep a finished command or test process alive.
  if (providerOf(url) === "postgres") {
    postgresPool = new pg.Pool({ connectionString: url, max: env.DB_POOL_SIZE, allowExitOnIdle: true });
    // An idle connection closed by the server (a restart, a dropped database) is replaced on the
    // next query; unhandled, the pool's error event would end the process.
    postgresPool.on("error", (error) => console.error(`[kns:db] an idle PostgreSQL connection was closed: ${error.message}`));
  }
  const client = postgresPool
    ? (new PostgresClient({ adapter: new PrismaPg(postgresPool), log }) as unknown as Db)
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

/** The client inside an interactive transaction (`db.$transaction(async (tx) => …)`). */
export type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

// ---------------------------------------------------------------------------------------------
// Single statements straight to the driver (decision 013)

/** A date as a driver returns it: milliseconds (SQLite), a Date (PostgreSQL). */
export type DateValue = Date | number | string;

/**
 * Runs one read-only statement straight on the database driver, past Prisma: every Prisma call,
 * `$queryRaw` included, goes through its query compiler and client (about 0.15 ms of CPU each),
 * and the pages every learner opens make three or four such reads. Written as a tagged template,
 * so every value is a parameter:
 *
 *     const rows = await readRows<{ id: number }>`SELECT "id" FROM "Course" WHERE "slug" = ${slug}`;
 *
 * Only for reads outside transactions: it sees committed rows only. On SQLite it reads on
 * Prisma's connection when that is between transactions, else on a read-only connection of its
 * own; on PostgreSQL, on Prisma's pool.
 * Values come back as the driver gives them, as with `$queryRaw` (decision 011): convert with
 * `Number()`, `Boolean(Number())` and `new Date()`. Dates are passed as Prisma stores them.
 */
export function readRows<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]> {
  logStatement(strings);
  if (postgresPool) return postgresQuery<T>(postgresPool, strings, values);
  return Promise.resolve(sqliteRead<T>(strings, values));
}

/**
 * One statement that changes rows (an insert, update, delete or upsert; with `RETURNING` when
 * rows are wanted back), committed on its own, straight on the driver like `readRows`: for the
 * writes nearly every request makes (audit events, rate-limit counters, sessions, the resume
 * point). Never inside a transaction. On SQLite it runs on Prisma's connection when that is
 * between transactions, and otherwise waits its turn through Prisma like any ORM call.
 */
export async function writeRows<T = never>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T[]> {
  logStatement(strings);
  if (postgresPool) return postgresQuery<T>(postgresPool, strings, values);
  const statement = idlePrimaryStatement(strings);
  if (statement) {
    if (statement.reader) return statement.all(...sqliteValues(values)) as T[];
    statement.run(...sqliteValues(values));
    return [];
  }
  // Through Prisma's own tagged templates: the values stay parameters there too.
  if (/\bRETURNING\b/i.test(strings.join("?"))) return db.$queryRaw<T[]>(strings, ...values);
  await db.$executeRaw(strings, ...values);
  return [];
}

type StatementCache = BoundedCache<TemplateStringsArray, DirectStatement>;
const MAX_STATEMENTS_PER_CONNECTION = 200;
const statementCache = (): StatementCache => new BoundedCache({ maxEntries: MAX_STATEMENTS_PER_CONNECTION });

function logStatement(strings: TemplateStringsArray) {
  if (logQueries) console.log(`[kns:query] ${strings.join("?").replace(/\s+/g, " ")}`);
}

let sqliteReader: Database.Database | undefined;
let readerStatements = statementCache();
// Statements belong to their connection: Prisma opens a new one after a disconnect.
const primaryStatements = new WeakMap<SqliteConnection, StatementCache>();

function statementsOf(primary: SqliteConnection): StatementCache {
  let cache = primaryStatements.get(primary);
  if (!cache) primaryStatements.set(primary, (cache = statementCache()));
  return cache;
}

/**
 * The statement for this call site on Prisma's connection, if that connection is open and not
 * inside one of Prisma's transactions. Prisma reads integers as BigInt there; these read numbers.
 */
function idlePrimaryStatement(strings: TemplateStringsArray): DirectStatement | undefined {
  const primary = sqliteConnections.primary;
  if (!primary?.open || primary.inTransaction) return undefined;
  return statementFor(statementsOf(primary), strings, (sql) => primary.prepare(sql).safeIntegers(false));
}

/** A statement per call site and connection (a template's strings are one object per call site). */
function statementFor(cache: StatementCache, strings: TemplateStringsArray, prepare: (sql: string) => DirectStatement): DirectStatement {
  let statement = cache.get(strings);
  if (!statement) cache.set(strings, (statement = prepare(strings.join("?"))));
  return statement;
}

/** Values as the Prisma adapter writes them: dates as milliseconds, booleans as 1/0. */
const sqliteValues = (values: unknown[]) => values.map((v) => (v instanceof Date ? v.getTime() : typeof v === "boolean" ? Number(v) : v));

function sqliteRead<T>(strings: TemplateStringsArray, values: unknown[]): T[] {
  const bound = sqliteValues(values);
  // Prisma's connection when it is between transactions: its page cache is warm, and outside a
  // transaction it holds exactly what is committed. Inside one (an interactive transaction is
  // waiting for its next statement), a read-only connection of our own, which sees only
  // committed rows.
  const statement = idlePrimaryStatement(strings);
  if (statement) return statement.all(...bound) as T[];
  if (!sqliteReader) {
    sqliteReader = new Database(sqlitePath(env.DATABASE_URL), { readonly: true, fileMustExist: true });
    sqliteReader.pragma("busy_timeout = 10000");
  }
  const reader = sqliteReader;
  return statementFor(readerStatements, strings, (sql) => reader.prepare(sql) as unknown as DirectStatement).all(...bound) as T[];
}

// `timestamp(3)` columns hold UTC without a zone, as Prisma writes them: read them as UTC.
const UTC_TIMESTAMP = 1114;
const postgresTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === UTC_TIMESTAMP ? (text: string) => new Date(`${text.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

/**
 * A name per call site (a template's strings are one object per call site), under which each
 * pooled connection prepares the statement once: PostgreSQL then skips parsing and planning it
 * on every later call. Measured on the generated country under load, PostgreSQL spent 1.56 ms of
 * CPU per lesson page (three statements) with unnamed statements and 0.48 ms with named ones.
 */
const statementNames = new WeakMap<TemplateStringsArray, string>();
let statementCount = 0;
function statementName(strings: TemplateStringsArray): string {
  let name = statementNames.get(strings);
  if (!name) statementNames.set(strings, (name = `kns_${++statementCount}`));
  return name;
}

async function postgresQuery<T>(pool: pg.Pool, strings: TemplateStringsArray, values: unknown[]): Promise<T[]> {
  const text = strings.reduce((sql, part, i) => `${sql}$${i}${part}`);
  // Dates as the UTC wall-clock time Prisma stores (a zone would be converted on comparison).
  const bound = values.map((v) => (v instanceof Date ? v.toISOString().replace("Z", "") : v));
  const result = await pool.query({ name: statementName(strings), text, values: bound, types: postgresTypes });
  return result.rows as T[];
}

/**
 * Closes every connection this process holds (Prisma's, the read-only SQLite one, the PostgreSQL
 * pool), for a process that is done with the database: after it, the process can no longer
 * reach the database. A plain `db.$disconnect()` leaves the others open and Prisma reconnects.
 */
export async function closeDatabase(): Promise<void> {
  await db.$disconnect();
  sqliteReader?.close();
  sqliteReader = undefined;
  readerStatements = statementCache();
  await postgresPool?.end();
}
