import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { requireUser } from "~/identity/auth.server";
import { authorize } from "~/identity/authorize.server";
import { enrolmentForPage, extendDue, grantExtra, remindNow, setExemption } from "~/hr/progress.server";
import { parseForm, text } from "~/platform/forms.server";
import { clientIp, idParam } from "~/platform/request.server";
import { pageTitle, useFormat, useLang, useT } from "~/utils/i18n";
import { dayEnd, VIETNAM_OFFSET_MS } from "~/utils/vietnam-time";
import "~/locales/follow-up";

// One person's enrolment in one course, for HR (and the course's trainer): where they stand,
// and what can be done for them — remind, extend, exempt, an extra attempt or extra time.
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.progress");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { enrolment: e, attempts, reminders, canManage } = await enrolmentForPage(user, idParam(params.id), clientIp(context));
  return {
    canManage,
    // Trainers come from their course's learners; HR from the follow-up list.
    back: authorize(user, "report.view", e.user.orgUnit) ? `/hr/progress?${new URLSearchParams({ unit: e.user.orgUnit.code, course: String(e.course.id) })}` : `/author/${e.course.slug}/learners`,
    enrolment: {
      id: e.id,
      fullName: e.user.fullName,
      userId: e.userId,
      employeeCode: e.user.employeeCode,
      unit: e.user.orgUnit,
      course: { id: e.course.id, title: e.course.title, titleEn: e.course.titleEn },
      dueAt: e.dueAt,
      completedAt: e.completedAt,
      creditedClass: e.completedByClass,
      exemptAt: e.exemptAt,
      exemptReason: e.exemptReason,
      dueReason: e.dueReason,
      extraAttempts: e.extraAttempts,
      extraMinutes: e.extraMinutes,
    },
    attempts,
    reminders: reminders.map((r) => r.day),
  };
}

const reason = text(300).pipe(z.string());
const schemas = {
  extend: z.object({ dueAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "followUp.errors.invalidDate"), reason }),
  exempt: z.object({ reason }),
  grant: z.object({
    extraAttempts: z.coerce.number({ message: "followUp.errors.grantRange" }).int("followUp.errors.grantRange").min(0, "followUp.errors.grantRange").max(5, "followUp.errors.grantRange"),
    extraMinutes: z.coerce.number({ message: "followUp.errors.grantRange" }).int("followUp.errors.grantRange").min(0, "followUp.errors.grantRange").max(120, "followUp.errors.grantRange"),
    reason,
  }),
};

type Result = { done: string | null; error: string | null; field?: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  const id = idParam(params.id);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const fail = (error: string, field?: string) => data<Result>({ done: null, error, field }, { status: 400 });
  if (intent === "remind") {
    const r = await remindNow(user, [id], ip);
    return data<Result>({ done: r.sent ? "followUp.reminded" : null, error: r.sent ? null : r.already ? "followUp.reminded" : "followUp.remindRefused" });
  }
  if (intent === "unexempt") {
    const r = await setExemption(user, id, null, ip);
    return r.error ? fail(r.error) : data<Result>({ done: "followUp.forms.unexempted", error: null });
  }
  if (intent === "extend") {
    const parsed = parseForm(schemas.extend, form);
    if (!parsed.ok) return fail(Object.values(parsed.errors)[0] === "errors.required" ? "followUp.errors.reasonRequired" : Object.values(parsed.errors)[0], intent);
    const dueAt = dayEnd(parsed.value.dueAt);
    if (!dueAt) return fail("followUp.errors.invalidDate", intent);
    const r = await extendDue(user, id, dueAt, parsed.value.reason, ip);
    return r.error ? fail(r.error, intent) : data<Result>({ done: "followUp.forms.extended", error: null });
  }
  if (intent === "exempt") {
    const parsed = parseForm(schemas.exempt, form);
    if (!parsed.ok) return fail("followUp.errors.reasonRequired", intent);
    const r = await setExemption(user, id, parsed.value.reason, ip);
    return r.error ? fail(r.error, intent) : data<Result>({ done: "followUp.forms.exempted", error: null });
  }
  if (intent === "grant") {
    const parsed = parseForm(schemas.grant, form);
    if (!parsed.ok) return fail(Object.values(parsed.errors)[0] === "errors.required" ? "followUp.errors.reasonRequired" : "followUp.errors.grantRange", intent);
    if (parsed.value.extraAttempts + parsed.value.extraMinutes === 0) return fail("followUp.errors.grantRange", intent);
    const r = await grantExtra(user, id, { attempts: parsed.value.extraAttempts, minutes: parsed.value.extraMinutes }, parsed.value.reason, ip);
    return r.error ? fail(r.error, intent) : data<Result>({ done: "followUp.forms.granted", error: null });
  }
  return fail("errors.badRequest");
}

