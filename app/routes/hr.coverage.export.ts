import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/identity/auth.server";
import { coverageForRequest, coverageTable } from "~/hr/coverage-request.server";
import { clientIp } from "~/platform/request.server";
import { tableDownload } from "~/hr/spreadsheet.server";
import { NATION_CODE } from "~/hr/hr-scope.server";
import { langFromRequest } from "~/utils/i18n";

// Downloads of the coverage report. /hr/coverage?format=csv|xlsx is served here too
// (server/index.ts forwards it), with exactly the rows the page shows for the same query.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const format = url.searchParams.get("format") === "xlsx" ? "xlsx" : "csv";
  const { unit, report, computedAt } = await coverageForRequest(user, url, clientIp(context), { signal: request.signal });
  const { headers, rows } = coverageTable(report, langFromRequest(request), computedAt);
  const name = unit.code === NATION_CODE ? "toan-quoc" : unit.code;
  return tableDownload(format, `bao-cao-dao-tao-${name}`, name, headers, rows);
}
