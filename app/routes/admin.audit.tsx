import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { SelectField, TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { Pagination } from "~/components/ui/Pagination";
import { AUDIT_OUTCOMES, AUDIT_PAGE_SIZE, auditSearchFrom, searchAudit } from "~/platform/audit.server";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized, scopePaths } from "~/identity/authorize.server";
import { clientIp } from "~/platform/request.server";
import { getT, isLang, useFormat, useLang, useT } from "~/utils/i18n";

export const meta: MetaFunction = ({ matches }) => {
  const lang = (matches.find((m) => m.id === "root")?.data as { lang?: string } | undefined)?.lang;
  return [{ title: `${getT(isLang(lang) ? lang : "vi")("audit.title")} — Kỹ Năng Số` }];
};

// Suggestions for the action filter; any prefix ("auth.", "certificate.") works too.
const KNOWN_ACTIONS = [
  "access.denied",
  "auth.login",
  "auth.password_change",
  "auth.reauth",
  "session.end_all",
  "user.create",
  "user.update",
  "role.grant",
  "role.revoke",
  "unit.create",
  "unit.update",
  "unit.import",
  "staff.import",
  "assignment.create",
  "certificate.issue",
  "certificate.revoke",
  "certificate.reissue",
  "certificate.zip",
  "grade.override",
  "course.publish",
  "quiz.submit",
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireAuthorized(user, "audit.view", null, { ip: clientIp(context) });
  const { filters, search, badDate } = auditSearchFrom(new URL(request.url).searchParams);
  const { events, total } = await searchAudit(scopePaths(user, "audit.view"), search);
  return { events, total, filters, badDate, pageSize: AUDIT_PAGE_SIZE, outcomes: AUDIT_OUTCOMES };
}

export default function AuditLog() {
  const { events, total, filters, badDate, pageSize, outcomes } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  const lang = useLang();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{t("audit.title")}</h1>
        <p className="mt-1 text-slate-700">{t("audit.intro")}</p>
      </div>
      <Form method="get" role="search" className="grid gap-3 sm:grid-cols-6 sm:items-end">
        <TextField
          id="action"
          label={t("audit.action")}
          hint={t("audit.actionHelp")}
          name="action"
          list="audit-actions"
          defaultValue={filters.action}
          containerClassName="sm:col-span-2"
        />
        <datalist id="audit-actions">
          {KNOWN_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <TextField id="email" label={t("audit.actorEmail")} name="email" type="search" defaultValue={filters.email} containerClassName="sm:col-span-2" />
        <SelectField id="outcome" label={t("audit.outcome")} name="outcome" defaultValue={filters.outcome} containerClassName="sm:col-span-2">
          <option value="">{t("audit.anyOutcome")}</option>
          {outcomes.map((o) => (
            <option key={o} value={o}>
              {t(`audit.outcomes.${o}`)}
            </option>
          ))}
        </SelectField>
        <TextField id="from" label={t("audit.from")} name="from" type="date" defaultValue={filters.from} containerClassName="sm:col-span-2" />
        <TextField id="to" label={t("audit.to")} name="to" type="date" defaultValue={filters.to} containerClassName="sm:col-span-2" />
        <button type="submit" className="btn sm:col-span-2">
          {t("audit.search")}
        </button>
      </Form>
      {badDate ? <Notice tone="error">{t("audit.badDate")}</Notice> : null}
      <p>
        <a href={`?${new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([k, v]) => k !== "page" && v)), format: "csv" })}`} className="btn-secondary" download>
          {t("audit.exportCsv")}
        </a>
      </p>
      <p className="text-sm text-slate-600" role="status">
        {t("audit.showing", { shown: fmt.number(events.length), total: fmt.number(total) })}
      </p>
      {events.length === 0 ? (
        <p>{t("audit.none")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="table bg-white text-sm">
            <caption className="sr-only">{t("audit.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("audit.when")}</th>
                <th scope="col">{t("audit.who")}</th>
                <th scope="col">{t("audit.what")}</th>
                <th scope="col">{t("audit.outcome")}</th>
                <th scope="col">{t("audit.unit")}</th>
                <th scope="col">{t("audit.where")}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td className="whitespace-nowrap">{fmt.dateTime(e.at)}</td>
                  <td>
                    {e.actor ? (
                      <>
                        {e.actor.fullName}
                        <span className="block text-xs text-slate-600">{e.actor.email}</span>
                      </>
                    ) : (
                      <span className="text-slate-600">{t("audit.system")}</span>
                    )}
                  </td>
                  <td className="max-w-md break-words">
                    <code className="font-mono">{e.action}</code>
                    {e.targetType ? (
                      <span className="block text-xs text-slate-600">
                        {e.targetType} {e.targetId}
                      </span>
                    ) : null}
                    {e.detail ? <span className="block font-mono text-xs text-slate-600">{e.detail}</span> : null}
                  </td>
                  <td>{t(`audit.outcomes.${e.outcome}`, { defaultValue: e.outcome })}</td>
                  <td>{e.orgUnit ? `${lang === "vi" ? e.orgUnit.nameVi : e.orgUnit.nameEn} (${e.orgUnit.code})` : "—"}</td>
                  <td className="font-mono text-xs">{e.ip ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        label={t("audit.pages")}
        query={{ action: filters.action, email: filters.email, outcome: filters.outcome, from: filters.from, to: filters.to }}
        page={filters.page}
        pageSize={pageSize}
        total={total}
        previous={t("audit.newer")}
        next={t("audit.older")}
      />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
