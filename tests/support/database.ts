// Runs before each test file: points DATABASE_URL at a fresh copy of the migrated template,
// so every file works on a real, private database.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll } from "vitest";
import { POSTGRES_ADMIN_URL, POSTGRES_TEMPLATE, postgresUrl, SQLITE_TEMPLATE, TEST_PROVIDER, TMP_DIR } from "./config";

const id = crypto.randomBytes(6).toString("hex");

if (TEST_PROVIDER === "sqlite") {
  const file = path.join(TMP_DIR, `test-${id}.db`);
  fs.copyFileSync(SQLITE_TEMPLATE, file);
  process.env.DATABASE_URL = `file:${file}`;
  afterAll(async () => {
    const { closeDatabase } = await import("~/platform/db.server");
    await closeDatabase();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  });
} else {
  const name = `kns_test_${id}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${POSTGRES_TEMPLATE}"`);
  await admin.end();
  process.env.DATABASE_URL = postgresUrl(name);
  afterAll(async () => {
    const { closeDatabase } = await import("~/platform/db.server");
    await closeDatabase();
    const cleanup = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleanup.end();
  });
}
process.env.NODE_ENV = "test";
