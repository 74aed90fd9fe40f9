import type { LoaderFunctionArgs } from "@remix-run/node";
import { hoursForRequest, hoursTable } from "~/hr/hours-request.server";
import { toCsv, toXlsx } from "~/hr/spreadsheet.server";
import { requireUser } from "~/identity/auth.server";
import { clientIp } from "~/platform/request.server";
import { langFromRequest } from "~/utils/i18n";

// /hr/hours?format=csv|xlsx (forwarded here by server/index.ts): everyone of the unit's subtree
// with their hours this year against their requirement.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const format = url.searchParams.get("format") === "xlsx" ? "xlsx" : "csv";
  const { unit, report } = await hoursForRequest(user, url, clientIp(context));
  const { headers, rows } = hoursTable(report, langFromRequest(request));
  const file = `gio-boi-duong-${unit.code}-${report.year}.${format}`;
  const common = { "Content-Disposition": `attachment; filename="${file}"`, "Cache-Control": "no-store" };
  if (format === "csv") return new Response(toCsv(headers, rows), { headers: { ...common, "Content-Type": "text/csv; charset=utf-8" } });
  return new Response(Buffer.from(toXlsx(unit.code, headers, rows)), { headers: { ...common, "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } });
}
