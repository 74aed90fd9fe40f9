// Loads a certificate for an HR officer who manages its unit, or answers 404 (403 for people
// who manage no certificates at all).
import type { AppLoadContext } from "@remix-run/node";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { findCertificate } from "~/certificates/lookup.server";
import { clientIp, notFound } from "~/platform/request.server";

export async function requireManagedCertificate(request: Request, context: AppLoadContext, code: string | undefined) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "certificate.manage", null, { ip });
  const cert = await findCertificate(code ?? "");
  if (!cert) throw notFound();
  await requireAuthorized(user, "certificate.manage", cert.orgUnit, { ip });
  return { user, ip, cert };
}
