// The first administrator of a production install, created from the command line (everyone
// else is then created or activated through the web pages). With a password typed on the
// terminal, or without one: a one-time activation link is printed instead.
import { audit } from "~/platform/audit.server";
import { env } from "~/platform/env.server";
import { newLinkSecret, secretHash } from "~/identity/account-secrets.server";
import { replaceTokens } from "~/identity/account-tokens.data.server";
import { activationLink } from "~/identity/activation.server";
import { hashPassword, isStrongPassword } from "~/identity/auth.server";
import { accountExists, createAdministrator } from "~/identity/users.data.server";

export type CreateAdminResult =
  | { ok: true; userId: number; link: string | null }
  | { ok: false; error: "invalidEmail" | "exists" | "tooWeak" | "mismatch" };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const isAdminEmail = (email: string) => EMAIL.test(email) && email.length <= 254;

export async function checkNewAdministrator(email: string): Promise<"invalidEmail" | "exists" | null> {
  if (!isAdminEmail(email)) return "invalidEmail";
  return (await accountExists(email)) ? "exists" : null;
}

export async function createFirstAdministrator(input: {
  email: string;
  fullName: string;
  unit: { id: number; code: string };
  password: { value: string; confirm: string } | null;
}): Promise<CreateAdminResult> {
  const email = input.email.trim().toLowerCase();
  const problem = await checkNewAdministrator(email);
  if (problem) return { ok: false, error: problem };
  if (input.password) {
    if (input.password.value !== input.password.confirm) return { ok: false, error: "mismatch" };
    if (!isStrongPassword(input.password.value)) return { ok: false, error: "tooWeak" };
  }
  const created = await createAdministrator({
    email,
    fullName: input.fullName.normalize("NFC").trim() || email,
    orgUnitId: input.unit.id,
    passwordHash: input.password ? await hashPassword(input.password.value) : null,
  });
  if (!created) return { ok: false, error: "exists" };
  let link: string | null = null;
  if (!input.password) {
    const secret = newLinkSecret();
    await replaceTokens("activation", "mail", [{ userId: created.id, tokenHash: secretHash(secret), expiresAt: new Date(Date.now() + env.ACTIVATION_DAYS * 86_400_000) }], null);
    link = activationLink(secret);
  }
  await audit({ action: "admin.create", orgUnitId: input.unit.id, targetType: "user", targetId: created.id, detail: { email, via: "command line", unit: input.unit.code, withLink: !input.password } });
  return { ok: true, userId: created.id, link };
}
