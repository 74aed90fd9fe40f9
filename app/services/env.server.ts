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
  /** Set when the app runs behind a reverse proxy that sets X-Forwarded-For. */
  TRUST_PROXY: z
    .enum(["0", "1", "true", "false"])
    .default("0")
    .transform((v) => v === "1" || v === "true"),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
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
