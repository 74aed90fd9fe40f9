import path from "node:path";

/** Which database the integration suite runs on: SQLite by default, PostgreSQL in CI's second pass. */
export const TEST_PROVIDER = process.env.KNS_TEST_DB === "postgres" ? "postgres" : "sqlite";
export const POSTGRES_ADMIN_URL = process.env.KNS_TEST_POSTGRES_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/postgres";
export const TMP_DIR = path.resolve("tests/.tmp");
export const SQLITE_TEMPLATE = path.join(TMP_DIR, "template.db");
export const POSTGRES_TEMPLATE = "kns_test_template";

export function postgresUrl(database: string): string {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}
