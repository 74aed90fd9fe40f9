import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { SelectField, TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { Pagination } from "~/components/ui/Pagination";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { followUpPage, followUpRequest, remindableEnrolments, remindNow } from "~/hr/progress.server";
import { PROGRESS_SORTS, PROGRESS_STATUSES } from "~/utils/follow-up";
import { clientIp, positiveId } from "~/platform/request.server";
import { pageTitle, useFormat, useLang, useT } from "~/utils/i18n";
import { ProgressTable } from "./progress-table";
import "~/locales/follow-up";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.progress");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const { unit, courses, course, assignments, assignment, query, page } = await followUpRequest(user, url, clientIp(context));
  const list = await followUpPage(query, page);
  return {
    unit: { code: unit.code, nameVi: unit.nameVi, nameEn: unit.nameEn },
    courses: courses.map((c) => ({ id: c.id, title: c.title, titleEn: c.titleEn })),
    course: course ? { id: course.id, title: course.title, titleEn: course.titleEn } : null,
    assignments: assignments.map((a) => ({ id: a.id, dueAt: a.dueAt, cancelled: !a.active, unitVi: a.orgUnit.nameVi, unitEn: a.orgUnit.nameEn })),
    params: {
      unit: unit.code,
      course: course ? String(course.id) : "",
      assignment: assignment ? String(assignment.id) : "",
      status: query.status ?? "",
      q: query.text,
      sort: query.sort,
    },
    page,
    list,
  };
}

/** "Send a reminder now": to the ticked people, or to everyone the list's filters select. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "staff.manage", null, { ip });
  const form = await request.formData();
  let ids: number[];
  if (form.get("intent") === "remindAll") {
    const url = new URL(request.url);
    const { query } = await followUpRequest(user, url, ip);
    ids = await remindableEnrolments(query);
  } else {
    ids = form.getAll("enrollmentId").slice(0, 200).map(positiveId).filter((id): id is number => id !== null);
  }
  if (!ids.length) return data({ reminded: null, error: "followUp.noneSelected" }, { status: 400 });
  return data({ reminded: await remindNow(user, ids, ip), error: null });
}

export default function ProgressPage() {
  const { unit, courses, course, assignments, params, page, list } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const fmt = useFormat();
  const title = (c: { title: string; titleEn: string | null }) => (lang === "en" && c.titleEn ? c.titleEn : c.title);
  const query = Object.fromEntries(Object.entries(params).filter(([, v]) => v)) as Record<string, string>;
  const link = (extra: Record<string, string>) => `?${new URLSearchParams({ ...query, ...extra })}`;
  const all = Object.values(list.counts).reduce((a, b) => a + b, 0);
  // Who "everyone in this list" reminds: the list's people who are neither done nor exempt.
  const closed = params.status === "done" || params.status === "exempt";
  const remindable = closed ? 0 : params.status ? list.total : all - list.counts.done - list.counts.exempt;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{t("followUp.title")}</h1>
        <p className="mt-1 text-slate-700">
          {lang === "vi" ? unit.nameVi : unit.nameEn} — {t("followUp.intro")}
        </p>
      </div>
      <Form method="get" className="grid gap-3 sm:grid-cols-3 sm:items-end">
        <TextField id="unit" label={t("followUp.unit")} name="unit" defaultValue={params.unit} />
        <SelectField id="course" label={t("followUp.course")} name="course" defaultValue={params.course}>
          <option value="">{t("followUp.allCourses")}</option>
          {courses.map((c) => (
            <option key={c.id} value={c.id}>{title(c)}</option>
          ))}
        </SelectField>
        {assignments.length ? (
          <SelectField id="assignment" label={t("followUp.assignment")} name="assignment" defaultValue={params.assignment}>
            <option value="">{t("followUp.allAssignments")}</option>
            {assignments.map((a) => (
              <option key={a.id} value={a.id}>
                {t("followUp.assignmentOption", { unit: lang === "vi" ? a.unitVi : a.unitEn, due: fmt.date(a.dueAt), cancelled: a.cancelled ? t("followUp.cancelledMark") : "" })}
              </option>
            ))}
          </SelectField>
        ) : null}
        <TextField id="q" label={t("followUp.search")} name="q" defaultValue={params.q} />
        <SelectField id="status" label={t("followUp.statusFilter")} name="status" defaultValue={params.status}>
          <option value="">{t("followUp.allStatuses", { count: fmt.number(all) })}</option>
          {PROGRESS_STATUSES.map((s) => (
            <option key={s} value={s}>{`${t(`followUp.status.${s}`)} (${fmt.number(list.counts[s])})`}</option>
          ))}
        </SelectField>
        <SelectField id="sort" label={t("followUp.sort")} name="sort" defaultValue={params.sort}>
          {PROGRESS_SORTS.map((s) => (
            <option key={s} value={s}>{t(`followUp.sorts.${s}`)}</option>
          ))}
        </SelectField>
        <button type="submit" className="btn">{t("followUp.show")}</button>
      </Form>
      {result?.error ? <Notice tone="error">{t(result.error)}</Notice> : null}
      {result?.reminded ? (
        <Notice tone="success">
          {t("followUp.reminded", { sent: fmt.number(result.reminded.sent), already: fmt.number(result.reminded.already) })}
          {result.reminded.refused ? ` ${t("followUp.remindRefused", { count: fmt.number(result.reminded.refused) })}` : ""}
        </Notice>
      ) : null}
      {!course ? <p className="text-sm text-slate-700">{t("followUp.everyCourse")}</p> : null}
      <nav aria-label={t("followUp.statusFilter")}>
        <ul className="flex flex-wrap gap-2 text-sm">
          {PROGRESS_STATUSES.map((s) => (
            <li key={s}>
              <Link to={link({ status: s, page: "0" })} aria-current={params.status === s ? "true" : undefined} className={params.status === s ? "font-bold" : undefined}>
                {`${t(`followUp.status.${s}`)}: ${fmt.number(list.counts[s])}`}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p className="flex flex-wrap gap-3">
        <a href={link({ format: "csv" })} className="btn-secondary" download>{t("followUp.exportCsv")}</a>
        <a href={link({ format: "xlsx" })} className="btn-secondary" download>{t("followUp.exportXlsx")}</a>
      </p>
      <ProgressTable rows={list.rows} showCourse={!course} page={page} pageSize={list.pageSize} total={list.total} />
      <Pagination label={t("followUp.title")} query={query} page={page} pageSize={list.pageSize} total={list.total} previous={t("hr.previous")} next={t("hr.more")} />
      {remindable > 0 ? (
        <Form method="post" action={link({})}>
          <button type="submit" name="intent" value="remindAll" className="btn-secondary">
            {t("followUp.remindAll", { count: fmt.number(remindable) })}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
