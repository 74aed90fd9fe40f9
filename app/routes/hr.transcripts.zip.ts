import type { LoaderFunctionArgs } from "@remix-run/node";
import { hrUnit } from "~/hr/hr-scope.server";
import { requireUser } from "~/identity/auth.server";
import { TRANSCRIPT_ZIP_LIMIT, unitTranscripts } from "~/learning/transcript.server";
import { clientIp } from "~/platform/request.server";
import { getT, langFromRequest } from "~/utils/i18n";

// The transcripts of a unit's people (PDFs in one ZIP), for HR in scope: ?unit=<code>.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  const unit = await hrUnit(user, "staff.view", new URL(request.url).searchParams.get("unit"), ip);
  const zip = await unitTranscripts(user, unit, ip);
  if (zip) return zip;
  const t = getT(langFromRequest(request));
  return new Response(t("hr.transcripts.tooMany", { limit: TRANSCRIPT_ZIP_LIMIT.toLocaleString("vi-VN") }), { status: 413, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
