import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { activationCookie } from "~/identity/activation-cookie.server";
import { secretFromInput } from "~/identity/activation.server";

// The link in an activation or reset mail: the secret moves into a cookie at once (see
// activation-cookie.server.ts); /activate checks it.
export async function loader({ params }: LoaderFunctionArgs) {
  const secret = secretFromInput(params.secret ?? "");
  return redirect(secret ? "/activate" : "/activate?invalid=1", secret ? { headers: { "Set-Cookie": activationCookie(secret) } } : undefined);
}
