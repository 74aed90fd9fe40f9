import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { StatusBadge } from "~/components/certificates/StatusBadge";
import { TextareaField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { requireRecentAuth } from "~/identity/auth.server";
import { requireManagedCertificate } from "~/certificates/certificate-access.server";
import { codeOf } from "~/certificates/certificates.data.server";
import { statusOf } from "~/certificates/lookup.server";
import { reissueCertificate, revokeCertificate } from "~/certificates/revocation.server";
import { field } from "~/platform/request.server";
import { groupCode, REASON_MAX } from "~/utils/certificates";
import { getT, isLang, useFormat, useLang, useT } from "~/utils/i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const lang = (matches.find((m) => m.id === "root")?.data as { lang?: string } | undefined)?.lang;
  const t = getT(isLang(lang) ? lang : "vi");
  return [{ title: `${data ? t("certificates.hr.detailTitle", { code: data.display }) : t("certificates.hr.title")} — Kỹ Năng Số` }];
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { cert } = await requireManagedCertificate(request, context, params.code);
  const replacedBy = await codeOf(cert.replacedById);
  return {
    display: groupCode(cert.code),
    state: statusOf(cert),
    fullName: cert.fullName,
    position: cert.position,
    unitName: cert.unitName,
    unit: { code: cert.orgUnit.code, nameVi: cert.orgUnit.nameVi, nameEn: cert.orgUnit.nameEn },
    courseTitle: cert.courseTitle,
    issuer: cert.issuer,
    completedAt: cert.completedAt,
    issuedAt: cert.issuedAt,
    expiresAt: cert.expiresAt,
    revokedAt: cert.revokedAt,
    revokeReason: cert.revokeReason,
    replacedBy: replacedBy ? groupCode(replacedBy) : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, ip, cert } = await requireManagedCertificate(request, context, params.code);
  // Both change what a certificate's code proves: a fresh password, like other sensitive acts.
  await requireRecentAuth(request, user);
  const form = await request.formData();
  const actor = { userId: user.id, ip, orgUnitId: cert.orgUnit.id };
  const reason = field(form, "reason", REASON_MAX + 1);
  if (field(form, "intent") === "reissue") {
    const result = await reissueCertificate(cert, reason, actor);
    if (result.ok) return redirect(`/hr/certificates/${groupCode(result.code)}?done=reissued`);
    return data({ intent: "reissue" as const, error: result.error }, { status: result.error === "cannotReissue" ? 409 : result.error === "ownCertificate" ? 403 : 400 });
  }
  const result = await revokeCertificate(cert, reason, actor);
  if (result === "revoked") return redirect(`/hr/certificates/${groupCode(cert.code)}?done=revoked`);
  return data({ intent: "revoke" as const, error: result }, { status: result === "notValid" ? 409 : result === "ownCertificate" ? 403 : 400 });
}

