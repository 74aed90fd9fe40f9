// Driver adapters for Prisma's JavaScript engines, shared by the app and the Prisma CLI
// (prisma/*.config.ts). No Rust engine binary is ever needed.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { BoundedCache } from "../utils/bounded-cache";

export type DatabaseProvider = "sqlite" | "postgres";

export function providerOf(databaseUrl: string): DatabaseProvider {
  return /^postgres(ql)?:\/\//.test(databaseUrl) ? "postgres" : "sqlite";
}

/** The SQLite file path of a `file:` URL, relative paths resolved from the working directory. */
export function sqlitePath(databaseUrl: string): string {
  return databaseUrl.replace(/^file:/, "");
}

// WAL lets readers work while a write commits; the busy timeout makes a second writer wait
// instead of failing; foreign keys are off by default in SQLite.
const SQLITE_PRAGMAS =
  "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";

/**
 * better-sqlite3 prepares one statement at a time, while the migration engine replays whole
 * migration files as a raw query without arguments: send those through exec instead.
 */
function acceptScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length === 0 && query.sql.includes(";")) {
      await adapter.executeScript(query.sql);
      return 0;
    }
    return executeRaw(query);
  };
  return adapter;
}

type Statement = {
  reader: boolean;
  columns(): unknown[];
  run(...args: unknown[]): unknown;
  raw(toggle?: boolean): { all(...args: unknown[]): unknown[] };
};
type StatementCompiler = { prepare(sql: string): Statement; inTransaction: boolean; open: boolean };

/**
 * The connection Prisma's SQLite adapter opened, with its own (uncached) `prepare`: direct reads
 * and single-statement writes (db.server.ts `readRows`, `writeRows`) use it while it is not
 * inside a transaction. Its page cache is warm; a second connection would find its cache
 * invalidated by every write of this one.
 */
export type DirectStatement = { all(...args: unknown[]): unknown[]; run(...args: unknown[]): unknown; readonly reader: boolean; safeIntegers(toggle: boolean): DirectStatement };
export type SqliteConnection = { prepare(sql: string): DirectStatement; readonly inTransaction: boolean; readonly open: boolean };
export const sqliteConnections: { primary?: SqliteConnection } = {};

const STATEMENT_CACHE_SIZE = 500;

const HOOK_FAILED = "Prisma's SQLite adapter is not built as app/platform/db-adapter.server.ts expects";

/**
 * Hooks into a new connection of Prisma's SQLite adapter (@prisma/adapter-better-sqlite3,
 * pinned): its prepared statements are cached, and it becomes `sqliteConnections.primary`. Both
 * reach inside the adapter: its better-sqlite3 connection at `client`, whose `prepare` it calls
 * for every query, then `bind(args)` and `run()`, `raw().all()` or `columns()`. Were that to
 * change, direct statements would run beside Prisma's transactions instead of waiting for them,
 * or cached statements would lose their arguments: one query through the adapter checks the hook
 * first, and the connection fails, saying what it did not find.
 */
export async function hookSqliteAdapter(adapter: SqlDriverAdapter): Promise<void> {
  const client = (adapter as unknown as { client?: Partial<StatementCompiler> }).client;
  if (typeof client?.prepare !== "function" || typeof client.inTransaction !== "boolean" || typeof client.open !== "boolean") {
    throw new Error(`${HOOK_FAILED}: the adapter has no better-sqlite3 connection at \`client\``);
  }
  const connection = client as StatementCompiler;
  const prepare = connection.prepare.bind(connection);
  const prepared = cachePreparedStatements(connection);
  const probe = 'SELECT ? AS "probe"';
  const result = await adapter.queryRaw({ sql: probe, args: ["kns"], argTypes: [{ scalarType: "string", arity: "scalar" }] });
  if (!prepared.has(probe)) throw new Error(`${HOOK_FAILED}: its queries do not go through \`client.prepare\``);
  if (result.rows[0]?.[0] !== "kns") throw new Error(`${HOOK_FAILED}: a cached statement did not get the query's arguments`);
  sqliteConnections.primary = {
    prepare: prepare as unknown as SqliteConnection["prepare"],
    get inTransaction() {
      return connection.inTransaction;
    },
    // False once Prisma has disconnected; its next query opens a new connection, registered here.
    get open() {
      return connection.open;
    },
  };
}

