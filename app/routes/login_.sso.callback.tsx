import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { safeRedirectTo, startSession } from "~/identity/auth.server";
import { clearFlowCookie, finishSsoSignIn, ssoEnabled } from "~/identity/sso.server";
import { clientIp } from "~/platform/request.server";

/** Where the identity provider sends the person back: signed in here, or told why not. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!ssoEnabled) throw new Response("Not Found", { status: 404 });
  const result = await finishSsoSignIn(request, clientIp(context));
  const headers = new Headers({ "Cache-Control": "no-store" });
  headers.append("Set-Cookie", clearFlowCookie());
  if (!result.ok) return redirect(`/login?sso=${result.reason}`, { headers });
  headers.append("Set-Cookie", await startSession(result.userId, { secondFactor: "sso" }));
  return redirect(safeRedirectTo(result.redirectTo), { headers });
}
