import { parsePeriod } from "~/utils/vietnam-time";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Notice } from "~/components/ui/Notice";
import { AUDIT_OUTCOMES, AUDIT_PAGE_SIZE, searchAudit, type AuditOutcome } from "~/platform/audit.server";
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
  const params = new URL(request.url).searchParams;
  const text = (name: string, max: number) => (params.get(name) ?? "").trim().slice(0, max);
  const outcomeInput = text("outcome", 10);
  const outcome: AuditOutcome | "" = (AUDIT_OUTCOMES as readonly string[]).includes(outcomeInput) ? (outcomeInput as AuditOutcome) : "";
  const fromInput = text("from", 10);
  const toInput = text("to", 10);
  const period = parsePeriod(fromInput, toInput);
  const page = Math.max(0, Math.min(10_000, Math.floor(Number(params.get("page"))) || 0));
  const filters = { action: text("action", 80), email: text("email", 254), outcome, from: fromInput, to: toInput, page };
  const { events, total } = await searchAudit(scopePaths(user, "audit.view"), {
    ...filters,
    from: period.from,
    to: period.to,
  });
  return { events, total, filters, badDate: period.error !== null, pageSize: AUDIT_PAGE_SIZE, outcomes: AUDIT_OUTCOMES };
}

export default function AuditLog() {
  const { events, total, filters, badDate, pageSize, outcomes } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  const lang = useLang();
  const pageLink = (page: number) =>
    `?${new URLSearchParams({ action: filters.action, email: filters.email, outcome: filters.outcome, from: filters.from, to: filters.to, page: String(page) })}`;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{t("audit.title")}</h1>
        <p className="mt-1 text-slate-700">{t("audit.intro")}</p>
      </div>
      <Form method="get" role="search" className="grid gap-3 sm:grid-cols-6 sm:items-end">
        <div className="sm:col-span-2">
          <label htmlFor="action" className="label">
            {t("audit.action")}
          </label>
          <input id="action" name="action" list="audit-actions" defaultValue={filters.action} className="input" aria-describedby="action-help" />
          <datalist id="audit-actions">
            {KNOWN_ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          <p id="action-help" className="mt-1 text-xs text-slate-600">
            {t("audit.actionHelp")}
          </p>
        </div>
        <div className="sm:col-span-2">
          <label htmlFor="email" className="label">
            {t("audit.actorEmail")}
          </label>
          <input id="email" name="email" type="search" defaultValue={filters.email} className="input" />
        </div>
        <div className="sm:col-span-2">
          <label htmlFor="outcome" className="label">
            {t("audit.outcome")}
          </label>
          <select id="outcome" name="outcome" defaultValue={filters.outcome} className="input">
            <option value="">{t("audit.anyOutcome")}</option>
            {outcomes.map((o) => (
              <option key={o} value={o}>
                {t(`audit.outcomes.${o}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="sm:col-span-2">
          <label htmlFor="from" className="label">
            {t("audit.from")}
          </label>
          <input id="from" name="from" type="date" defaultValue={filters.from} className="input" />
        </div>
        <div className="sm:col-span-2">
          <label htmlFor="to" className="label">
            {t("audit.to")}
          </label>
          <input id="to" name="to" type="date" defaultValue={filters.to} className="input" />
        </div>
        <button type="submit" className="btn sm:col-span-2">
          {t("audit.search")}
        </button>
      </Form>
      {badDate ? <Notice tone="error">{t("audit.badDate")}</Notice> : null}
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
      <nav className="flex gap-3" aria-label={t("audit.pages")}>
        {filters.page > 0 ? <Link to={pageLink(filters.page - 1)}>← {t("audit.newer")}</Link> : null}
        {(filters.page + 1) * pageSize < total ? <Link to={pageLink(filters.page + 1)}>{t("audit.older")} →</Link> : null}
      </nav>
    </div>
  );
}
