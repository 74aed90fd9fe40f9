import type { LoaderFunctionArgs } from "@remix-run/node";
import { rosterTemplate } from "~/hr/roster-template.server";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { clientIp } from "~/platform/request.server";
import { langFromRequest } from "~/utils/i18n";

// The roster template (XLSX) for whoever may import rosters.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireAuthorized(user, "staff.manage", null, { ip: clientIp(context) });
  return new Response(Buffer.from(rosterTemplate(langFromRequest(request))), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": 'attachment; filename="mau-danh-sach-can-bo.xlsx"',
      "Cache-Control": "no-store",
    },
  });
}
