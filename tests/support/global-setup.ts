// Builds one migrated template database per run; each test file then gets its own copy.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import pg from "pg";
import { POSTGRES_ADMIN_URL, POSTGRES_TEMPLATE, postgresUrl, SQLITE_TEMPLATE, TEST_PROVIDER, TMP_DIR } from "./config";

function migrate(url: string) {
  execFileSync("npx", ["tsx", "scripts/migrate.ts"], { env: { ...process.env, DATABASE_URL: url }, stdio: "pipe" });
}

export default async function setup() {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  if (TEST_PROVIDER === "sqlite") {
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(SQLITE_TEMPLATE + suffix, { force: true });
    migrate(`file:${SQLITE_TEMPLATE}`);
    // Fold the WAL back into the file so plain copies are complete.
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(SQLITE_TEMPLATE);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.pragma("journal_mode = DELETE");
    db.close();
    return;
  }
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  const stale = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE 'kns_test_%'");
  for (const row of stale.rows) await admin.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${POSTGRES_TEMPLATE}"`);
  await admin.end();
  migrate(postgresUrl(POSTGRES_TEMPLATE));
}
