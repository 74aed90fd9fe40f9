import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { TEST_PROVIDER } from "../support/config";

const run = promisify(execFile);

describe("SQLite and PostgreSQL schemas", () => {
  it("share one model file and the same list of migrations", () => {
    const models = fs.readFileSync("prisma/models.prisma", "utf8");
    expect(fs.readFileSync("prisma/sqlite/models.prisma", "utf8")).toBe(models);
    expect(fs.readFileSync("prisma/postgres/models.prisma", "utf8")).toBe(models);
    const list = (p: string) => fs.readdirSync(`prisma/${p}/migrations`).filter((f) => !f.endsWith(".toml")).sort();
    expect(list("postgres")).toEqual(list("sqlite"));
  });

  it(`the ${TEST_PROVIDER} migrations produce exactly the schema`, async () => {
    const config = `prisma/${TEST_PROVIDER}.config.ts`;
    const result = await run(
      "npx",
      ["prisma", "migrate", "diff", "--config", config, "--from-migrations", `prisma/${TEST_PROVIDER}/migrations`, "--to-schema-datamodel", `prisma/${TEST_PROVIDER}`, "--exit-code"],
      { env: process.env },
    ).catch((e) => e);
    expect(result.stdout).toMatch(/No difference detected/);
  });
});

describe(`the ${TEST_PROVIDER} connection`, () => {
  it("enforces foreign keys, and on SQLite runs in WAL mode with a busy timeout", async () => {
    const { db } = await import("~/platform/db.server");
    await expect(db.user.create({ data: { email: "mo-coi@p1.vn", fullName: "Không đơn vị", orgUnitId: 2_000_000_000 } })).rejects.toThrow();
    expect(await db.user.count({ where: { email: "mo-coi@p1.vn" } })).toBe(0);
    if (TEST_PROVIDER === "sqlite") {
      const pragma = async (name: string) => Object.values((await db.$queryRawUnsafe<Record<string, unknown>[]>(`PRAGMA ${name}`))[0])[0];
      expect(await pragma("journal_mode")).toBe("wal");
      expect(Number(await pragma("foreign_keys"))).toBe(1);
      expect(Number(await pragma("busy_timeout"))).toBeGreaterThanOrEqual(1000);
    }
  });
});

describe("migration files", () => {
  it("hold no semicolon inside a comment: the migration runner splits statements on every semicolon", () => {
    const offending: string[] = [];
    for (const provider of ["sqlite", "postgres"]) {
      const dir = `prisma/${provider}/migrations`;
      for (const name of fs.readdirSync(dir).filter((n) => fs.statSync(`${dir}/${n}`).isDirectory())) {
        const lines = fs.readFileSync(`${dir}/${name}/migration.sql`, "utf8").split("\n");
        lines.forEach((line, i) => {
          if (/--.*;/.test(line)) offending.push(`${provider}/${name}:${i + 1}`);
        });
      }
    }
    expect(offending).toEqual([]);
  });
});
