import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireManagedCertificate } from "~/certificates/certificate-access.server";
import { certificatePdfResponse } from "~/certificates/certificate-pdf.server";

/** Any certificate within the HR officer's units as a PDF (revoked ones carry the mark). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { cert } = await requireManagedCertificate(request, context, params.code);
  return certificatePdfResponse(cert);
}
