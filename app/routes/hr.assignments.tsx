import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { SelectField, TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { cancelAssignment, createAssignment, editAssignment } from "~/hr/assignments.server";
import { listAssignments } from "~/hr/assignments.data.server";
import { requireUser } from "~/identity/auth.server";
import { authorize, requireAuthorized, scopePaths } from "~/identity/authorize.server";
import { checkbox, optionalText, parseForm, text } from "~/platform/forms.server";
import { findUnitByCode } from "~/hr/org-units.data.server";
import { publishedCourseChoices, publishedCourseForAssignment } from "~/hr/published-courses.data.server";
import { clientIp, MAX_ID, positiveId } from "~/platform/request.server";
import "~/locales/follow-up";
import { pageTitle, useFormat, useLang, useT } from "~/utils/i18n";
import { dayEnd, VIETNAM_OFFSET_MS } from "~/utils/vietnam-time";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.assignments");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireAuthorized(user, "staff.manage", null, { ip: clientIp(context) });
  const courses = await publishedCourseChoices();
  const top = scopePaths(user, "staff.manage").sort((a, b) => a.length - b.length)[0];
  return { assignments: await listAssignments(scopePaths(user, "staff.manage")), courses, defaultUnit: top.split("/").filter(Boolean).pop() ?? "" };
}

const schema = z.object({
  courseId: z.coerce.number({ message: "hr.courseNotFound" }).int().positive("hr.courseNotFound").max(MAX_ID, "hr.courseNotFound"),
  unitCode: text(32),
  positions: optionalText(1000),
  dueAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "hr.invalidDate"),
  recurrence: z.enum(["none", "yearly"]).default("none"),
  reminderDays: z.coerce.number({ message: "errors.invalidNumber" }).int("errors.invalidNumber").min(0, "errors.invalidNumber").max(365, "errors.invalidNumber"),
  acceptsClasses: checkbox,
});

const editSchema = z.object({
  dueAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "hr.invalidDate"),
  reminderDays: z.coerce.number({ message: "errors.invalidNumber" }).int("errors.invalidNumber").min(0, "errors.invalidNumber").max(365, "errors.invalidNumber"),
  acceptsClasses: checkbox,
});

type ActionResult = { errors: Record<string, string>; enrolled: number | null; edited?: { id: number; moved: number }; cancelled?: boolean; failed?: string };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "staff.manage", null, { ip });
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "edit" || intent === "cancel") {
    const id = positiveId(form.get("assignmentId"));
    if (intent === "cancel") {
      await cancelAssignment(user, id, ip);
      return data<ActionResult>({ errors: {}, enrolled: null, cancelled: true });
    }
    const parsed = parseForm(editSchema, form);
    const dueAt = parsed.ok ? dayEnd(parsed.value.dueAt) : null;
    if (!parsed.ok || !dueAt) return data<ActionResult>({ errors: parsed.ok ? { dueAt: "hr.invalidDate" } : parsed.errors, enrolled: null, failed: "edit" }, { status: 400 });
    const result = await editAssignment(user, id, { dueAt, reminderDays: parsed.value.reminderDays, acceptsClasses: parsed.value.acceptsClasses }, ip);
    if (result.error) return data<ActionResult>({ errors: {}, enrolled: null, failed: result.error }, { status: 409 });
    return data<ActionResult>({ errors: {}, enrolled: null, edited: { id: id!, moved: result.moved } });
  }
  const parsed = parseForm(schema, form);
  if (!parsed.ok) return data({ errors: parsed.errors, enrolled: null }, { status: 400 });
  const v = parsed.value;
  const unit = await findUnitByCode(v.unitCode);
  if (!unit || !authorize(user, "staff.manage", unit)) return data({ errors: { unitCode: "admin.unitNotFound" }, enrolled: null }, { status: 400 });
  const course = await publishedCourseForAssignment(v.courseId);
  if (!course) return data({ errors: { courseId: "hr.courseNotFound" }, enrolled: null }, { status: 400 });
  const dueAt = dayEnd(v.dueAt);
  if (!dueAt) return data({ errors: { dueAt: "hr.invalidDate" }, enrolled: null }, { status: 400 });
  const positions = v.positions.split(",").map((p) => p.trim()).filter(Boolean).slice(0, 30);
  const result = await createAssignment({ courseId: course.id, orgUnit: unit, positions, dueAt, recurrence: v.recurrence, reminderDays: v.reminderDays, acceptsClasses: v.acceptsClasses }, user, ip);
  return data({ errors: {} as Record<string, string>, enrolled: result.enrolled });
}

