import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { TextareaField, TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { requireRecentAuth } from "~/identity/auth.server";
import { actOnAccount } from "~/identity/accounts.server";
import { authorize } from "~/identity/authorize.server";
import { accountStatus } from "~/utils/account-status";
import { trainingRecord } from "~/learning/enrollments.data.server";
import { overrideAttempt, requireStaffMember } from "~/learning/grade-override.server";
import { field, idParam, positiveId } from "~/platform/request.server";
import { groupCode } from "~/utils/certificates";
import { OVERRIDE_REASON_MAX, OVERRIDE_REASON_MIN } from "~/utils/grade-override";
import { getT, isLang, useFormat, useLang, useT } from "~/utils/i18n";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const lang = (matches.find((m) => m.id === "root")?.data as { lang?: string } | undefined)?.lang;
  const t = getT(isLang(lang) ? lang : "vi");
  return [{ title: `${data?.person.fullName ?? t("hr.staffTitle")} — Kỹ Năng Số` }];
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, person } = await requireStaffMember(request, context, idParam(params.id));
  const record = await trainingRecord(person.id);
  return {
    person,
    record,
    canOverride: authorize(user, "grade.override", person.orgUnit),
    account: { status: accountStatus(person), canManage: authorize(user, "staff.manage", person.orgUnit) && user.id !== person.id },
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { user, ip, person } = await requireStaffMember(request, context, idParam(params.id));
  await requireRecentAuth(request, user);
  const form = await request.formData();
  const what = field(form, "account", 10);
  if (what === "lock" || what === "unlock" || what === "resend") {
    const result = await actOnAccount(user, person.id, what, ip);
    if (result.ok) return redirect(`/hr/staff/${person.id}?done=${result.done}`);
    return data({ attemptId: null, error: null, accountError: result.error }, { status: result.error === "notFound" ? 404 : result.error === "state" ? 409 : 403 });
  }
  const attemptId = positiveId(field(form, "attemptId"));
  if (!attemptId) return data({ attemptId: null, error: "notSubmitted" as const, accountError: null }, { status: 400 });
  const result = await overrideAttempt(user, person, { attemptId, score: field(form, "score", 10), reason: field(form, "reason", OVERRIDE_REASON_MAX + 1) }, ip);
  if (result.ok) return redirect(`/hr/staff/${person.id}?done=${result.completed ? "completed" : "saved"}`);
  const status = result.error === "ownGrade" ? 403 : result.error === "alreadyCompleted" || result.error === "unchanged" || result.error === "notSubmitted" ? 409 : 400;
  return data({ attemptId, error: result.error, accountError: null }, { status });
}

