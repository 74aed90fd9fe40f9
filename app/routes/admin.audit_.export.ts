import type { LoaderFunctionArgs } from "@remix-run/node";
import { toCsv } from "~/hr/spreadsheet.server";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized, scopePaths } from "~/identity/authorize.server";
import { audit, auditSearchFrom, searchAudit } from "~/platform/audit.server";
import { clientIp } from "~/platform/request.server";

// The audit trail as CSV (/admin/audit?format=csv, forwarded here by server/index.ts): every
// event the page's filters select in the viewer's scope, newest first. The download is audited.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "audit.view", null, { ip });
  const { search } = auditSearchFrom(new URL(request.url).searchParams);
  const { events } = await searchAudit(scopePaths(user, "audit.view"), search, { all: true });
  await audit({ action: "audit.export", actorId: user.id, ip, detail: { rows: events.length } });
  const headers = ["id", "at", "action", "outcome", "actor", "actorEmail", "unit", "targetType", "targetId", "ip", "detail"];
  const rows = events.map((e) => [
    e.id,
    e.at.toISOString(),
    e.action,
    e.outcome,
    e.actor?.fullName ?? "",
    e.actor?.email ?? "",
    e.orgUnit?.code ?? "",
    e.targetType ?? "",
    e.targetId ?? "",
    e.ip ?? "",
    e.detail,
  ]);
  return new Response(toCsv(headers, rows), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="nhat-ky-kiem-toan.csv"', "Cache-Control": "no-store" },
  });
}
