import type { LoaderFunctionArgs } from "@remix-run/node";
import { hoursForRequest, hoursTable } from "~/hr/hours-request.server";
import { tableDownload } from "~/hr/spreadsheet.server";
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
  return tableDownload(format, `gio-boi-duong-${unit.code}-${report.year}`, unit.code, headers, rows);
}
