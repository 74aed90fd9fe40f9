// The second step of a sign-in: a code from the authenticator app, a passkey, or a recovery code.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { browserSupportsWebAuthn, startAuthentication, type PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/browser";
import { useEffect, useState } from "react";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { safeRedirectTo } from "~/identity/auth.server";
import { finishWithPasskey, passkeySignInOptions } from "~/identity/passkeys.server";
import { finishWithCode, secondStepMethods } from "~/identity/second-factor.server";
import { clearSecondStepCookie, pendingSecondStep } from "~/identity/sign-in-challenge.server";
import { clientIp, field } from "~/platform/request.server";
import { pageTitle, useT } from "~/utils/i18n";
import "~/locales/two-step";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "twoStep.verify.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await pendingSecondStep(request);
  // None, expired or forged: the page says so and offers to start again.
  if (!pending) return data({ expired: true, app: false, passkeys: false }, { headers: { "Set-Cookie": clearSecondStepCookie() } });
  return { expired: false, ...(await secondStepMethods(pending)) };
}

type ActionResult =
  | { error: "wrongCode" | "expired" | "passkeyFailed"; minutes: 0; recovery: boolean }
  | { error: "throttled"; minutes: number; recovery: boolean }
  | { passkeyOptions: Awaited<ReturnType<typeof passkeySignInOptions>> };

export async function action({ request, context }: ActionFunctionArgs) {
  const pending = await pendingSecondStep(request);
  const form = await request.formData();
  const intent = field(form, "intent");
  const recovery = intent === "recovery";
  if (!pending) return data<ActionResult>({ error: "expired", minutes: 0, recovery }, { status: 400, headers: { "Set-Cookie": clearSecondStepCookie() } });
  const ip = clientIp(context);
  const next = safeRedirectTo(field(form, "redirectTo", 2000));

  if (intent === "passkeyOptions") return data<ActionResult>({ passkeyOptions: await passkeySignInOptions(pending) });
  if (intent === "passkey") {
    let response: unknown = null;
    try {
      response = JSON.parse(field(form, "response", 16_000));
    } catch {
      // a malformed answer is a failed attempt like any other
    }
    const result = await finishWithPasskey(pending, response, ip);
    if (result.ok) return redirect(next, { headers: cookies(result.cookies) });
    return failure(result.error === "failed" ? { error: "passkeyFailed", minutes: 0, recovery } : result.error === "throttled" ? { ...result, recovery } : { error: result.error, minutes: 0, recovery });
  }
  if (intent !== "code" && !recovery) return data<ActionResult>({ error: "wrongCode", minutes: 0, recovery }, { status: 400 });
  const result = await finishWithCode(pending, { code: field(form, "code", 40), recovery }, ip);
  if (!result.ok) return failure(result.error === "throttled" ? { ...result, recovery } : { error: result.error, minutes: 0, recovery });
  const to = result.recoveryLeft === null ? next : `/me/security?recovered=${result.recoveryLeft}`;
  return redirect(to, { headers: cookies(result.cookies) });
}

function failure(result: Exclude<ActionResult, { passkeyOptions: unknown }>) {
  return data<ActionResult>(result, { status: result.error === "throttled" ? 429 : 400 });
}

function cookies(values: string[]): Headers {
  const headers = new Headers();
  for (const value of values) headers.append("Set-Cookie", value);
  return headers;
}