export default function EnrolmentPage() {
  const { enrolment: e, attempts, reminders, canManage, back } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const fmt = useFormat();
  const course = lang === "en" && e.course.titleEn ? e.course.titleEn : e.course.title;
  const dueDay = e.dueAt ? new Date(e.dueAt.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10) : "";
  const open = !e.completedAt;
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to={back}>{t("followUp.person.back")}</Link>
      </p>
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{t("followUp.person.title", { name: e.fullName, course })}</h1>
        <p className="mt-1 text-slate-700">
          {e.employeeCode} · {lang === "vi" ? e.unit.nameVi : e.unit.nameEn}
          {canManage ? (
            <>
              {" · "}
              <Link to={`/hr/staff/${e.userId}`}>{t("followUp.person.profile")}</Link>
            </>
          ) : null}
        </p>
      </div>
      {result?.done ? <Notice tone="success">{t(result.done, { sent: 1, already: 0, count: 1 })}</Notice> : null}
      {result?.error ? <Notice tone="error">{t(result.error, { sent: 0, already: 1, count: 1 })}</Notice> : null}
      <section className="card space-y-2" aria-labelledby="summary-heading">
        <h2 id="summary-heading" className="text-lg font-semibold">{t("followUp.person.summary")}</h2>
        {e.completedAt && e.creditedClass ? (
          <p>
            {t("followUp.person.doneByClass", { date: fmt.date(e.completedAt) })}{" "}
            <Link to={`/hr/classes/${e.creditedClass.id}`}>{e.creditedClass.title}</Link>
          </p>
        ) : e.completedAt ? (
          <p>{t("followUp.person.done")}</p>
        ) : null}
        <p>
          {t("followUp.person.due")}: {e.dueAt ? fmt.date(e.dueAt) : t("followUp.person.noDue")}
        </p>
        {e.dueReason ? <p className="text-sm text-slate-700">{t("followUp.person.dueReason", { reason: e.dueReason })}</p> : null}
        {e.exemptAt ? <p>{t("followUp.person.exempt", { date: fmt.date(e.exemptAt), reason: e.exemptReason ?? "" })}</p> : null}
        {e.extraAttempts || e.extraMinutes ? <p className="text-sm">{t("followUp.person.extra", { attempts: e.extraAttempts, minutes: e.extraMinutes })}</p> : null}
        <h3 className="font-semibold">{t("followUp.person.attempts")}</h3>
        {attempts.length ? (
          <ul className="list-disc pl-6 text-sm">
            {attempts.map((a) => (
              <li key={a.number}>
                {t("followUp.person.attempt", {
                  number: a.number,
                  score: a.score ?? "—",
                  result: a.status === "open" ? t("followUp.person.open") : a.passed ? t("followUp.person.passed") : t("followUp.person.notPassed"),
                })}
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm">{t("followUp.person.noAttempts")}</p>
        )}
        {reminders.length ? <p className="text-sm text-slate-700">{t("followUp.person.reminders", { days: reminders.join(", ") })}</p> : null}
      </section>
      {open && canManage ? (
        <div className="grid gap-4 md:grid-cols-2">
          <Form method="post" className="card space-y-3">
            <h2 className="text-lg font-semibold">{t("followUp.forms.remind")}</h2>
            <p className="text-sm text-slate-700">{t("followUp.remindNote")}</p>
            <button type="submit" name="intent" value="remind" className="btn" disabled={Boolean(e.exemptAt)}>{t("followUp.forms.remind")}</button>
          </Form>
          <Form method="post" className="card space-y-3">
            <h2 className="text-lg font-semibold">{t("followUp.forms.extendTitle")}</h2>
            <TextField id="dueAt" label={t("followUp.forms.newDue")} name="dueAt" type="date" defaultValue={dueDay} required />
            <TextField id="extend-reason" label={t("followUp.forms.reason")} hint={t("followUp.forms.reasonHelp")} name="reason" required maxLength={300} error={result?.field === "extend" && result.error ? t(result.error) : undefined} />
            <button type="submit" name="intent" value="extend" className="btn">{t("followUp.forms.extend")}</button>
          </Form>
          <Form method="post" className="card space-y-3">
            <h2 className="text-lg font-semibold">{t("followUp.forms.exemptTitle")}</h2>
            <p className="text-sm text-slate-700">{t("followUp.forms.exemptHelp")}</p>
            {e.exemptAt ? (
              <button type="submit" name="intent" value="unexempt" className="btn-secondary">{t("followUp.forms.unexempt")}</button>
            ) : (
              <>
                <TextField id="exempt-reason" label={t("followUp.forms.reason")} hint={t("followUp.forms.reasonHelp")} name="reason" required maxLength={300} error={result?.field === "exempt" && result.error ? t(result.error) : undefined} />
                <button type="submit" name="intent" value="exempt" className="btn">{t("followUp.forms.exempt")}</button>
              </>
            )}
          </Form>
          <GrantForm error={result?.field === "grant" && result.error ? t(result.error) : undefined} />
        </div>
      ) : open ? (
        <GrantForm error={result?.field === "grant" && result.error ? t(result.error) : undefined} />
      ) : null}
    </div>
  );
}

function GrantForm({ error }: { error?: string }) {
  const t = useT();
  return (
    <Form method="post" className="card space-y-3">
      <h2 className="text-lg font-semibold">{t("followUp.forms.grantTitle")}</h2>
      <TextField id="extraAttempts" label={t("followUp.forms.extraAttempts")} name="extraAttempts" type="number" min={0} max={5} defaultValue={1} />
      <TextField id="extraMinutes" label={t("followUp.forms.extraMinutes")} name="extraMinutes" type="number" min={0} max={120} defaultValue={0} />
      <TextField id="grant-reason" label={t("followUp.forms.reason")} hint={t("followUp.forms.reasonHelp")} name="reason" required maxLength={300} error={error} />
      <button type="submit" name="intent" value="grant" className="btn">{t("followUp.forms.grant")}</button>
    </Form>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
