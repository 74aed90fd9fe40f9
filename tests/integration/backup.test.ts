import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { db } from "~/platform/db.server";
import { TEST_PROVIDER } from "../support/config";
import { createUnit } from "../support/factories";

const run = promisify(execFile);

describe(`backup and restore (${TEST_PROVIDER})`, () => {
  it("writes a consistent online backup that restores the data", async () => {
    await createUnit("BK1");
    const file = path.resolve(`tests/.tmp/backup-${process.pid}.${TEST_PROVIDER === "sqlite" ? "db" : "dump"}`);
    const out = await run("npx", ["tsx", "scripts/kns.ts", "backup", file], { env: process.env });
    expect(out.stdout).toMatch(/Đã sao lưu/);
    if (TEST_PROVIDER === "sqlite") {
      const copy = new Database(file, { readonly: true });
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(copy.prepare("SELECT code FROM OrgUnit").all()).toEqual([{ code: "BK1" }]);
      copy.close();
    } else {
      expect(fs.statSync(file).size).toBeGreaterThan(0);
    }
    await db.orgUnit.deleteMany({});
    await db.$disconnect();
    await run("npx", ["tsx", "scripts/kns.ts", "restore", file], { env: process.env });
    const { PrismaClient } = await import("~/generated/sqlite/client");
    void PrismaClient;
    const check = await run("npx", ["tsx", "-e", "import('./app/platform/db.server.ts').then(async ({db}) => console.log(JSON.stringify(await db.orgUnit.findMany({select:{code:true}}))))"], { env: process.env });
    expect(JSON.parse(check.stdout.trim())).toEqual([{ code: "BK1" }]);
    fs.rmSync(file, { force: true });
  });
});
