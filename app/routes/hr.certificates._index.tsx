import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { StatusBadge } from "~/components/certificates/StatusBadge";
import { FieldError, TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { requireUser } from "~/identity/auth.server";
import { authorize, requireAuthorized, unitScopeFilter } from "~/identity/authorize.server";
import { searchCertificates } from "~/certificates/lookup.server";
import { ZIP_LIMIT } from "~/utils/certificates";
import { findUnitByCode } from "~/hr/org-units.data.server";
import { clientIp } from "~/platform/request.server";
import { getT, isLang, useFormat, useT } from "~/utils/i18n";
import { parsePeriod } from "~/utils/vietnam-time";

export const meta: MetaFunction = ({ matches }) => {
  const lang = (matches.find((m) => m.id === "root")?.data as { lang?: string } | undefined)?.lang;
  return [{ title: `${getT(isLang(lang) ? lang : "vi")("certificates.hr.title")} — Kỹ Năng Số` }];
};

const ZIP_ERRORS = ["unitRequired", "unitNotFound", "periodRequired", "periodInvalid", "tooMany", "none"] as const;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireAuthorized(user, "certificate.manage", null, { ip: clientIp(context) });
  const params = new URL(request.url).searchParams;
  const filters = {
    q: (params.get("q") ?? "").slice(0, 100),
    unit: (params.get("unit") ?? "").trim().slice(0, 32),
    from: (params.get("from") ?? "").slice(0, 10),
    to: (params.get("to") ?? "").slice(0, 10),
  };
  const errors: { unit?: string; period?: string } = {};
  let unitPath: string | null = null;
  if (filters.unit) {
    const unit = await findUnitByCode(filters.unit);
    if (unit && authorize(user, "certificate.manage", unit)) unitPath = unit.path;
    else errors.unit = "certificates.hr.errors.unitNotFound";
  }
  const period = parsePeriod(filters.from, filters.to);
  if (period.error) errors.period = `certificates.hr.errors.${period.error}`;
  const zipError = ZIP_ERRORS.find((e) => e === params.get("zipError")) ?? null;
  const found =
    errors.unit || errors.period
      ? { rows: [], total: 0 }
      : await searchCertificates(unitScopeFilter(user, "certificate.manage"), { q: filters.q, unitPath, from: period.from, to: period.to });
  return { filters, errors, zipError, ...found };
}

export default function HrCertificates() {
  const { filters, errors, zipError, rows, total } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  // The errors are shown under the whole row, so each field is only marked invalid.
  const field = (name: "unit" | "from" | "to", label: string, type = "text", hint?: string) => (
    <TextField
      id={`f-${name}`}
      label={label}
      hint={hint}
      hintId={`f-${name}-hint`}
      name={name}
      type={type}
      defaultValue={filters[name]}
      aria-invalid={(name === "unit" ? errors.unit : errors.period) ? true : undefined}
    />
  );
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{t("certificates.hr.title")}</h1>
        <p className="mt-1 text-slate-700">{t("certificates.hr.intro")}</p>
      </div>
      <Form method="get" className="card grid gap-4 sm:grid-cols-2 lg:grid-cols-4" role="search" aria-label={t("certificates.hr.title")}>
        <TextField id="f-q" label={t("certificates.hr.search")} name="q" type="search" defaultValue={filters.q} containerClassName="sm:col-span-2 lg:col-span-4" />
        {field("unit", t("certificates.hr.unit"), "text", t("certificates.hr.unitHint"))}
        {field("from", t("certificates.hr.from"), "date")}
        {field("to", t("certificates.hr.to"), "date")}
        <div className="flex items-end">
          <button type="submit" className="btn w-full sm:w-auto">
            {t("certificates.hr.filter")}
          </button>
        </div>
        <div className="sm:col-span-2 lg:col-span-4">
          <FieldError id="f-unit-error" message={errors.unit ? t(errors.unit) : undefined} />
          <FieldError id="f-period-error" message={errors.period ? t(errors.period) : undefined} />
        </div>
      </Form>

      <p className="text-sm text-slate-600">{t("certificates.hr.showing", { shown: fmt.number(rows.length), total: fmt.number(total) })}</p>
      {rows.length === 0 ? (
        <p>{t("certificates.hr.empty")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("certificates.hr.fullName")}</th>
                <th scope="col">{t("certificates.code")}</th>
                <th scope="col">{t("certificates.course")}</th>
                <th scope="col">{t("certificates.hr.unitCol")}</th>
                <th scope="col">{t("certificates.issuedOn")}</th>
                <th scope="col">{t("certificates.expiresOn")}</th>
                <th scope="col">{t("certificates.hr.statusCol")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td className="font-medium">{c.fullName}</td>
                  <td className="whitespace-nowrap font-mono text-xs">
                    <Link to={`/hr/certificates/${c.display}`}>{c.display}</Link>
                  </td>
                  <td>{c.courseTitle}</td>
                  <td>{c.unitName}</td>
                  <td className="whitespace-nowrap">{fmt.date(c.issuedAt)}</td>
                  <td className="whitespace-nowrap">{c.expiresAt ? fmt.date(c.expiresAt) : t("certificates.noExpiry")}</td>
                  <td>
                    <StatusBadge state={c.state} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <section className="card max-w-2xl space-y-3" aria-labelledby="zip-heading">
        <h2 id="zip-heading" className="text-lg font-semibold">
          {t("certificates.hr.zipTitle")}
        </h2>
        <p className="text-sm text-slate-700">{t("certificates.hr.zipIntro", { max: fmt.number(ZIP_LIMIT) })}</p>
        {zipError ? <Notice tone="error">{t(`certificates.hr.errors.${zipError}`, { max: fmt.number(ZIP_LIMIT) })}</Notice> : null}
        <Form method="get" action="/hr/certificates/zip" reloadDocument className="grid gap-3 sm:grid-cols-3">
          {(["unit", "from", "to"] as const).map((name) => (
            <TextField key={name} id={`zip-${name}`} label={t(`certificates.hr.${name}`)} name={name} type={name === "unit" ? "text" : "date"} defaultValue={filters[name]} required />
          ))}
          <div className="sm:col-span-3">
            <button type="submit" className="btn">
              {t("certificates.hr.zipSubmit")}
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
