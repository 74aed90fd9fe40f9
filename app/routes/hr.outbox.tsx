import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized, scopePaths } from "~/identity/authorize.server";
import { recentMail } from "~/platform/mail.server";
import { clientIp } from "~/platform/request.server";
import { pageTitle, useFormat, useT } from "~/utils/i18n";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.outbox");

// The outbox shows the reminders the deployment sent to the people of the user's subtree (HR
// and administrators alike: an administrator's role is scoped to a unit too).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireAuthorized(user, "staff.view", null, { ip: clientIp(context) });
  return { mail: await recentMail(200, scopePaths(user, "staff.view")) };
}

export default function Outbox() {
  const { mail } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold text-brand-800">{t("hr.outboxTitle")}</h1>
      <p className="text-slate-700">{t("hr.outboxIntro")}</p>
      {mail.length === 0 ? (
        <p>{t("hr.outboxEmpty")}</p>
      ) : (
        <ul className="space-y-3">
          {mail.map((m) => (
            <li key={m.id} className="card">
              <p className="text-sm text-slate-600">
                {fmt.dateTime(m.createdAt)} · {t("hr.to")}: {m.to} {m.status === "sent" ? "" : `· ${t(`hr.${m.status}`)}`}
              </p>
              {m.error ? (
                <p className="mt-1 text-sm text-red-800">
                  {m.status === "failed" ? t("hr.outboxGaveUp", { attempts: m.attempts }) : m.nextAttemptAt ? t("hr.outboxRetry", { at: fmt.dateTime(m.nextAttemptAt) }) : null}{" "}
                  {t("hr.outboxReason", { reason: m.error })}
                </p>
              ) : null}
              <p className="font-semibold">{m.subject}</p>
              {m.text === null ? (
                <p className="mt-2 text-sm italic text-slate-600">{t("hr.sensitiveText")}</p>
              ) : (
                <pre className="mt-2 whitespace-pre-wrap font-sans text-sm">{m.text}</pre>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
