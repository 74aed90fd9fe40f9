// The short-lived cookies that carry one step of a flow between two requests (an activation
// secret, a sign-in waiting for its second factor, a single sign-on round trip): HttpOnly, Lax
// (a top-level navigation back from another site carries them), Secure and host-bound in
// production. Each value is opaque to the browser; the caller checks what it reads.
import { env } from "~/platform/env.server";

const production = env.NODE_ENV === "production";

export function stepCookie(baseName: string, { prefix = "__Host-" }: { prefix?: "__Host-" | "__Secure-" } = {}) {
  const name = production ? `${prefix}${baseName}` : baseName;
  const serialise = (value: string, maxAgeSeconds: number) =>
    `${name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${production ? "; Secure" : ""}`;
  return {
    set: (value: string, maxAgeSeconds: number) => serialise(value, maxAgeSeconds),
    clear: () => serialise("", 0),
    /** The cookie's raw value in the request, or null when absent or empty. */
    read(request: Request): string | null {
      const pair = (request.headers.get("Cookie") ?? "").split(/;\s*/).find((c) => c.startsWith(`${name}=`));
      const value = pair?.slice(name.length + 1);
      return value || null;
    },
  };
}
