import { databaseHealth } from "~/platform/health.server";

export async function loader() {
  const database = await databaseHealth();
  return Response.json(
    { status: database.ok ? "ok" : "error", database, time: new Date().toISOString() },
    { status: database.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