export default function AssignmentsPage() {
  const { assignments, courses, defaultUnit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const fmt = useFormat();
  const errors: Record<string, string> = result?.errors ?? {};
  const err = (k: string, label: string) => (errors[k] ? t(errors[k], { field: label }) : undefined);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{t("hr.assignmentsTitle")}</h1>
        <p className="mt-1 text-slate-700">{t("hr.assignmentsIntro")}</p>
      </div>
      {result?.enrolled !== null && result?.enrolled !== undefined ? <Notice tone="success">{t("hr.assigned", { count: result.enrolled })}</Notice> : null}
      {result && "edited" in result && result.edited ? <Notice tone="success">{t("followUp.assignments.saved", { count: fmt.number(result.edited.moved) })}</Notice> : null}
      {result && "cancelled" in result && result.cancelled ? <Notice tone="success">{t("followUp.assignments.cancelled")}</Notice> : null}
      {result && "failed" in result && result.failed ? <Notice tone="error">{result.failed === "edit" ? t(Object.values(result.errors)[0] ?? "hr.invalidDate") : t(result.failed)}</Notice> : null}
      <section className="card max-w-2xl" aria-labelledby="new-heading">
        <h2 id="new-heading" className="text-lg font-semibold">
          {t("hr.assign")}
        </h2>
        <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-2" noValidate>
          <SelectField id="courseId" label={t("hr.course")} error={err("courseId", t("hr.course"))} name="courseId" containerClassName="sm:col-span-2">
            {courses.filter((c) => !c.unpublishedAt).map((c) => (
              <option key={c.id} value={c.id}>{lang === "en" && c.titleEn ? c.titleEn : c.title}</option>
            ))}
          </SelectField>
          <TextField id="unitCode" label={t("hr.scopeUnit")} error={err("unitCode", t("hr.scopeUnit"))} name="unitCode" defaultValue={defaultUnit} />
          <TextField id="dueAt" label={t("hr.dueAt")} error={err("dueAt", t("hr.dueAt"))} name="dueAt" type="date" />
          <TextField id="positions" label={t("hr.positions")} name="positions" containerClassName="sm:col-span-2" />
          <SelectField id="recurrence" label={t("hr.recurrence")} name="recurrence">
            <option value="none">{t("hr.once")}</option>
            <option value="yearly">{t("hr.yearly")}</option>
          </SelectField>
          <TextField id="reminderDays" label={t("hr.reminderDays")} error={err("reminderDays", t("hr.reminderDays"))} name="reminderDays" type="number" min={0} max={365} defaultValue={7} />
          <AcceptsClassesField id="acceptsClasses" />
          <div className="sm:col-span-2">
            <button type="submit" className="btn">{t("hr.assign")}</button>
          </div>
        </Form>
      </section>
      {assignments.length === 0 ? (
        <p>{t("hr.noAssignments")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="table bg-white">
            <thead>
              <tr>
                <th scope="col">{t("hr.course")}</th>
                <th scope="col">{t("hr.unit")}</th>
                <th scope="col">{t("hr.position")}</th>
                <th scope="col">{t("hr.dueAt")}</th>
                <th scope="col">{t("hr.recurrence")}</th>
                <th scope="col" className="text-right">{t("hr.enrolments")}</th>
                <th scope="col"><span className="sr-only">{t("followUp.assignments.edit")}</span></th>
              </tr>
            </thead>
            <tbody>
              {assignments.map((a) => (
                <tr key={a.id}>
                  <td>{lang === "en" && a.course.titleEn ? a.course.titleEn : a.course.title}</td>
                  <td>{lang === "vi" ? a.orgUnit.nameVi : a.orgUnit.nameEn}</td>
                  <td>{a.positions ? (JSON.parse(a.positions) as string[]).join(", ") : "—"}</td>
                  <td>{a.cancelledAt ? t("followUp.assignments.cancelledOn", { date: fmt.date(a.cancelledAt) }) : fmt.date(a.dueAt)}</td>
                  <td>
                    {a.recurrence === "yearly" ? t("hr.yearly") : t("hr.once")}
                    {a.acceptsClasses ? <span className="block text-xs text-slate-600">{t("followUp.assignments.acceptsClassesShort")}</span> : null}
                  </td>
                  <td className="text-right">{fmt.number(a._count.enrollments)}</td>
                  <td className="space-y-2">
                    <Link to={`/hr/progress?${new URLSearchParams({ unit: a.orgUnit.code, course: String(a.courseId), assignment: String(a.id) })}`}>{t("followUp.assignments.follow")}</Link>
                    {a.active ? <AssignmentActions id={a.id} dueAt={a.dueAt} reminderDays={a.reminderDays} acceptsClasses={a.acceptsClasses} /> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Editing an assignment's due date and reminder window, and cancelling it, folded under its row. */
function AssignmentActions({ id, dueAt, reminderDays, acceptsClasses }: { id: number; dueAt: Date; reminderDays: number; acceptsClasses: boolean }) {
  const t = useT();
  // The due date as the day it falls on in Viet Nam (the last second of that day is stored).
  const day = new Date(dueAt.getTime() + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
  return (
    <details>
      <summary className="cursor-pointer text-sm text-brand-700 underline">{t("followUp.assignments.edit")}</summary>
      <Form method="post" className="mt-2 space-y-2">
        <input type="hidden" name="assignmentId" value={id} />
        <TextField id={`due-${id}`} label={t("hr.dueAt")} name="dueAt" type="date" defaultValue={day} />
        <TextField id={`remind-${id}`} label={t("hr.reminderDays")} name="reminderDays" type="number" min={0} max={365} defaultValue={reminderDays} />
        <AcceptsClassesField id={`classes-${id}`} defaultChecked={acceptsClasses} />
        <p className="text-xs text-slate-600">{t("followUp.assignments.keepPersonal")}</p>
        <button type="submit" name="intent" value="edit" className="btn">{t("followUp.assignments.save")}</button>
      </Form>
      <Form
        method="post"
        className="mt-3"
        onSubmit={(event) => {
          if (!window.confirm(t("followUp.assignments.cancelConfirm"))) event.preventDefault();
        }}
      >
        <input type="hidden" name="assignmentId" value={id} />
        <button type="submit" name="intent" value="cancel" className="btn-secondary">{t("followUp.assignments.cancel")}</button>
      </Form>
    </details>
  );
}

/** Whether a completed in-person class of the course's category satisfies the assignment. */
function AcceptsClassesField({ id, defaultChecked = false }: { id: string; defaultChecked?: boolean }) {
  const t = useT();
  return (
    <div className="sm:col-span-2">
      <label htmlFor={id} className="flex min-h-6 items-start gap-2">
        <input id={id} type="checkbox" name="acceptsClasses" defaultChecked={defaultChecked} className="mt-1 h-5 w-5" aria-describedby={`${id}-hint`} />
        <span>{t("followUp.assignments.acceptsClasses")}</span>
      </label>
      <p id={`${id}-hint`} className="ml-7 text-xs text-slate-600">{t("followUp.assignments.acceptsClassesHint")}</p>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
