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
  /** Set when the app runs behind a reverse proxy that sets X-Forwarded-For. */
  TRUST_PROXY: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  /** SMTP server for reminders, e.g. smtp://user:pass@mail.example.gov.vn:587; unset: outbox only. */
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().optional(),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** A session unused for this long ends (sliding expiry, see auth.server.ts). */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(2).max(24 * 60).default(60),
  /** A session ends this long after sign-in, however active it is. */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(12),
}).refine((e) => !(e.SMTP_URL && !e.APP_URL), {
  path: ["APP_URL"],
  message: "is required when SMTP_URL is set: links in e-mail must name the public site",
});

export type Env = z.infer<typeof schema>;

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const env = parseEnv(process.env);

/** The site's public origin for links that leave the browser (e-mail): APP_URL, else (no SMTP, mail only in the outbox) this machine. */
export function publicOrigin(): string {
  return (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}