export default function VerifySignIn() {
  const t = useT();
  const { app, passkeys, expired } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo") ?? "";
  const busy = useNavigation().state === "submitting";
  const error = actionData && "error" in actionData ? actionData : expired ? ({ error: "expired", minutes: 0, recovery: false } as const) : null;
  const [showRecovery, setShowRecovery] = useState(Boolean(error?.recovery) || !app);
  return (
    <div className="mx-auto mt-6 max-w-md">
      <div className="card">
        <h1 className="text-2xl font-bold text-brand-800">{t("twoStep.verify.title")}</h1>
        {error ? (
          <Notice tone="error" className="mt-4">
            {t(`twoStep.verify.${error.error}`, { minutes: error.minutes })}
          </Notice>
        ) : null}
        {error?.error === "expired" ? (
          <p className="mt-4">
            <Link to="/login">
              {t("twoStep.verify.startOver")}
            </Link>
          </p>
        ) : null}
        {expired ? null : app ? (
          <>
            <p className="mt-2 text-sm text-slate-700">{t("twoStep.verify.intro")}</p>
            <Form method="post" className="mt-4 space-y-4">
              <input type="hidden" name="intent" value="code" />
              <input type="hidden" name="redirectTo" value={redirectTo} />
              <TextField
                id="code"
                name="code"
                label={t("twoStep.verify.code")}
                hint={t("twoStep.verify.codeHint")}
                hintId="code-hint"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9 ]{6,7}"
                maxLength={7}
                required
                autoFocus
              />
              <button type="submit" className="btn w-full" disabled={busy}>
                {t("twoStep.verify.submit")}
              </button>
            </Form>
          </>
        ) : null}
        {passkeys ? <PasskeySignIn redirectTo={redirectTo} /> : null}
        <div className={expired ? "hidden" : "mt-6 border-t border-slate-200 pt-4"}>
          {showRecovery ? (
            <Form method="post" className="space-y-4">
              <input type="hidden" name="intent" value="recovery" />
              <input type="hidden" name="redirectTo" value={redirectTo} />
              <TextField id="recovery" name="code" label={t("twoStep.verify.recoveryCode")} hint={t("twoStep.verify.recoveryHint")} hintId="recovery-hint" autoComplete="off" maxLength={20} required />
              <button type="submit" className="btn-secondary w-full" disabled={busy}>
                {t("twoStep.verify.recoverySubmit")}
              </button>
            </Form>
          ) : (
            <button type="button" className="text-sm font-medium text-brand-700 underline hover:no-underline" onClick={() => setShowRecovery(true)}>
              {t("twoStep.verify.recoveryToggle")}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

/** Asks the server for a challenge, lets the browser sign it with a passkey, and sends the answer back. */
function PasskeySignIn({ redirectTo }: { redirectTo: string }) {
  const t = useT();
  const options = useFetcher<typeof action>();
  const answer = useFetcher<typeof action>();
  const [problem, setProblem] = useState<"passkeyFailed" | "passkeyUnsupported" | null>(null);
  const [supported, setSupported] = useState(true);
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  const offered = options.data && "passkeyOptions" in options.data ? options.data.passkeyOptions : null;
  useEffect(() => {
    if (!offered) return;
    // The options went through JSON on their way here; the type only lost that on the way.
    startAuthentication({ optionsJSON: offered as unknown as PublicKeyCredentialRequestOptionsJSON })
      .then((response) => answer.submit({ intent: "passkey", redirectTo, response: JSON.stringify(response) }, { method: "post" }))
      .catch(() => setProblem("passkeyFailed"));
    // The answer fetcher is stable; each new set of options starts one ceremony.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [offered]);
  const refused = answer.data && "error" in answer.data ? answer.data : null;
  return (
    <div className="mt-6 border-t border-slate-200 pt-4">
      <p className="text-sm text-slate-700">{t("twoStep.verify.passkeyIntro")}</p>
      {problem || refused ? (
        <Notice tone="error" className="mt-3">
          {problem ? t(`twoStep.verify.${problem}`) : t(`twoStep.verify.${refused!.error}`, { minutes: refused!.minutes })}
        </Notice>
      ) : null}
      {supported ? (
        <button
          type="button"
          className="btn-secondary mt-3 w-full"
          disabled={options.state !== "idle" || answer.state !== "idle"}
          onClick={() => {
            setProblem(null);
            options.submit({ intent: "passkeyOptions" }, { method: "post" });
          }}
        >
          {t("twoStep.verify.usePasskey")}
        </button>
      ) : (
        <p className="mt-3 text-sm text-slate-600">{t("twoStep.verify.passkeyUnsupported")}</p>
      )}
    </div>
  );
}
