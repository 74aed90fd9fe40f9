import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { changePassword, requireUser } from "~/identity/auth.server";
import { clientIp } from "~/platform/request.server";
import { useT } from "~/utils/i18n";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

function secret(form: FormData, name: string) {
  const v = form.get(name);
  return typeof v === "string" ? v.slice(0, 200) : "";
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const result = await changePassword(
    user,
    { current: secret(form, "current"), next: secret(form, "next"), confirm: secret(form, "confirm") },
    clientIp(context),
  );
  if (!result.ok) {
    const minutes = result.error === "throttled" ? Math.ceil(result.retryAfterSeconds / 60) : 0;
    return data({ ok: false as const, error: result.error, minutes }, { status: result.error === "throttled" ? 429 : 400 });
  }
  // Other sessions (the old cookie included) are gone: continue on a fresh page with the new one.
  return redirect("/me/password?changed=1", { headers: { "Set-Cookie": result.cookie } });
}

export default function ChangePassword() {
  const t = useT();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  return (
    <div className="mx-auto max-w-md">
      <div className="card">
        <h1 className="text-2xl font-bold text-brand-800">{t("password.title")}</h1>
        {params.get("changed") && !result ? (
          <p role="status" className="mt-4 rounded border border-green-300 bg-green-50 p-3 text-sm text-green-900">
            {t("password.changed")}
          </p>
        ) : null}
        {result && !result.ok ? (
          <p role="alert" className="mt-4 rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
            {t(`password.${result.error}`, { minutes: result.minutes })}
          </p>
        ) : null}
        <Form method="post" className="mt-4 space-y-4">
          <div>
            <label htmlFor="current" className="label">
              {t("password.current")}
            </label>
            <input id="current" name="current" type="password" autoComplete="current-password" required className="input" />
          </div>
          <div>
            <label htmlFor="next" className="label">
              {t("password.new")}
            </label>
            <input id="next" name="next" type="password" autoComplete="new-password" required minLength={10} className="input" aria-describedby="pw-rules" />
            <p id="pw-rules" className="mt-1 text-xs text-slate-600">
              {t("password.rules")}
            </p>
          </div>
          <div>
            <label htmlFor="confirm" className="label">
              {t("password.confirm")}
            </label>
            <input id="confirm" name="confirm" type="password" autoComplete="new-password" required className="input" />
          </div>
          <button type="submit" className="btn">
            {t("password.submit")}
          </button>
        </Form>
      </div>
    </div>
  );
}
