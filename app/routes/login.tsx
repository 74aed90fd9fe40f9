import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { getUser, login, safeRedirectTo } from "~/identity/auth.server";
import { passwordSignInEnabled, ssoEnabled, ssoName } from "~/identity/sso.server";
import { clientIp, field } from "~/platform/request.server";
import { pageTitle, useT } from "~/utils/i18n";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "login.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(safeRedirectTo(new URL(request.url).searchParams.get("redirectTo")));
  return { sso: ssoEnabled ? ssoName : null, passwords: passwordSignInEnabled };
}

const SSO_REFUSALS = ["failed", "unknown", "left", "locked", "unavailable"] as const;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = field(form, "email", 254);
  const password = typeof form.get("password") === "string" ? String(form.get("password")).slice(0, 200) : "";
  if (!email || !password) return data({ error: "missing" as const, minutes: 0 }, { status: 400 });
  const result = await login(email, password, clientIp(context), form.get("remember") === "on");
  if (!result.ok) {
    if (result.reason === "throttled") {
      return data({ error: "throttled" as const, minutes: Math.ceil(result.retryAfterSeconds / 60) }, { status: 429 });
    }
    if (result.reason === "locked") return data({ error: "locked" as const, minutes: 0 }, { status: 403 });
    if (result.reason === "passwordsOff") return data({ error: "passwordsOff" as const, minutes: 0 }, { status: 400 });
    return data({ error: "invalid" as const, minutes: 0 }, { status: 401 });
  }
  const next = safeRedirectTo(field(form, "redirectTo", 2000));
  // The password was right; a second factor is still to come.
  if (result.secondStep) return redirect(`/login/verify?${new URLSearchParams({ redirectTo: next })}`, { headers: { "Set-Cookie": result.cookie } });
  return redirect(next, { headers: { "Set-Cookie": result.cookie } });
}

export default function LoginPage() {
  const t = useT();
  const { sso, passwords } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const ssoRefusal = SSO_REFUSALS.find((r) => r === params.get("sso"));
  const redirectTo = params.get("redirectTo") ?? "";
  return (
    <div className="mx-auto mt-6 max-w-md">
      <div className="card">
        <h1 className="text-2xl font-bold text-brand-800">{t("login.title")}</h1>
        <p className="mt-1 text-sm text-slate-700">{t("login.intro")}</p>
        {!actionData && params.get("session") === "ended" ? (
          <Notice tone="warning" className="mt-4">
            {t("login.sessionEnded")}
          </Notice>
        ) : null}
        {actionData?.error ? (
          <Notice tone="error" className="mt-4">
            {t(`login.${actionData.error}`, { minutes: actionData.minutes })}
          </Notice>
        ) : null}
        {sso && ssoRefusal && !actionData ? (
          <Notice tone="error" className="mt-4">
            {t(`account.sso.${ssoRefusal}`, { name: sso })}
          </Notice>
        ) : null}
        {sso ? (
          <a href={`/login/sso${redirectTo ? `?${new URLSearchParams({ redirectTo })}` : ""}`} className="btn mt-4 w-full text-center">
            {t("account.sso.button", { name: sso })}
          </a>
        ) : null}
        {passwords ? (
          <>
            {sso ? <p className="mt-4 text-center text-sm text-slate-600">{t("account.sso.or")}</p> : null}
            <Form method="post" className="mt-4 space-y-4">
              <input type="hidden" name="redirectTo" value={redirectTo} />
              <TextField id="email" label={t("login.email")} name="email" type="email" autoComplete="username" required />
              <TextField id="password" label={t("login.password")} name="password" type="password" autoComplete="current-password" required />
              <label className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="remember" className="mt-0.5 h-5 w-5" />
                <span>{t("login.remember")}</span>
              </label>
              <button type="submit" className={sso ? "btn-secondary w-full" : "btn w-full"} disabled={busy}>
                {t("login.submit")}
              </button>
            </Form>
            <ul className="mt-4 space-y-2 text-sm">
              <li>
                <Link to="/forgot-password" className="underline">
                  {t("login.forgot")}
                </Link>
              </li>
              <li>
                <Link to="/activate" className="underline">
                  {t("login.activate")}
                </Link>
              </li>
            </ul>
          </>
        ) : null}
      </div>
    </div>
  );
}
