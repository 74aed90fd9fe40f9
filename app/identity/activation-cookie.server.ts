// The secret of an activation or reset link travels in the URL only once: /activate/<secret>
// puts it in this short-lived cookie and redirects to /activate, so the
// secret leaves no trace in the address bar, the browser history or a Referer header. It is
// cleared once the password is set.
import { stepCookie } from "~/platform/step-cookie.server";

// Path=/ (as every step cookie): Remix posts the form to /activate.data, which a Path=/activate cookie would miss.
const cookie = stepCookie("kns_activate", { prefix: "__Secure-" });
const MAX_AGE = 30 * 60;

export const activationCookie = (secret: string) => cookie.set(encodeURIComponent(secret), MAX_AGE);
export const clearActivationCookie = () => cookie.clear();

export function activationSecretOf(request: Request): string | null {
  const raw = cookie.read(request);
  if (!raw || raw.length > 200) return null;
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return value && value.length <= 64 ? value : null;
}
