import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { requestPasswordReset } from "~/identity/activation.server";
import { passwordSignInEnabled, ssoName } from "~/identity/sso.server";
import { env } from "~/platform/env.server";
import { clientIp, field } from "~/platform/request.server";
import { pageTitle, useT } from "~/utils/i18n";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "account.forgot.title");

export async function loader(_: LoaderFunctionArgs) {
  return { minutes: env.PASSWORD_RESET_MINUTES, ssoOnly: passwordSignInEnabled ? null : ssoName };
}

const email = z.string().trim().toLowerCase().email().max(254);

/** The same answer whether or not the address has an account (see requestPasswordReset). */
export async function action({ request, context }: ActionFunctionArgs) {
  if (!passwordSignInEnabled) throw new Response("Not Found", { status: 404 });
  const parsed = email.safeParse(field(await request.formData(), "email", 254));
  if (!parsed.success) return data({ sent: null, error: "invalidEmail" as const }, { status: 400 });
  await requestPasswordReset(parsed.data, clientIp(context));
  return { sent: parsed.data, error: null };
}

export default function ForgotPassword() {
  const { minutes, ssoOnly } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  return (
    <div className="mx-auto mt-6 max-w-md">
      <div className="card">
        <h1 className="text-2xl font-bold text-brand-800">{t("account.forgot.title")}</h1>
        {ssoOnly ? (
          <p className="mt-2 text-slate-700">{t("account.activate.ssoOnly", { name: ssoOnly })}</p>
        ) : result?.sent ? (
          <Notice tone="success" className="mt-4">
            {t("account.forgot.sent", { email: result.sent })}
          </Notice>
        ) : (
          <>
            <p className="mt-2 text-sm text-slate-700">{t("account.forgot.intro", { minutes })}</p>
            <Form method="post" className="mt-4 space-y-4" noValidate>
              <TextField
                id="email"
                name="email"
                type="email"
                label={t("account.forgot.email")}
                autoComplete="username"
                required
                error={result?.error ? t(`account.forgot.${result.error}`) : undefined}
              />
              <button type="submit" className="btn w-full" disabled={busy}>
                {t("account.forgot.submit")}
              </button>
            </Form>
          </>
        )}
        <p className="mt-4 text-sm">
          <Link to="/login" className="underline">
            {t("login.title")}
          </Link>
        </p>
      </div>
    </div>
  );
}
