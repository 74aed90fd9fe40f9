import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { safeRedirectTo } from "~/identity/auth.server";
import { ssoEnabled, startSsoSignIn } from "~/identity/sso.server";

/** Sends the browser to the province's identity provider (single sign-on). */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!ssoEnabled) throw new Response("Not Found", { status: 404 });
  const redirectTo = safeRedirectTo(new URL(request.url).searchParams.get("redirectTo"));
  try {
    const { url, cookie } = await startSsoSignIn(redirectTo);
    return redirect(url, { headers: { "Set-Cookie": cookie, "Cache-Control": "no-store" } });
  } catch (error) {
    console.error(`[kns:sso] the identity provider cannot be reached: ${(error as Error).message}`);
    return redirect("/login?sso=unavailable");
  }
}
