import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { TextareaField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { addAttendees, ATTENDEE_HEADERS, classForUser, linesFromTable, linesFromText, removeAttendee, type AttendeeError, type AttendeeLine } from "~/hr/classes.server";
import { CLASS_RESULTS } from "~/utils/follow-up";
import { MAX_UPLOAD_BYTES, readTable, SpreadsheetError } from "~/hr/spreadsheet.server";
import { requireUser } from "~/identity/auth.server";
import { clientIp, idParam, positiveId } from "~/platform/request.server";
import { pageTitle, useFormat, useLang, useT } from "~/utils/i18n";

// One class: its attendees and results, added by employee code or from a file.
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "classes.title");

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { cls: await classForUser(user, idParam(params.id), clientIp(context)) };
}

type Result = { recorded?: number; errors?: AttendeeError[]; fileError?: string; removed?: boolean };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  const cls = await classForUser(user, idParam(params.id), ip);
  const form = await request.formData();
  if (form.get("intent") === "remove") {
    await removeAttendee(user, cls, positiveId(form.get("attendanceId")), ip);
    return data<Result>({ removed: true });
  }
  let lines: AttendeeLine[] | null;
  const upload = form.get("file");
  if (upload instanceof File && upload.size > 0) {
    if (upload.size > MAX_UPLOAD_BYTES) return data<Result>({ fileError: "hr.fileErrors.tooLarge" }, { status: 413 });
    try {
      lines = linesFromTable(readTable(upload.name.slice(0, 200), new Uint8Array(await upload.arrayBuffer()), ATTENDEE_HEADERS));
    } catch (e) {
      if (e instanceof SpreadsheetError) return data<Result>({ fileError: `hr.fileErrors.${e.code}` }, { status: 400 });
      throw e;
    }
    if (!lines) return data<Result>({ fileError: "classes.errors.noCodeColumn" }, { status: 400 });
  } else lines = linesFromText(String(form.get("codes") ?? "").slice(0, 200_000));
  if (!lines.length) return data<Result>({ fileError: "classes.errors.empty" }, { status: 400 });
  const result = await addAttendees(user, cls, lines, ip);
  return data<Result>(result, { status: result.errors.length ? 400 : 200 });
}

export default function ClassPage() {
  const { cls } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormat();
  const lang = useLang();
  return (
    <div className="space-y-6">
      <p className="text-sm">
        <Link to="/hr/classes">{t("classes.back")}</Link>
      </p>
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{cls.title}</h1>
        <p className="mt-1 text-slate-700">
          {[cls.provider, `${fmt.date(cls.startsOn)} – ${fmt.date(cls.endsOn)}`, t("classes.hoursValue", { hours: fmt.number(Math.round((cls.minutes / 60) * 10) / 10) }), t(`categories.${cls.category}`), lang === "vi" ? cls.orgUnit.nameVi : cls.orgUnit.nameEn]
            .filter(Boolean)
            .join(" · ")}
        </p>
      </div>
      {result?.recorded ? <Notice tone="success">{t("classes.recorded", { count: fmt.number(result.recorded) })}</Notice> : null}
      {result?.fileError ? <Notice tone="error">{t(result.fileError, { detail: "" })}</Notice> : null}
      {result?.errors?.length ? (
        <Notice tone="error">
          <p>{t("classes.errors.lines", { count: result.errors.length })}</p>
          <ul className="mt-1 list-disc pl-5">
            {result.errors.slice(0, 100).map((e) => (
              <li key={`${e.line}-${e.code}`}>{t(`classes.errors.${e.reason}`, { line: e.line, code: e.code })}</li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <section className="card max-w-2xl space-y-3" aria-labelledby="add-heading">
        <h2 id="add-heading" className="text-lg font-semibold">{t("classes.addTitle")}</h2>
        <Form method="post" encType="multipart/form-data" className="space-y-3">
          <TextareaField id="codes" label={t("classes.codes")} hint={t("classes.codesHelp")} name="codes" rows={5} />
          <div>
            <label htmlFor="file" className="label">{t("classes.file")}</label>
            <input id="file" name="file" type="file" accept=".csv,.xlsx,.xls,.ods" className="block text-sm" />
          </div>
          <button type="submit" className="btn">{t("classes.add")}</button>
        </Form>
      </section>
      <section aria-labelledby="attendees-heading">
        <h2 id="attendees-heading" className="text-lg font-semibold">{t("classes.attendeesTitle", { count: fmt.number(cls.attendances.length) })}</h2>
        {cls.attendances.length ? (
          <div className="overflow-x-auto">
            <table className="table mt-2 bg-white">
              <thead>
                <tr>
                  <th scope="col">{t("followUp.columns.fullName")}</th>
                  <th scope="col">{t("followUp.columns.unit")}</th>
                  <th scope="col">{t("classes.result")}</th>
                  <th scope="col"><span className="sr-only">{t("classes.remove")}</span></th>
                </tr>
              </thead>
              <tbody>
                {cls.attendances.map((a) => (
                  <tr key={a.id}>
                    <td>
                      <Link to={`/hr/staff/${a.user.id}`}>{a.user.fullName}</Link>
                      <span className="block text-xs text-slate-600">{a.user.employeeCode}</span>
                    </td>
                    <td>{lang === "vi" ? a.user.orgUnit.nameVi : a.user.orgUnit.nameEn}</td>
                    <td>{t(`classes.results.${(CLASS_RESULTS as readonly string[]).includes(a.result) ? a.result : "completed"}`)}</td>
                    <td>
                      <Form method="post">
                        <input type="hidden" name="attendanceId" value={a.id} />
                        <button type="submit" name="intent" value="remove" className="text-sm text-red-800 underline">{t("classes.remove")}</button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="mt-2">{t("classes.noAttendees")}</p>
        )}
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