export default function StaffMember() {
  const { person, record, canOverride, account } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const t = useT();
  const fmt = useFormat();
  const lang = useLang();
  const done = params.get("done");
  // Refusals that are not about a field are shown at the top: the form may no longer be there.
  const refusal = result?.accountError
    ? t(result.accountError === "wider" || result.accountError === "self" || result.accountError === "noMail" ? `account.manage.${result.accountError}` : "errors.badRequest")
    : result?.error && result.error !== "scoreInvalid" && result.error !== "reasonRequired" && result.error !== "reasonTooLong"
      ? t(`hr.person.errors.${result.error}`)
      : null;
  const accountDone = done === "locked" || done === "unlocked" || done === "resent" ? done : null;
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <p className="text-sm">
        <Link to="/hr/staff">← {t("hr.person.back")}</Link>
      </p>
      <header>
        <h1 className="break-words text-2xl font-bold text-brand-800">{person.fullName}</h1>
        <p className="text-slate-700">
          {[person.employeeCode, person.position, lang === "vi" ? person.orgUnit.nameVi : person.orgUnit.nameEn].filter(Boolean).join(" · ")}
          {person.active ? null : ` · ${t("hr.left")}`}
        </p>
        <p className="text-sm text-slate-600">
          {person.email}
          {person.birthDate ? ` · ${t("hr.person.birthDate", { date: fmt.date(person.birthDate) })}` : null}
        </p>
        <p className="text-sm">
          <a href={`/hr/staff/${person.id}/transcript`} download>
            {t("hr.person.transcript")}
          </a>
        </p>
      </header>
      {done === "saved" ? <Notice tone="success">{t("hr.person.saved")}</Notice> : null}
      {done === "completed" ? <Notice tone="success">{t("hr.person.savedCompleted")}</Notice> : null}
      {accountDone ? <Notice tone="success">{t(`account.manage.${accountDone}`)}</Notice> : null}
      {refusal ? <Notice tone="error">{refusal}</Notice> : null}
      <section className="card space-y-2" aria-labelledby="account-heading">
        <h2 id="account-heading" className="text-lg font-semibold">
          {t("account.status.label")}: {t(`account.status.${account.status}`)}
        </h2>
        {account.canManage && account.status !== "left" ? (
          <Form method="post" className="flex flex-wrap gap-2">
            {account.status === "notActivated" ? (
              <button type="submit" name="account" value="resend" className="btn-secondary">
                {t("account.manage.resend")}
              </button>
            ) : null}
            {account.status === "locked" ? (
              <button type="submit" name="account" value="unlock" className="btn-secondary">
                {t("account.manage.unlock")}
              </button>
            ) : (
              <button type="submit" name="account" value="lock" className="btn-danger">
                {t("account.manage.lock")}
              </button>
            )}
          </Form>
        ) : null}
      </section>
      <h2 className="text-lg font-semibold">{t("hr.person.record")}</h2>
      {record.length === 0 ? <p>{t("hr.person.noEnrollments")}</p> : null}
      {record.map((e) => {
        const title = e.course.publishedVersion ? (lang === "en" && e.course.publishedVersion.titleEn ? e.course.publishedVersion.titleEn : e.course.publishedVersion.title) : e.course.slug;
        return (
          <section key={e.id} className="card space-y-3" aria-labelledby={`enrollment-${e.id}`}>
            <h3 id={`enrollment-${e.id}`} className="font-semibold">
              {title} {e.cycle > 1 ? <span className="text-sm font-normal text-slate-600">({t("hr.person.cycle", { cycle: e.cycle })})</span> : null}
            </h3>
            <p className="text-sm">
              {e.completedAt ? t("hr.person.completed", { date: fmt.date(e.completedAt) }) : t("hr.person.notCompleted")}
              {e.dueAt ? ` · ${t("hr.person.due")}: ${fmt.date(e.dueAt)}` : null}
              {e.certificates.map((c) => (
                <span key={c.code}>
                  {" · "}
                  {t("hr.person.certificate")}{" "}
                  <Link className="font-mono" to={`/hr/certificates/${groupCode(c.code)}`}>
                    {groupCode(c.code)}
                  </Link>
                </span>
              ))}
            </p>
            {e.attempts.length === 0 ? (
              <p className="text-sm text-slate-600">{t("hr.person.noAttempts")}</p>
            ) : (
              <div className="overflow-x-auto">
                <table className="table bg-white">
                  <caption className="sr-only">{t("hr.person.attempts")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("hr.person.attempts")}</th>
                      <th scope="col">{t("hr.person.submittedAt")}</th>
                      <th scope="col">{t("hr.person.score")}</th>
                      <th scope="col">{t("hr.person.result")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {e.attempts.map((a) => (
                      <tr key={a.id}>
                        <td>{t("hr.person.attempt", { number: a.number })}</td>
                        <td>{a.submittedAt ? fmt.dateTime(a.submittedAt) : "—"}</td>
                        <td>
                          {a.score ?? "—"}
                          <span className="block text-xs text-slate-600">{t("hr.person.passingScore", { score: a.version.passingScore })}</span>
                        </td>
                        <td>
                          {a.passed ? t("hr.person.passed") : t("hr.person.failed")}
                          {a.overriddenAt ? (
                            <span className="block whitespace-pre-line text-xs text-slate-700">
                              {t("hr.person.overridden", {
                                name: a.overriddenBy?.fullName ?? "—",
                                date: fmt.date(a.overriddenAt),
                                graded: a.gradedScore ?? "—",
                                reason: a.overrideReason ?? "",
                              })}
                            </span>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {canOverride && !e.completedAt
              ? e.attempts.map((a) => {
                  const error = result?.attemptId === a.id ? result.error : null;
                  const scoreError = error === "scoreInvalid" ? t("hr.person.errors.scoreInvalid") : undefined;
                  const reasonError = error === "reasonRequired" || error === "reasonTooLong" ? t(`hr.person.errors.${error}`) : undefined;
                  return (
                    <details key={`${a.id}-${a.score}`} className="rounded border border-slate-200 p-3" open={!!(scoreError || reasonError)}>
                      <summary className="cursor-pointer font-medium">{t("hr.person.overrideTitle", { number: a.number })}</summary>
                      <Form method="post" className="mt-3 space-y-3">
                        <p className="text-sm text-slate-700">{t("hr.person.overrideHelp")}</p>
                        <input type="hidden" name="attemptId" value={a.id} />
                        <TextField
                          id={`score-${a.id}`}
                          label={t("hr.person.newScore")}
                          error={scoreError}
                          name="score"
                          type="number"
                          min={0}
                          max={100}
                          step={1}
                          required
                          className="input w-32"
                        />
                        <TextareaField
                          id={`reason-${a.id}`}
                          label={t("hr.person.reason")}
                          error={reasonError}
                          name="reason"
                          required
                          minLength={OVERRIDE_REASON_MIN}
                          maxLength={OVERRIDE_REASON_MAX}
                          rows={3}
                          className="input w-full"
                        />
                        <button type="submit" className="btn" disabled={navigation.state === "submitting"}>
                          {t("hr.person.submit")}
                        </button>
                      </Form>
                    </details>
                  );
                })
              : null}
          </section>
        );
      })}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
