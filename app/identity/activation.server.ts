// How people imported from a roster get into their account, and how anyone gets back in after
// forgetting a password: a single-use link by mail, or a code on a printed letter, opens
// /activate, where the person sets a password under the current rules and is signed in.
// Nothing here logs or returns a secret except to the one who carries it to its recipient (the
// mail, or the letters PDF handed to the HR officer who prints them).
import { audit } from "~/platform/audit.server";
import { env, publicOrigin } from "~/platform/env.server";
import { nextTurn } from "~/platform/concurrency.server";
import { mailIsDelivered, queueMail } from "~/platform/mail.server";
import { blockedFor, limits, recordFailure } from "~/platform/rate-limit.server";
import { newLetterCode, newLinkSecret, normaliseLetterCode, secretHash } from "~/identity/account-secrets.server";
import {
  findUsableToken,
  notYetActivated,
  notYetActivatedPages,
  redeemToken,
  replaceTokens,
  resettableAccount,
  type TokenChannel,
  type TokenPurpose,
} from "~/identity/account-tokens.data.server";
import { hashPassword, isStrongPassword, startSession, type SessionUser } from "~/identity/auth.server";
import { authorize } from "~/identity/authorize.server";
import { getT, isLang, type Lang } from "~/utils/i18n";
import { subtreesOf } from "~/utils/org-units";

const DAY_MS = 86_400_000;

/** The link a secret opens. The secret sits in the path: /activate/<secret> exchanges it at once. */
export const activationLink = (secret: string) => `${publicOrigin()}/activate/${secret}`;

type Recipient = { id: number; email: string; fullName: string; locale: string | null };

function mailFor(kind: TokenPurpose, person: Recipient, secret: string) {
  const lang: Lang = isLang(person.locale) ? person.locale : "vi";
  const t = getT(lang);
  const prefix = kind === "activation" ? "activationMail" : "resetMail";
  const values = { name: person.fullName, link: activationLink(secret), days: env.ACTIVATION_DAYS, minutes: env.PASSWORD_RESET_MINUTES };
  return {
    to: person.email,
    subject: t(`${prefix}.subject`),
    text: [t(`${prefix}.greeting`, values), "", t(`${prefix}.body`, values), "", values.link, "", t(`${prefix}.expiry`, values), "", t(`${prefix}.ignore`), "", t("app.name")].join("\n"),
    sensitive: true,
  };
}

export type ActivationTarget = { unit: { id: number; path: string }; userIds: number[] | null };

/**
 * Mails a fresh activation link to every person of the unit's subtree (or of the selection in
 * it) who has never activated the account and is not locked. Queued: returns once the mail is
 * in the outbox, whatever the number.
 */
export async function sendActivationMail(actor: SessionUser, target: ActivationTarget, ip: string, now = new Date()) {
  if (!authorize(actor, "staff.manage", target.unit)) return { ok: false as const, error: "notFound" as const };
  if (!mailIsDelivered()) return { ok: false as const, error: "noMail" as const };
  const expiresAt = new Date(now.getTime() + env.ACTIVATION_DAYS * DAY_MS);
  let sent = 0;
  // A page of people at a time, the event loop free between two: a province's 40,000 people
  // never hold up the pages other people are reading.
  for await (const people of notYetActivatedPages(subtreesOf([target.unit.path]), target.userIds, 1000)) {
    const secrets = people.map(() => newLinkSecret());
    await replaceTokens("activation", "mail", people.map((p, i) => ({ userId: p.id, tokenHash: secretHash(secrets[i]), expiresAt })), actor.id, now);
    await queueMail(people.map((p, i) => mailFor("activation", p, secrets[i])), now);
    sent += people.length;
    await nextTurn();
  }
  await audit({ action: "account.activation_mail", actorId: actor.id, orgUnitId: target.unit.id, ip, detail: { people: sent, selection: target.userIds !== null } });
  return { ok: true as const, sent };
}

export type ActivationLetter = { fullName: string; email: string; position: string; unitName: string; code: string; expiresAt: Date };

/**
 * Activation letters for offices without reliable mail: a new one-time code for each person of
 * the unit's subtree who has never activated the account (earlier codes and links stop working).
 */
export async function prepareActivationLetters(actor: SessionUser, target: ActivationTarget, ip: string, now = new Date()) {
  if (!authorize(actor, "staff.manage", target.unit)) return null;
  const people = await notYetActivated(subtreesOf([target.unit.path]), target.userIds);
  const expiresAt = new Date(now.getTime() + env.ACTIVATION_DAYS * DAY_MS);
  const codes = people.map(() => newLetterCode());
  await replaceTokens("activation", "letter", people.map((p, i) => ({ userId: p.id, tokenHash: secretHash(codes[i]), expiresAt })), actor.id, now);
  await audit({ action: "account.activation_letters", actorId: actor.id, orgUnitId: target.unit.id, ip, detail: { people: people.length } });
  return people.map<ActivationLetter>((p, i) => ({ fullName: p.fullName, email: p.email, position: p.position, unitName: p.orgUnit.nameVi, code: codes[i], expiresAt }));
}

