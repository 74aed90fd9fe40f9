// A sign-in whose password was right but whose second factor is still to come: the browser
// holds a random token in a short-lived cookie and the database only its hash, with the person
// and the "remember me" choice. No session exists until the second step succeeds.
import { newLinkSecret, secretHash } from "~/identity/account-secrets.server";
import { findChallenge, insertChallenge, type ChallengePurpose } from "~/identity/second-factor.data.server";
import { stepCookie } from "~/platform/step-cookie.server";

const cookie = stepCookie("kns_second_step");
/** Time to open the authenticator app or find the security key. */
export const SECOND_STEP_MINUTES = 10;

/** Records a sign-in waiting for its second step; returns the cookie that carries it. */
export async function beginSecondStep(userId: number, remember: boolean, purpose: ChallengePurpose = "sign-in"): Promise<string> {
  const token = newLinkSecret();
  await insertChallenge({ userId, purpose, tokenHash: secretHash(token), remember, expiresAt: new Date(Date.now() + SECOND_STEP_MINUTES * 60_000) });
  return cookie.set(token, SECOND_STEP_MINUTES * 60);
}

export const clearSecondStepCookie = () => cookie.clear();

/** The sign-in this browser is in the middle of, or null (none, expired, or a forged cookie). */
export async function pendingSecondStep(request: Request, purpose: ChallengePurpose = "sign-in") {
  const token = cookie.read(request);
  if (!token || token.length > 64) return null;
  const found = await findChallenge(secretHash(token), purpose, new Date());
  return found && found.user.active && !found.user.lockedAt ? found : null;
}
