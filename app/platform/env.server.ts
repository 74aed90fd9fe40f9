import { z } from "zod";

// The environment is read once at start-up; each problem gets its own clear line.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .default("file:./data/kynangso.db")
    .refine((v) => v.startsWith("file:") || /^postgres(ql)?:\/\//.test(v), {
      message: "must be a SQLite file URL (file:./data/kynangso.db) or a postgresql:// URL",
    }),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Public origin of the site, e.g. https://kynangso.example.gov.vn; used for links in QR codes and emails. */
  APP_URL: z.string().url().optional(),
  /** Name of the authority printed on certificates. */
  ISSUING_AUTHORITY: z.string().min(1).default("Sở Nội vụ"),
  /** Days before a certificate expires when its holder is enrolled again (`npm run kns -- renewals`). */
  RENEWAL_LEAD_DAYS: z.coerce.number().int().min(0).max(366).default(30),
  /** How often each app process runs renewals and reminders (scheduled-jobs.server.ts); 0: never. */
  JOBS_EVERY_MINUTES: z.coerce
    .number()
    .min(0)
    .max(24 * 60)
    .refine((m) => m === 0 || m >= 0.01, { message: "must be 0 (off) or at least 0.01 minutes" })
    .default(60),
  /**
   * How many reverse proxies stand in front of the app and append to X-Forwarded-For (0: none).
   * The client is the address the outermost trusted proxy saw: that many entries from the right,
   * never an entry the client wrote itself. "true" means 1.
   */
  TRUST_PROXY: z
    .string()
    .regex(/^(\d|true|false)$/, "must be the number of trusted proxies (0-9)")
    .default("0")
    .transform((v) => (v === "true" ? 1 : v === "false" ? 0 : Number(v))),
  /** SMTP server for reminders, e.g. smtp://user:pass@mail.example.gov.vn:587; unset: outbox only. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** A session unused for this long ends (sliding expiry, see auth.server.ts). */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(2).max(24 * 60).default(60),
  /** A session of an HR officer or administrator unused this long is ended. */
  SESSION_IDLE_MINUTES_STAFF: z.coerce.number().int().min(2).max(24 * 60).default(30),
  /** A session ends this long after sign-in, however active it is. */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
  /** How long an activation link or letter code stays usable. */
  ACTIVATION_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  /** How long a password-reset link stays usable. */
  PASSWORD_RESET_MINUTES: z.coerce.number().int().min(5).max(24 * 60).default(60),
  /** Sign-in with a local password: "on" (default), or "off" for deployments that sign in only through OIDC. */
  PASSWORD_SIGN_IN: z.enum(["on", "off"]).default("on"),
  /** The province's OpenID Connect identity provider (issuer URL); unset: no single sign-on. */
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Which roster field the identity provider's claim names: the e-mail address or the employee code. */
  OIDC_MATCH: z.enum(["email", "employee_code"]).default("email"),
  /** The claim that carries it (default: "email", or "employee_code" when OIDC_MATCH is employee_code). */
  OIDC_CLAIM: z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/).optional(),
  /** The identity provider's name on the sign-in button, e.g. "VNPT-IDP" or "Keycloak của tỉnh". */
  OIDC_NAME: z.string().min(1).max(60).default("OpenID Connect"),
  /**
   * Who must confirm sign-in with a second factor (an authenticator app or a passkey): "staff"
   * (HR officers and administrators; the default) or "optional" (anyone may, nobody must).
   */
  SECOND_FACTOR: z.enum(["staff", "optional"]).default("staff"),
  /** Longest a lesson may take to check and compile (in a worker thread) before it is refused as too complex. */
  /** The deployment's signing identity for certificate PDFs (PKCS#12) and its passphrase; unset: PDFs are not signed. */
  SIGNING_P12_FILE: z.string().min(1).optional(),
  SIGNING_P12_PASSPHRASE: z.string().optional(),
  /** Audit events older than this many days are deleted by the scheduled jobs; 0 keeps them all. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(1_825),
  MDX_DEADLINE_SECONDS: z.coerce.number().min(0.1).max(120).default(15),
  /**
   * "required": a trainer's publish becomes a request that another editor of the course (a
   * trainer or an administrator in scope, never the requester) approves; "off" (default): trainers publish.
   */
  COURSE_REVIEW: z.enum(["off", "required"]).default("off"),
})
  .refine((e) => e.NODE_ENV !== "production" || e.APP_URL, {
    path: ["APP_URL"],
    message: "is required in production (e.g. https://kynangso.tinh.gov.vn): links in certificates and e-mail name it, never the Host header",
  })
  .refine((e) => !(e.SMTP_URL && !e.APP_URL), {
    path: ["APP_URL"],
    message: "is required when SMTP_URL is set: links in e-mail must name the public site",
  })
  .refine((e) => !e.OIDC_ISSUER || (e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET), {
    path: ["OIDC_CLIENT_ID"],
    message: "and OIDC_CLIENT_SECRET are required when OIDC_ISSUER is set",
  })
  .refine((e) => !e.OIDC_ISSUER || e.APP_URL, {
    path: ["APP_URL"],
    message: "is required when OIDC_ISSUER is set: the identity provider returns people to it",
  })
  .refine((e) => e.PASSWORD_SIGN_IN === "on" || e.OIDC_ISSUER, {
    path: ["PASSWORD_SIGN_IN"],
    message: 'may be "off" only when OIDC_ISSUER is set: nobody could sign in otherwise',
  });

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  // "NAME=" in an environment file means unset, as it does for systemd and Docker users.
  const result = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const env = parseEnv(process.env);

/**
 * The site's public origin for links that leave the browser (certificates, e-mail): APP_URL,
 * which production requires; in development and tests, this machine. Never a request's Host.
 */
export function publicOrigin(): string {
  return (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}
