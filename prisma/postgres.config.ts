import { defineConfig } from "prisma/config";
import { postgresAdapter } from "../app/platform/db-adapter.server";

const url = process.env.DATABASE_URL ?? "";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "postgres",
  migrations: { path: "postgres/migrations" },
  adapter: async () => {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new Error("DATABASE_URL must be a postgresql:// URL");
    return postgresAdapter(url, { forMigrations: true });
  },
});
