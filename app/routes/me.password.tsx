import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
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
          <Notice tone="success" className="mt-4">
            {t("password.changed")}
          </Notice>
        ) : null}
        {result && !result.ok ? (
          <Notice tone="error" className="mt-4">
            {t(`password.${result.error}`, { minutes: result.minutes })}
          </Notice>
        ) : null}
        <Form method="post" className="mt-4 space-y-4">
          <TextField id="current" label={t("password.current")} name="current" type="password" autoComplete="current-password" required />
          <TextField
            id="next"
            label={t("password.new")}
            hint={t("password.rules")}
            hintId="pw-rules"
            name="next"
            type="password"
            autoComplete="new-password"
            required
            minLength={10}
          />
          <TextField id="confirm" label={t("password.confirm")} name="confirm" type="password" autoComplete="new-password" required />
          <button type="submit" className="btn">
            {t("password.submit")}
          </button>
        </Form>
      </div>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
