// Applies pending migrations to the database named by DATABASE_URL, whichever provider it is.
import { spawnSync } from "node:child_process";
import { providerOf } from "~/platform/db-adapter.server";

const url = process.env.DATABASE_URL ?? "file:./data/kynangso.db";
const config = providerOf(url) === "postgres" ? "prisma/postgres.config.ts" : "prisma/sqlite.config.ts";
const result = spawnSync("npx", ["prisma", "migrate", "deploy", "--config", config], {
  stdio: "inherit",
  env: { ...process.env, DATABASE_URL: url },
});
process.exit(result.status ?? 1);
