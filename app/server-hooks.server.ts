// What the HTTP server in front of Remix (server/index.ts) takes from the app: the validated
// environment, and the audit trail for requests it refuses before Remix sees them.
import { audit } from "~/platform/audit.server";
import { env } from "~/platform/env.server";
import { auditsAnonymousRefusal } from "~/platform/rate-limit.server";
import { startScheduledJobs } from "~/scheduled-jobs.server";

export type RequestRefusal = { reason: "cross-origin"; ip: string; method: string; path: string; origin: string | null };

export const serverHooks = {
  appUrl: env.APP_URL,
  startScheduledJobs,
  /** Opens the signing key when one is configured, so a wrong file or passphrase stops the start. */
  async checkSigning(): Promise<void> {
    if (!env.SIGNING_P12_FILE) return;
    const { signingIdentity } = await import("~/certificates/pdf-signing.server");
    signingIdentity();
  },
  async auditRefusal(refusal: RequestRefusal): Promise<void> {
    const { reason, ip, ...detail } = refusal;
    if (!(await auditsAnonymousRefusal(ip))) return;
    await audit({ action: "request.refused", outcome: "denied", ip, detail: { reason, ...detail } });
  },
};

export type ServerHooks = typeof serverHooks;
