import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { providerOf, sqlitePath } from "~/platform/db-adapter.server";

const run = promisify(execFile);

export type BackupResult = { file: string; bytes: number; integrity: string };

/**
 * A consistent copy of the live database, taken while the app keeps serving. SQLite uses
 * VACUUM INTO and the copy is checked with PRAGMA integrity_check; PostgreSQL uses pg_dump's
 * custom format.
 */
export async function backupDatabase(databaseUrl: string, target: string): Promise<BackupResult> {
  const file = path.resolve(target);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (providerOf(databaseUrl) === "postgres") {
    await run("pg_dump", ["--format=custom", "--no-owner", `--file=${file}`, databaseUrl]);
    return { file, bytes: fs.statSync(file).size, integrity: "pg_dump" };
  }
  const source = sqlitePath(databaseUrl);
  if (!fs.existsSync(source)) throw new Error(`database file not found: ${source}`);
  // VACUUM INTO copies one read snapshot, which writers (WAL) never disturb. The online backup
  // API restarts whenever another process writes, so under steady traffic it never finished.
  // The copy is written next to the target and renamed once checked: never a half-written file.
  const partial = `${file}.partial-${process.pid}`;
  fs.rmSync(partial, { force: true });
  const live = new Database(source, { fileMustExist: true });
  try {
    live.pragma("busy_timeout = 10000");
    live.prepare("VACUUM INTO ?").run(partial);
  } finally {
    live.close();
  }
  try {
    const copy = new Database(partial, { readonly: true });
    let integrity: string;
    try {
      integrity = String(copy.pragma("integrity_check", { simple: true }));
    } finally {
      copy.close();
    }
    if (integrity !== "ok") throw new Error(`backup failed its integrity check: ${integrity}`);
    fs.renameSync(partial, file);
    return { file, bytes: fs.statSync(file).size, integrity };
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

/** Replaces the SQLite database with a backup (the app must be stopped), or pg_restore for PostgreSQL. */
export async function restoreDatabase(databaseUrl: string, source: string): Promise<void> {
  const file = path.resolve(source);
  if (!fs.existsSync(file)) throw new Error(`backup file not found: ${file}`);
  if (providerOf(databaseUrl) === "postgres") {
    await run("pg_restore", ["--clean", "--if-exists", "--no-owner", `--dbname=${databaseUrl}`, file]);
    return;
  }
  const check = new Database(file, { readonly: true });
  try {
    const integrity = String(check.pragma("integrity_check", { simple: true }));
    if (integrity !== "ok") throw new Error(`backup failed its integrity check: ${integrity}`);
  } finally {
    check.close();
  }
  const target = sqlitePath(databaseUrl);
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(target + suffix, { force: true });
  fs.copyFileSync(file, target);
}
