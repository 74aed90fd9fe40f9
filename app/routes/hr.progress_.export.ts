import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/identity/auth.server";
import { followUpRequest, followUpTable } from "~/hr/progress.server";
import { tableDownload } from "~/hr/spreadsheet.server";
import { NATION_CODE } from "~/hr/hr-scope.server";
import { clientIp } from "~/platform/request.server";
import { langFromRequest } from "~/utils/i18n";

// Downloads of the follow-up list: /hr/progress?format=csv|xlsx is served here (server/index.ts
// forwards it), with every row the page's filters select, in the page's order.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const format = url.searchParams.get("format") === "xlsx" ? "xlsx" : "csv";
  const { unit, course, query } = await followUpRequest(user, url, clientIp(context));
  const { headers, rows } = await followUpTable(query, langFromRequest(request));
  const name = unit.code === NATION_CODE ? "toan-quoc" : unit.code;
  return tableDownload(format, `theo-doi-${course?.slug ?? "moi-khoa-hoc"}-${name}${query.status ? `-${query.status}` : ""}`, name, headers, rows);
}