/**
 * The Prisma adapter prepares (parses and plans) every statement again for each query: about a
 * sixth of a quiz submission's CPU time. Prepared statements are kept here, per connection, by
 * their SQL text (the app sends a few hundred distinct statements). The adapter binds its
 * arguments once per query, which a reused better-sqlite3 statement refuses, so it gets a
 * per-query view that passes the arguments on each call instead.
 */
function cachePreparedStatements(client: StatementCompiler): BoundedCache<string, Statement> {
  const prepare = client.prepare.bind(client);
  // The least recently used statement is evicted first.
  const cache = new BoundedCache<string, Statement>({ maxEntries: STATEMENT_CACHE_SIZE, refreshOnRead: true });
  client.prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = prepare(sql)));
    return statementView(statement, []);
  };
  return cache;
}

/** A statement with its arguments: what the adapter uses (reader, columns, run, raw().all, bind). */
function statementView(stmt: Statement, args: unknown[]): Statement {
  return {
    reader: stmt.reader,
    columns: () => stmt.columns(),
    run: () => stmt.run(args),
    raw: () => ({ all: () => stmt.raw(true).all(args) }),
    bind: (bound: unknown[]) => statementView(stmt, bound),
  } as Statement;
}

export function sqliteAdapter(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
  const file = sqlitePath(databaseUrl);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const inner = new PrismaBetterSQLite3({ url: file }, { timestampFormat: "unixepoch-ms" });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      await adapter.executeScript(SQLITE_PRAGMAS);
      await hookSqliteAdapter(adapter);
      return acceptScripts(adapter);
    },
    async connectToShadowDb() {
      const adapter = await inner.connectToShadowDb();
      await adapter.executeScript("PRAGMA foreign_keys = ON;");
      return acceptScripts(adapter);
    },
  };
}

// PostgreSQL catalog types that the migration engine reads but adapter-pg cannot decode:
// `name` (19) and `"char"` (18), and their arrays; both are read back as text.
const CATALOG_TEXT_TYPES = new Map([
  [19, 25],
  [18, 25],
  [1003, 1009],
  [1002, 1009],
]);

class CatalogAwarePool extends pg.Pool {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const result = (super.query as any)(...args);
    if (!(result instanceof Promise)) return result;
    return result.then((res: pg.QueryResult) => {
      for (const field of res?.fields ?? []) {
        const text = CATALOG_TEXT_TYPES.get(field.dataTypeID);
        if (text) field.dataTypeID = text;
      }
      return res;
    });
  }
}

export function postgresAdapter(
  databaseUrl: string,
  { forMigrations = false, max = 10 }: { forMigrations?: boolean; max?: number } = {},
): SqlMigrationAwareDriverAdapterFactory {
  if (!forMigrations) return new PrismaPg({ connectionString: databaseUrl, max });
  const pool = new CatalogAwarePool({ connectionString: databaseUrl, max: 2 });
  const factory = new PrismaPg(pool);
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => factory.connect(),
    async connectToShadowDb() {
      const admin = await factory.connect();
      const database = `kns_shadow_${crypto.randomUUID().replace(/-/g, "")}`;
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      const url = new URL(databaseUrl);
      url.pathname = `/${database}`;
      const shadow = await new PrismaPg(new CatalogAwarePool({ connectionString: url.toString(), max: 2 }), {
        disposeExternalPool: true,
      }).connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await admin.dispose();
      };
      return shadow;
    },
  };
}
