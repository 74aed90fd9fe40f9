import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "~/platform/audit.server";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized, unitScopeFilter } from "~/identity/authorize.server";
import { certificatesForZip, zipCertificates } from "~/certificates/bundle.server";
import { asciiName } from "~/utils/text";
import { clientIp } from "~/platform/request.server";
import { parsePeriod } from "~/utils/vietnam-time";

/** Every certificate (any status) of a unit subtree and period, as one ZIP streamed as it is built. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "certificate.manage", null, { ip });
  const params = new URL(request.url).searchParams;
  const unit = (params.get("unit") ?? "").trim().slice(0, 32);
  const fromInput = (params.get("from") ?? "").slice(0, 10);
  const toInput = (params.get("to") ?? "").slice(0, 10);
  const back = (error: string) => redirect(`/hr/certificates?${new URLSearchParams({ unit, from: fromInput, to: toInput, zipError: error })}`);
  if (!unit) return back("unitRequired");
  if (!fromInput || !toInput) return back("periodRequired");
  const period = parsePeriod(fromInput, toInput);
  if (period.error || !period.from || !period.to) return back("periodInvalid");
  const found = await certificatesForZip(unitScopeFilter(user, "certificate.manage"), unit, period.from, period.to);
  if (!found) return back("unitNotFound");
  if (found.tooMany) return back("tooMany");
  if (found.certificates.length === 0) return back("none");
  await audit({
    action: "certificate.zip",
    actorId: user.id,
    orgUnitId: found.unit.id,
    ip,
    detail: { unit: found.unit.code, from: fromInput, to: toInput, count: found.certificates.length },
  });
  const name = `chung-nhan_${asciiName(found.unit.code, "don-vi")}_${fromInput}_${toInput}.zip`;
  return new Response(zipCertificates(found.certificates), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
