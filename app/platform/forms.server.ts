import { z } from "zod";

/** Form parsing shared by actions: every failure maps to a translation key per field. */
export type FieldErrors = Record<string, string>;

export function parseForm<T extends z.ZodTypeAny>(
  schema: T,
  form: FormData,
): { ok: true; value: z.infer<T> } | { ok: false; errors: FieldErrors } {
  const raw: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string") raw[k] = v;
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? "_");
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

// Messages are translation keys; the page translates them.
export const text = (max: number) => z.string().trim().min(1, "errors.required").max(max, "errors.tooLong");
export const optionalText = (max: number) => z.string().trim().max(max, "errors.tooLong").default("");
export const email = z.string().trim().toLowerCase().email("errors.invalidEmail").max(254, "errors.tooLong");
/** A checkbox: ticked sends "on", unticked sends nothing. */
export const checkbox = z
  .literal("on", { errorMap: () => ({ message: "errors.badRequest" }) })
  .optional()
  .transform((v) => v === "on");
export const count = z.coerce.number({ message: "errors.invalidNumber" }).int("errors.invalidNumber").min(0, "errors.invalidNumber").max(10_000_000, "errors.invalidNumber");
