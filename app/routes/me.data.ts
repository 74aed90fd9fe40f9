import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/identity/auth.server";
import { personalData } from "~/identity/personal-data.data.server";
import { audit } from "~/platform/audit.server";
import { clientIp } from "~/platform/request.server";

// The person's own data as JSON: what the system keeps about them (profile, sign-in factors
// named but never their secrets, learning, certificates, mail, their recent actions).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = { exportedAt: new Date().toISOString(), ...(await personalData(user.id)) };
  await audit({ action: "personal_data.export", actorId: user.id, ip: clientIp(context) });
  return new Response(JSON.stringify(data, null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Content-Disposition": 'attachment; filename="du-lieu-ca-nhan.json"', "Cache-Control": "no-store" },
  });
}
