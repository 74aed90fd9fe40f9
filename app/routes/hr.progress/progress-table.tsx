import type { SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { useFormat, useLang, useT } from "~/utils/i18n";
import type { loader } from "./route";

type Row = NonNullable<SerializeFrom<typeof loader>["list"]>["rows"][number];

const STATUS_STYLE: Record<string, string> = {
  overdue: "bg-red-100 text-red-900",
  failed: "bg-amber-100 text-amber-900",
  "not-started": "bg-slate-100 text-slate-800",
  "in-progress": "bg-blue-100 text-blue-900",
  done: "bg-green-100 text-green-900",
  exempt: "bg-slate-200 text-slate-800",
};

/** One page of the named list; the people still behind can be ticked for a reminder. */
export function ProgressTable({
  rows,
  showCourse,
  page,
  pageSize,
  total,
  selectable = true,
}: {
  rows: Row[];
  showCourse: boolean;
  page: number;
  pageSize: number;
  total: number;
  /** Ticks and the reminder button, for those who may remind (HR); trainers see the list alone. */
  selectable?: boolean;
}) {
  const t = useT();
  const fmt = useFormat();
  const lang = useLang();
  if (!rows.length) return <p>{t("followUp.empty")}</p>;
  const remindable = selectable && rows.some((r) => r.status !== "done" && r.status !== "exempt");
  return (
    <Form method="post" className="space-y-2">
      <p className="text-sm text-slate-700">{t("followUp.showing", { from: fmt.number(page * pageSize + 1), to: fmt.number(page * pageSize + rows.length), total: fmt.number(total) })}</p>
      <div className="overflow-x-auto">
        <table className="table bg-white">
          <thead>
            <tr>
              {selectable ? <th scope="col"><span className="sr-only">{t("followUp.columns.select")}</span></th> : null}
              <th scope="col">{t("followUp.columns.fullName")}</th>
              <th scope="col">{t("followUp.columns.unit")}</th>
              {showCourse ? <th scope="col">{t("followUp.columns.course")}</th> : null}
              <th scope="col">{t("followUp.columns.status")}</th>
              <th scope="col" className="text-right">{t("followUp.columns.lessons")}</th>
              <th scope="col" className="text-right">{t("followUp.columns.bestScore")}</th>
              <th scope="col">{t("followUp.columns.dueAt")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.enrollmentId}>
                {selectable ? (
                  <td>
                    {r.status !== "done" && r.status !== "exempt" ? (
                      <input type="checkbox" name="enrollmentId" value={r.enrollmentId} className="h-6 w-6" aria-label={t("followUp.columns.select") + ": " + r.fullName} />
                    ) : null}
                  </td>
                ) : null}
                <td>
                  <Link to={`/hr/enrolments/${r.enrollmentId}`}>{r.fullName}</Link>
                  <span className="block text-xs text-slate-600">
                    {r.employeeCode} · {r.position}
                  </span>
                </td>
                <td>{lang === "vi" ? r.unitVi : r.unitEn}</td>
                {showCourse ? <td>{lang === "en" && r.courseTitleEn ? r.courseTitleEn : r.courseTitle}</td> : null}
                <td>
                  <span className={`rounded px-2 py-0.5 text-sm ${STATUS_STYLE[r.status]}`}>{t(`followUp.status.${r.status}`)}</span>
                  {r.exemptReason || r.dueReason ? <span className="block text-xs text-slate-600">{r.exemptReason ?? r.dueReason}</span> : null}
                </td>
                <td className="text-right tabular-nums">{`${fmt.number(r.lessonsDone)}/${fmt.number(r.lessonsTotal)}`}</td>
                <td className="text-right tabular-nums">{r.bestScore === null ? "—" : `${r.bestScore}%`}</td>
                <td>{r.dueAt ? fmt.date(r.dueAt) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {remindable ? (
        <>
          <p className="text-xs text-slate-600">{t("followUp.remindNote")}</p>
          <button type="submit" name="intent" value="remind" className="btn">{t("followUp.remindSelected")}</button>
        </>
      ) : null}
    </Form>
  );
}
