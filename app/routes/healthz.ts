import { checkDatabase, dbProvider } from "~/platform/db.server";

export async function loader() {
  const database = await checkDatabase();
  return Response.json(
    { status: database ? "ok" : "error", database: { ok: database, provider: dbProvider }, time: new Date().toISOString() },
    { status: database ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