export default function HrCertificate() {
  const c = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const fmt = useFormat();
  const lang = useLang();
  const done = params.get("done");
  const fieldError = result?.error === "reasonRequired" || result?.error === "reasonTooLong" ? result.error : null;
  const reasonError = fieldError && result?.intent === "revoke" ? t(`certificates.hr.errors.${fieldError}`) : undefined;
  const reissueReasonError = fieldError && result?.intent === "reissue" ? t(`certificates.hr.errors.reissue.${fieldError}`) : undefined;
  const otherError =
    result?.error === "notValid" || result?.error === "cannotReissue" || result?.error === "ownCertificate" ? t(`certificates.hr.errors.${result.error}`) : undefined;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <p className="text-sm">
        <Link to="/hr/certificates">← {t("certificates.hr.back")}</Link>
      </p>
      <h1 className="break-words text-2xl font-bold text-brand-800">{t("certificates.hr.detailTitle", { code: c.display })}</h1>
      {done === "revoked" ? <Notice tone="success">{t("certificates.hr.revoked")}</Notice> : null}
      {done === "reissued" ? <Notice tone="success">{t("certificates.hr.reissued")}</Notice> : null}
      {otherError ? <Notice tone="error">{otherError}</Notice> : null}
      <section className="card space-y-4" aria-labelledby="detail-heading">
        <h2 id="detail-heading" className="flex flex-wrap items-center gap-3 text-lg font-semibold">
          {c.fullName} <StatusBadge state={c.state} />
        </h2>
        <dl className="grid gap-x-6 gap-y-2 break-words sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-slate-700">{t("certificates.hr.position")}</dt>
          <dd>{c.position || "—"}</dd>
          <dt className="font-medium text-slate-700">{t("certificates.hr.unitCol")}</dt>
          <dd>
            {c.unitName} <span className="text-sm text-slate-600">({c.unit.code} · {lang === "vi" ? c.unit.nameVi : c.unit.nameEn})</span>
          </dd>
          <dt className="font-medium text-slate-700">{t("certificates.course")}</dt>
          <dd>{c.courseTitle}</dd>
          <dt className="font-medium text-slate-700">{t("certificates.completedOn")}</dt>
          <dd>{fmt.date(c.completedAt)}</dd>
          <dt className="font-medium text-slate-700">{t("certificates.issuedOn")}</dt>
          <dd>{fmt.date(c.issuedAt)}</dd>
          <dt className="font-medium text-slate-700">{t("certificates.expiresOn")}</dt>
          <dd>{c.expiresAt ? fmt.date(c.expiresAt) : t("certificates.noExpiry")}</dd>
          <dt className="font-medium text-slate-700">{t("certificates.hr.issuer")}</dt>
          <dd>{c.issuer}</dd>
          {c.revokedAt ? (
            <>
              <dt className="font-medium text-slate-700">{t("certificates.hr.revokedOn")}</dt>
              <dd>{fmt.dateTime(c.revokedAt)}</dd>
              <dt className="font-medium text-slate-700">{t("certificates.hr.revokeReason")}</dt>
              <dd className="whitespace-pre-line">{c.revokeReason}</dd>
            </>
          ) : null}
          {c.replacedBy ? (
            <>
              <dt className="font-medium text-slate-700">{t("certificates.hr.replacedBy")}</dt>
              <dd className="font-mono">
                <Link to={`/hr/certificates/${c.replacedBy}`}>{c.replacedBy}</Link>
              </dd>
            </>
          ) : null}
        </dl>
        <p className="flex flex-wrap gap-3">
          <a href={`/hr/certificates/${c.display}/pdf`} className="btn-secondary" download>
            {t("certificates.download")}
          </a>
          <Link to={`/verify/${c.display}`} className="btn-secondary">
            {t("certificates.verifyLink")}
          </Link>
        </p>
      </section>
      {c.state === "valid" || c.state === "expired" ? (
        <ReasonForm
          intent="revoke"
          title={t("certificates.hr.revokeTitle")}
          intro={t("certificates.hr.revokeIntro")}
          label={t("certificates.hr.reason")}
          rows={3}
          error={reasonError}
          submit={t("certificates.hr.revoke")}
          buttonClass="btn-danger"
        />
      ) : null}
      {!c.replacedBy ? (
        <ReasonForm
          intent="reissue"
          title={t("certificates.hr.reissueTitle")}
          intro={t(c.state === "revoked" ? "certificates.hr.reissueIntroRevoked" : "certificates.hr.reissueIntro")}
          label={t("certificates.hr.reissueReason")}
          rows={2}
          error={reissueReasonError}
          submit={t("certificates.hr.reissue")}
          buttonClass="btn-secondary"
        />
      ) : null}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";

/** Revoking and reissuing both post an intent with a required, audited reason. */
function ReasonForm(props: { intent: "revoke" | "reissue"; title: string; intro: string; label: string; rows: number; error?: string; submit: string; buttonClass: string }) {
  const { intent, error } = props;
  const field = intent === "revoke" ? "reason" : "reissue-reason";
  return (
    <section className="card space-y-3" aria-labelledby={`${intent}-heading`}>
      <h2 id={`${intent}-heading`} className="text-lg font-semibold">
        {props.title}
      </h2>
      <p className="text-sm text-slate-700">{props.intro}</p>
      <Form method="post" className="space-y-3" noValidate>
        <input type="hidden" name="intent" value={intent} />
        <TextareaField id={field} label={props.label} error={error} name="reason" rows={props.rows} maxLength={REASON_MAX} required />
        <button type="submit" className={props.buttonClass}>
          {props.submit}
        </button>
      </Form>
    </section>
  );
}
