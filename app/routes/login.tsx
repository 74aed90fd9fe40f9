import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { getUser, login, safeRedirectTo } from "~/identity/auth.server";
import { clientIp, field } from "~/platform/request.server";
import { pageTitle, useT } from "~/utils/i18n";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "login.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(safeRedirectTo(new URL(request.url).searchParams.get("redirectTo")));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const email = field(form, "email", 254);
  const password = typeof form.get("password") === "string" ? String(form.get("password")).slice(0, 200) : "";
  if (!email || !password) return data({ error: "missing" as const, minutes: 0 }, { status: 400 });
  const result = await login(email, password, clientIp(context));
  if (!result.ok) {
    if (result.reason === "throttled") {
      return data({ error: "throttled" as const, minutes: Math.ceil(result.retryAfterSeconds / 60) }, { status: 429 });
    }
    return data({ error: "invalid" as const, minutes: 0 }, { status: 401 });
  }
  return redirect(safeRedirectTo(field(form, "redirectTo", 2000)), { headers: { "Set-Cookie": result.cookie } });
}

export default function LoginPage() {
  const t = useT();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <div className="mx-auto mt-6 max-w-md">
      <div className="card">
        <h1 className="text-2xl font-bold text-brand-800">{t("login.title")}</h1>
        <p className="mt-1 text-sm text-slate-700">{t("login.intro")}</p>
        {!actionData && params.get("session") === "ended" ? (
          <p role="status" className="mt-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
            {t("login.sessionEnded")}
          </p>
        ) : null}
        {actionData?.error ? (
          <p role="alert" className="mt-4 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
            {t(`login.${actionData.error}`, { minutes: actionData.minutes })}
          </p>
        ) : null}
        <Form method="post" className="mt-4 space-y-4">
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <div>
            <label htmlFor="email" className="label">
              {t("login.email")}
            </label>
            <input id="email" name="email" type="email" autoComplete="username" required className="input" />
          </div>
          <div>
            <label htmlFor="password" className="label">
              {t("login.password")}
            </label>
            <input id="password" name="password" type="password" autoComplete="current-password" required className="input" />
          </div>
          <button type="submit" className="btn w-full" disabled={busy}>
            {t("login.submit")}
          </button>
        </Form>
      </div>
    </div>
  );
}
