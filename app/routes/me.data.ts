import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/identity/auth.server";
import { personalData } from "~/identity/personal-data.data.server";
import { renderPersonalDataPdf } from "~/identity/personal-data-pdf.server";
import { audit } from "~/platform/audit.server";
import { clientIp } from "~/platform/request.server";

// The person's own data as JSON: what the system keeps about them (profile, sign-in factors
// named but never their secrets, learning, certificates, mail, their recent actions).
// `?format=pdf` gives the same as a readable PDF.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const pdf = new URL(request.url).searchParams.get("format") === "pdf";
  const found = await personalData(user.id);
  await audit({ action: "personal_data.export", actorId: user.id, ip: clientIp(context), detail: { format: pdf ? "pdf" : "json" } });
  if (pdf) {
    const bytes = await renderPersonalDataPdf(found);
    return new Response(new Uint8Array(bytes), {
      headers: { "Content-Type": "application/pdf", "Content-Disposition": 'attachment; filename="du-lieu-ca-nhan.pdf"', "Cache-Control": "no-store" },
    });
  }
  const data = { exportedAt: new Date().toISOString(), ...found };
  return new Response(JSON.stringify(data, null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": 'attachment; filename="du-lieu-ca-nhan.json"', "Cache-Control": "no-store" },
  });
}
