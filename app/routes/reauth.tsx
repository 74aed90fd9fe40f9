import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { reauthenticate, RECENT_AUTH_MINUTES, requireUser, safeRedirectTo } from "~/identity/auth.server";
import { clientIp, field } from "~/platform/request.server";
import { getT, isLang, useT } from "~/utils/i18n";

export const meta: MetaFunction = ({ matches }) => {
  const lang = (matches.find((m) => m.id === "root")?.data as { lang?: string } | undefined)?.lang;
  return [{ title: `${getT(isLang(lang) ? lang : "vi")("security.reauthTitle")} — Kỹ Năng Số` }];
};

/** Password confirmation before sensitive actions (see requireRecentAuth). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { email: user.email, minutes: RECENT_AUTH_MINUTES };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const value = form.get("password");
  const password = typeof value === "string" ? value.slice(0, 200) : "";
  if (!password) return data({ error: "missing" as const, minutes: 0 }, { status: 400 });
  const result = await reauthenticate(request, user, password, clientIp(context));
  if (!result.ok) {
    if (result.error === "throttled") {
      return data({ error: "throttled" as const, minutes: Math.ceil(result.retryAfterSeconds / 60) }, { status: 429 });
    }
    return data({ error: "wrongPassword" as const, minutes: 0 }, { status: 401 });
  }
  return redirect(safeRedirectTo(field(form, "redirectTo", 2000), "/me"), { headers: { "Set-Cookie": result.cookie } });
}

export default function Reauth() {
  const { email, minutes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  return (
    <div className="mx-auto mt-6 max-w-md">
      <div className="card">
        <h1 className="text-2xl font-bold text-brand-800">{t("security.reauthTitle")}</h1>
        <p className="mt-2 text-sm text-slate-700">{t("security.reauthIntro", { minutes })}</p>
        {result?.error ? (
          <Notice tone="error" className="mt-4">
            {t(`security.${result.error}`, { minutes: result.minutes })}
          </Notice>
        ) : null}
        <Form method="post" className="mt-4 space-y-4">
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <TextField id="username" label={t("security.account")} name="username" type="email" autoComplete="username" value={email} readOnly className="input bg-slate-100" />
          <TextField
            id="password"
            label={t("security.password")}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={result?.error ? true : undefined}
          />
          <button type="submit" className="btn w-full" disabled={busy}>
            {t("security.confirm")}
          </button>
        </Form>
      </div>
    </div>
  );
}
