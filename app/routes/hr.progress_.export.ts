import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/identity/auth.server";
import { followUpRequest, followUpTable } from "~/hr/progress.server";
import { toCsv, toXlsx } from "~/hr/spreadsheet.server";
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
  const file = `theo-doi-${course?.slug ?? "moi-khoa-hoc"}-${name}${query.status ? `-${query.status}` : ""}.${format}`;
  const common = { "Content-Disposition": `attachment; filename="${file}"`, "Cache-Control": "no-store" };
  if (format === "csv") return new Response(toCsv(headers, rows), { headers: { ...common, "Content-Type": "text/csv; charset=utf-8" } });
  return new Response(Buffer.from(toXlsx(name, headers, rows)), {
    headers: { ...common, "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
  });
}
