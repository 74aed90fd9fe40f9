import { defineConfig } from "prisma/config";
import { sqliteAdapter } from "../app/platform/db-adapter.server";

const url = process.env.DATABASE_URL?.startsWith("file:") ? process.env.DATABASE_URL : "file:./data/kynangso.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "sqlite",
  migrations: { path: "sqlite/migrations" },
  adapter: async () => sqliteAdapter(url),
});