/**
 * "Forgot password": mails a short-lived link when the address belongs to an active account.
 * The answer is the same either way; attempts are limited per address and per IP address, and
 * past the limit nothing is sent.
 */
export async function requestPasswordReset(emailInput: string, ip: string, now = new Date()): Promise<void> {
  const email = emailInput.trim().toLowerCase();
  const ipRetry = await recordFailure(limits.resetIp, ip);
  const addressRetry = await recordFailure(limits.resetAccount, email);
  if (ipRetry > 0 || addressRetry > 0) {
    await audit({ action: "account.reset_requested", outcome: "denied", ip, detail: { reason: "throttled" } });
    return;
  }
  const person = await resettableAccount(email);
  if (!person || !mailIsDelivered()) {
    await audit({ action: "account.reset_requested", outcome: "failed", ip, detail: { reason: person ? "no_mail" : "unknown" } });
    return;
  }
  const secret = newLinkSecret();
  const expiresAt = new Date(now.getTime() + env.PASSWORD_RESET_MINUTES * 60_000);
  await replaceTokens("reset", "mail", [{ userId: person.id, tokenHash: secretHash(secret), expiresAt }], null, now);
  await queueMail([mailFor("reset", person, secret)], now);
  await audit({ action: "account.reset_requested", actorId: person.id, orgUnitId: person.orgUnitId, ip });
}

/** A secret as it reaches /activate: a link's secret, or a letter's code as typed. */
export function secretFromInput(input: string): string | null {
  const trimmed = input.trim();
  if (/^[A-Za-z0-9_-]{43}$/.test(trimmed)) return trimmed;
  return normaliseLetterCode(trimmed);
}

/** The usable token behind a secret, counting a miss against the address (guessing letter codes). */
async function usableToken(secret: string, ip: string) {
  const wait = await blockedFor(limits.activationIp, ip);
  if (wait > 0) return { ok: false as const, error: "throttled" as const, minutes: Math.ceil(wait / 60) };
  const token = await findUsableToken(secretHash(secret));
  if (!token) {
    const retry = await recordFailure(limits.activationIp, ip);
    await audit({ action: "account.activate", outcome: "failed", ip, detail: { reason: "invalid_secret" } });
    return retry > 0 ? { ok: false as const, error: "throttled" as const, minutes: Math.ceil(retry / 60) } : { ok: false as const, error: "invalid" as const };
  }
  return { ok: true as const, token };
}

/** Who a secret belongs to, when it is still usable (shown on /activate before the password is set). */
export async function accountForSecret(secret: string, ip: string) {
  const found = await usableToken(secret, ip);
  if (!found.ok) return found;
  return { ok: true as const, purpose: found.token.purpose, fullName: found.token.user.fullName, email: found.token.user.email };
}

export type ActivationResult =
  | { ok: true; cookie: string }
  | { ok: false; error: "invalid" | "tooWeak" | "mismatch" }
  | { ok: false; error: "throttled"; minutes: number };

/** Sets the password with a usable secret, once, and signs the person in on this device. */
export async function activateAccount(secret: string, input: { password: string; confirm: string }, ip: string): Promise<ActivationResult> {
  const found = await usableToken(secret, ip);
  if (!found.ok) return found;
  if (input.password !== input.confirm) return { ok: false, error: "mismatch" };
  if (!isStrongPassword(input.password)) return { ok: false, error: "tooWeak" };
  const { token } = found;
  // The conditional update inside decides: of parallel requests with this secret, one wins.
  if (!(await redeemToken(token.id, token.user.id, await hashPassword(input.password)))) {
    await audit({ action: "account.activate", outcome: "failed", ip, detail: { reason: "used" } });
    return { ok: false, error: "invalid" };
  }
  await audit({ action: token.purpose === "reset" ? "account.password_reset" : "account.activate", actorId: token.user.id, orgUnitId: token.user.orgUnitId, ip, detail: { channel: channelOf(secret) } });
  return { ok: true, cookie: await startSession(token.user.id) };
}

/** Letter codes are 14 characters ("7KQ2-M9XD-4TRE"), link secrets 43. */
const channelOf = (secret: string): TokenChannel => (secret.length === 14 ? "letter" : "mail");
