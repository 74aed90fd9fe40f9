import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { activationCookie, activationSecretOf, clearActivationCookie } from "~/identity/activation-cookie.server";
import { accountForSecret, activateAccount, secretFromInput } from "~/identity/activation.server";
import { passwordSignInEnabled, ssoName } from "~/identity/sso.server";
import { clientIp, field } from "~/platform/request.server";
import { pageTitle, useT } from "~/utils/i18n";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "account.activate.title");

/**
 * Activation and password reset: with a secret (from the link's cookie), the password form for
 * its account; without one, the form for a letter's code.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!passwordSignInEnabled) return { ssoOnly: ssoName, account: null, error: null };
  const secret = activationSecretOf(request);
  const invalid = new URL(request.url).searchParams.has("invalid");
  if (!secret) return { ssoOnly: null, account: null, error: invalid ? ("invalid" as const) : null };
  const found = await accountForSecret(secret, clientIp(context));
  if (!found.ok) {
    return data({ ssoOnly: null, account: null, error: found.error, minutes: found.error === "throttled" ? found.minutes : 0 }, { headers: { "Set-Cookie": clearActivationCookie() } });
  }
  return { ssoOnly: null, account: { fullName: found.fullName, email: found.email, purpose: found.purpose }, error: null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  if (!passwordSignInEnabled) throw new Response("Not Found", { status: 404 });
  const form = await request.formData();
  const ip = clientIp(context);
  if (form.get("intent") === "code") {
    const secret = secretFromInput(field(form, "code", 40));
    const found = secret ? await accountForSecret(secret, ip) : null;
    if (!secret || !found?.ok) {
      const minutes = found && !found.ok && found.error === "throttled" ? found.minutes : 0;
      return data({ error: minutes ? ("throttled" as const) : ("invalid" as const), minutes }, { status: minutes ? 429 : 400 });
    }
    return redirect("/activate", { headers: { "Set-Cookie": activationCookie(secret) } });
  }
  const secret = activationSecretOf(request);
  if (!secret) return data({ error: "invalid" as const, minutes: 0 }, { status: 400 });
  const text = (name: string) => (typeof form.get(name) === "string" ? String(form.get(name)).slice(0, 200) : "");
  const result = await activateAccount(secret, { password: text("password"), confirm: text("confirm") }, ip);
  if (!result.ok) {
    return data({ error: result.error, minutes: result.error === "throttled" ? result.minutes : 0 }, { status: result.error === "throttled" ? 429 : 400 });
  }
  const headers = new Headers();
  headers.append("Set-Cookie", result.cookie);
  headers.append("Set-Cookie", clearActivationCookie());
  return redirect("/me", { headers });
}

export default function Activate() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const error = result?.error ?? loaded.error;
  const minutes = result?.minutes ?? ("minutes" in loaded ? loaded.minutes : 0);
  const reset = loaded.account?.purpose === "reset";
  return (
    <div className="mx-auto mt-6 max-w-md">
      <div className="card">
        <h1 className="text-2xl font-bold text-brand-800">{t(reset ? "account.activate.resetTitle" : "account.activate.title")}</h1>
        {loaded.ssoOnly ? (
          <p className="mt-2 text-slate-700">{t("account.activate.ssoOnly", { name: loaded.ssoOnly })}</p>
        ) : (
          <>
            {error ? (
              <Notice tone="error" className="mt-4">
                {t(`account.activate.${error}`, { minutes })}
              </Notice>
            ) : null}
            {loaded.account ? (
              <>
                <p className="mt-2 font-semibold">{t("account.activate.account", { name: loaded.account.fullName, email: loaded.account.email })}</p>
                <p className="mt-1 text-sm text-slate-700">{t(reset ? "account.activate.resetIntro" : "account.activate.setPassword")}</p>
                <Form method="post" className="mt-4 space-y-4">
                  <input type="hidden" name="intent" value="password" />
                  <input type="hidden" name="username" value={loaded.account.email} autoComplete="username" />
                  <TextField
                    id="password"
                    name="password"
                    type="password"
                    label={t("account.activate.password")}
                    hint={t("password.rules")}
                    autoComplete="new-password"
                    required
                    minLength={10}
                  />
                  <TextField id="confirm" name="confirm" type="password" label={t("account.activate.confirm")} autoComplete="new-password" required />
                  <button type="submit" className="btn w-full" disabled={busy}>
                    {t("account.activate.submit")}
                  </button>
                </Form>
              </>
            ) : (
              <>
                <p className="mt-2 text-sm text-slate-700">{t("account.activate.intro")}</p>
                <Form method="post" className="mt-4 space-y-4">
                  <input type="hidden" name="intent" value="code" />
                  <TextField
                    id="code"
                    name="code"
                    label={t("account.activate.code")}
                    hint={t("account.activate.codeHint")}
                    autoComplete="one-time-code"
                    autoCapitalize="characters"
                    spellCheck={false}
                    required
                    maxLength={40}
                  />
                  <button type="submit" className="btn w-full" disabled={busy}>
                    {t("account.activate.check")}
                  </button>
                </Form>
              </>
            )}
          </>
        )}
      </div>
    </div>
  );
}
