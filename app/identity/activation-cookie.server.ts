// The secret of an activation or reset link travels in the URL only once: /activate/<secret>
// puts it in this short-lived cookie and redirects to /activate, so the
// secret leaves no trace in the address bar, the browser history or a Referer header. It is
// cleared once the password is set.
import { env } from "~/platform/env.server";

const NAME = env.NODE_ENV === "production" ? "__Secure-kns_activate" : "kns_activate";
const MAX_AGE = 30 * 60;

function serialise(value: string, maxAge: number): string {
  const secure = env.NODE_ENV === "production" ? "; Secure" : "";
  // Path=/ because Remix posts the form to /activate.data, which a Path=/activate cookie misses.
  return `${NAME}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAge}${secure}`;
}

export const activationCookie = (secret: string) => serialise(encodeURIComponent(secret), MAX_AGE);
export const clearActivationCookie = () => serialise("", 0);

export function activationSecretOf(request: Request): string | null {
  const pair = (request.headers.get("Cookie") ?? "").split(/;\s*/).find((c) => c.startsWith(`${NAME}=`));
  const value = pair ? decodeURIComponent(pair.slice(NAME.length + 1)) : "";
  return value && value.length <= 64 ? value : null;
}
