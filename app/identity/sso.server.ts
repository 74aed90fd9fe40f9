// Single sign-on through the province's OpenID Connect identity provider (VNPT-IDP, WSO2 Identity
// Server, Keycloak; VNeID integrations speak the same protocol). The authorization code flow
// with PKCE, state and nonce; discovery, token validation and signing-key rotation are left to
// openid-client. A person is matched to the roster by one claim (e-mail or employee code); an
// identity that matches nobody gets no account.
import * as oidc from "openid-client";
import { audit } from "~/platform/audit.server";
import { env, publicOrigin } from "~/platform/env.server";
import { stepCookie } from "~/platform/step-cookie.server";
import { findSsoCandidate, markActivated } from "~/identity/users.data.server";

export const ssoEnabled = Boolean(env.OIDC_ISSUER);
export const passwordSignInEnabled = env.PASSWORD_SIGN_IN === "on";
export const ssoName = env.OIDC_NAME;

const CALLBACK_PATH = "/login/sso/callback";
const FLOW_MINUTES = 10;
const matchClaim = env.OIDC_CLAIM ?? env.OIDC_MATCH;

let configuration: Promise<oidc.Configuration> | undefined;

/** The provider's metadata, discovered once per process (again after a failure). */
function providerConfiguration(): Promise<oidc.Configuration> {
  if (!configuration) {
    const issuer = new URL(env.OIDC_ISSUER!);
    // Plain http only for a provider on this machine (tests, a local Keycloak).
    const local = issuer.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
    configuration = oidc
      .discovery(issuer, env.OIDC_CLIENT_ID!, env.OIDC_CLIENT_SECRET!, undefined, local ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((error: unknown) => {
        configuration = undefined;
        throw error;
      });
  }
  return configuration;
}

type Flow = { state: string; nonce: string; verifier: string; redirectTo: string };

// Lax: the provider sends the person back with a top-level GET, which carries Lax cookies.
const flowCookie = stepCookie("kns_sso");

function readFlow(request: Request): Flow | null {
  const raw = flowCookie.read(request);
  if (!raw) return null;
  try {
    const flow = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as Partial<Flow>;
    const ok = [flow.state, flow.nonce, flow.verifier, flow.redirectTo].every((v) => typeof v === "string" && v.length > 0 && v.length < 2100);
    return ok ? (flow as Flow) : null;
  } catch {
    return null;
  }
}

/** Where to send the browser to sign in at the provider, and the cookie that remembers this attempt. */
export async function startSsoSignIn(redirectTo: string): Promise<{ url: string; cookie: string }> {
  const config = await providerConfiguration();
  const flow: Flow = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier(), redirectTo };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: publicOrigin() + CALLBACK_PATH,
    scope: "openid email profile",
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
  });
  return { url: url.href, cookie: flowCookie.set(Buffer.from(JSON.stringify(flow)).toString("base64url"), FLOW_MINUTES * 60) };
}

export const clearFlowCookie = () => flowCookie.clear();

export type SsoResult =
  | { ok: true; userId: number; orgUnitId: number; redirectTo: string }
  | { ok: false; reason: "failed" | "unknown" | "left" | "locked" };

/**
 * The provider's answer at the callback: the code is exchanged and the ID token checked (issuer,
 * audience, signature with the provider's current keys, nonce), then the person is found on the
 * roster by the configured claim. Every outcome is audited; no token is ever logged.
 */
export async function finishSsoSignIn(request: Request, ip: string): Promise<SsoResult> {
  const flow = readFlow(request);
  if (!flow) return refuse("failed", ip, { reason: "no_flow" });
  const callback = new URL(request.url);
  // The URL the provider redirected to, on the public origin (not whatever Host the request named).
  const currentUrl = new URL(CALLBACK_PATH + callback.search, publicOrigin());
  let claims: Record<string, unknown>;
  try {
    const config = await providerConfiguration();
    const tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims()!;
    claims = { ...idClaims };
    if (claims[matchClaim] === undefined) {
      Object.assign(claims, await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub));
    }
  } catch (error) {
    // The library's error names the check that failed; the code and tokens are not in it.
    return refuse("failed", ip, { reason: "rejected", error: (error as Error).name, code: (error as { code?: string }).code ?? "" });
  }
  const value = typeof claims[matchClaim] === "string" ? (claims[matchClaim] as string).trim() : "";
  if (!value) return refuse("unknown", ip, { reason: "no_claim", claim: matchClaim });
  const person = await findSsoCandidate(env.OIDC_MATCH, env.OIDC_MATCH === "email" ? value.toLowerCase() : value);
  if (!person) return refuse("unknown", ip, { reason: "unknown", claim: matchClaim });
  if (!person.active) return refuse("left", ip, { reason: "left" }, person);
  if (person.locked) return refuse("locked", ip, { reason: "locked" }, person);
  await markActivated(person.id);
  await audit({ action: "auth.sso", actorId: person.id, orgUnitId: person.orgUnitId, ip });
  return { ok: true, userId: person.id, orgUnitId: person.orgUnitId, redirectTo: flow.redirectTo };
}

async function refuse(
  reason: "failed" | "unknown" | "left" | "locked",
  ip: string,
  detail: Record<string, string>,
  person?: { id: number; orgUnitId: number },
): Promise<SsoResult> {
  await audit({ action: "auth.sso", outcome: reason === "failed" ? "failed" : "denied", actorId: person?.id, orgUnitId: person?.orgUnitId, ip, detail });
  return { ok: false, reason };
}
