// Passkeys and security keys (WebAuthn, through @simplewebauthn/server) as a second factor.
// The relying party is the public site: APP_URL's host name and origin, never a request's Host.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL, isoUint8Array } from "@simplewebauthn/server/helpers";
import type { SessionUser } from "~/identity/auth.server";
import { secretHash } from "~/identity/account-secrets.server";
import {
  consumeChallenge,
  deletePasskey,
  findChallenge,
  findPasskeyByCredential,
  insertChallenge,
  insertPasskey,
  listPasskeyCredentials,
  markSessionSecondFactor,
  recordPasskeyUse,
  setChallengeValue,
} from "~/identity/second-factor.data.server";
import { finishSignIn, securityOverview, type PendingSignIn, type RemoveResult } from "~/identity/second-factor.server";
import { audit } from "~/platform/audit.server";
import { publicOrigin } from "~/platform/env.server";
import { limits, recordFailure } from "~/platform/rate-limit.server";

const RP_NAME = "Kỹ Năng Số";
const TIMEOUT_MS = 120_000;
const SETUP_MINUTES = 10;

const origin = () => publicOrigin();
const rpID = () => new URL(publicOrigin()).hostname;
const transportsOf = (stored: string) => (stored ? (stored.split(",") as AuthenticatorTransportFuture[]) : undefined);
type AuthenticatorTransportFuture = NonNullable<RegistrationResponseJSON["response"]["transports"]>[number];

// A registration's challenge is kept against the session that asked for it.
const setupKey = (sessionId: string) => secretHash(`passkey-setup:${sessionId}`);

/** Options for the browser to create a passkey for this person (their existing ones excluded). */
export async function passkeyRegistrationOptions(user: SessionUser, sessionId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await listPasskeyCredentials(user.id);
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rpID(),
    userName: user.email,
    userDisplayName: user.fullName,
    userID: isoUint8Array.fromUTF8String(`kns-user-${user.id}`),
    attestationType: "none",
    timeout: TIMEOUT_MS,
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: transportsOf(c.transports) })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  const tokenHash = setupKey(sessionId);
  await consumeExisting(tokenHash);
  await insertChallenge({ userId: user.id, purpose: "passkey-setup", tokenHash, remember: false, expiresAt: new Date(Date.now() + SETUP_MINUTES * 60_000), challenge: options.challenge });
  return options;
}

async function consumeExisting(tokenHash: string) {
  const old = await findChallenge(tokenHash, "passkey-setup", new Date(0));
  if (old) await consumeChallenge(old.id);
}

export type PasskeyAddResult = { ok: true } | { ok: false; error: "failed" | "expired" };

/** Verifies what the browser created and keeps the passkey; this session now counts as confirmed by it. */
export async function addPasskey(user: SessionUser, sessionId: string, response: unknown, name: string, ip: string): Promise<PasskeyAddResult> {
  const challenge = await findChallenge(setupKey(sessionId), "passkey-setup", new Date());
  if (!challenge || challenge.userId !== user.id || !(await consumeChallenge(challenge.id))) return { ok: false, error: "expired" };
  let info;
  try {
    const verification = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge.challenge,
      expectedOrigin: origin(),
      expectedRPID: rpID(),
      requireUserVerification: false,
    });
    if (!verification.verified) return { ok: false, error: "failed" };
    info = verification.registrationInfo;
  } catch {
    // A malformed response, another site's, or a replayed challenge.
    await audit({ action: "auth.passkey_add", outcome: "failed", actorId: user.id, orgUnitId: user.orgUnitId, ip });
    return { ok: false, error: "failed" };
  }
  const { credential } = info;
  if (await findPasskeyByCredential(credential.id)) return { ok: false, error: "failed" };
  await insertPasskey({
    userId: user.id,
    credentialId: credential.id,
    publicKey: isoBase64URL.fromBuffer(credential.publicKey),
    counter: credential.counter,
    transports: (credential.transports ?? []).join(","),
    name,
  });
  await markSessionSecondFactor(sessionId, "passkey");
  await audit({ action: "auth.passkey_add", actorId: user.id, orgUnitId: user.orgUnitId, ip, detail: { name } });
  return { ok: true };
}

/** Removes one passkey; the caller has checked the password was just typed. */
export async function removePasskey(user: SessionUser, passkeyId: number, ip: string): Promise<RemoveResult | { ok: false; error: "notFound" }> {
  const { passkeys, totp, required } = await securityOverview(user);
  if (!passkeys.some((p) => p.id === passkeyId)) return { ok: false, error: "notFound" };
  if (required && !totp && passkeys.length === 1) return { ok: false, error: "lastRequired" };
  if (!(await deletePasskey(user.id, passkeyId))) return { ok: false, error: "notFound" };
  await audit({ action: "auth.passkey_remove", actorId: user.id, orgUnitId: user.orgUnitId, ip, detail: { passkeyId } });
  return { ok: true };
}

// ---------------------------------------------------------------------------------------
// Signing in

/** Options for the browser to sign the pending sign-in with one of the person's passkeys; null when they have none. */
export async function passkeySignInOptions(pending: PendingSignIn): Promise<PublicKeyCredentialRequestOptionsJSON | null> {
  const credentials = await listPasskeyCredentials(pending.userId);
  if (credentials.length === 0) return null;
  const options = await generateAuthenticationOptions({
    rpID: rpID(),
    timeout: TIMEOUT_MS,
    userVerification: "preferred",
    allowCredentials: credentials.map((c) => ({ id: c.credentialId, transports: transportsOf(c.transports) })),
  });
  await setChallengeValue(pending.id, options.challenge);
  return options;
}

export type PasskeySignInResult = { ok: true; cookies: string[] } | { ok: false; error: "failed" | "expired" } | { ok: false; error: "throttled"; minutes: number };

/** Finishes the pending sign-in with a passkey's signature over the challenge just issued. */
export async function finishWithPasskey(pending: PendingSignIn, response: unknown, ip: string): Promise<PasskeySignInResult> {
  const wait = await recordFailure(limits.secondFactor, String(pending.userId));
  if (wait > 0) return { ok: false, error: "throttled", minutes: Math.ceil(wait / 60) };
  const body = response as AuthenticationResponseJSON;
  // The library checks the signature against the key it is given: the key must be this person's.
  const stored = typeof body?.id === "string" ? await findPasskeyByCredential(body.id) : null;
  if (!stored || stored.userId !== pending.userId || !pending.challenge) return failed(pending, ip);
  let newCounter: number;
  try {
    const verification = await verifyAuthenticationResponse({
      response: body,
      expectedChallenge: pending.challenge,
      expectedOrigin: origin(),
      expectedRPID: rpID(),
      requireUserVerification: false,
      credential: { id: stored.credentialId, publicKey: isoBase64URL.toBuffer(stored.publicKey), counter: stored.counter, transports: transportsOf(stored.transports) },
    });
    if (!verification.verified) return failed(pending, ip);
    newCounter = verification.authenticationInfo.newCounter;
  } catch {
    return failed(pending, ip);
  }
  await recordPasskeyUse(stored.id, newCounter, new Date());
  const done = await finishSignIn(pending, "passkey", ip);
  return done.ok ? { ok: true, cookies: done.cookies } : done;
}

async function failed(pending: PendingSignIn, ip: string): Promise<PasskeySignInResult> {
  await audit({ action: "auth.second_step", outcome: "failed", actorId: pending.userId, orgUnitId: pending.user.orgUnitId, ip, detail: { method: "passkey" } });
  return { ok: false, error: "failed" };
}
