import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { Notice } from "~/components/ui/Notice";
import { useFormat, useT } from "~/utils/i18n";
import type { action } from "./route";

type PlanView = NonNullable<SerializeFrom<typeof action>["plan"]>;

/**
 * What a checked roster file would change, or why it cannot be applied. A clean plan carries
 * the file back in a hidden field, so "Apply" needs nothing kept on the server.
 */
export function PlanReport({ plan }: { plan: PlanView }) {
  const t = useT();
  const fmt = useFormat();
  const ok = !plan.errors.length && !plan.missingColumns.length;
  return (
    <section className="card space-y-3" aria-labelledby="plan-heading">
      <h2 id="plan-heading" className="text-lg font-semibold">
        {t("hr.planTitle", { file: plan.file })}
      </h2>
      {plan.missingColumns.length ? (
        <Notice tone="error">{t("hr.missingColumns", { columns: plan.missingColumns.map((c) => t(`hr.fields.${c}`)).join(", ") })}</Notice>
      ) : (
        <p>{t("hr.planSummary", { create: fmt.number(plan.create), update: fmt.number(plan.update), deactivate: fmt.number(plan.deactivate), unchanged: fmt.number(plan.unchanged) })}</p>
      )}
      <p className="text-sm text-slate-700">
        {plan.source.sheet ? t("hr.sourceSheet", { sheet: plan.source.sheet, row: plan.source.headerRow }) : t("hr.sourceRow", { row: plan.source.headerRow })}
        {plan.source.otherSheets.length ? ` ${t("hr.otherSheets", { sheets: plan.source.otherSheets.join(", ") })}` : null}
      </p>
      {plan.unknownColumns.length ? <p className="text-sm text-slate-700">{t("hr.unknownColumns", { columns: plan.unknownColumns.join(", ") })}</p> : null}
      {plan.repairs.length ? (
        <details open={plan.repairs.length <= 5}>
          <summary className="cursor-pointer font-medium">{t("hr.repairsTitle", { count: fmt.number(plan.repairs.length) })}</summary>
          <ul className="mt-1 list-disc pl-6 text-sm">
            {plan.repairs.slice(0, 50).map((r) => (
              <li key={`${r.row}-${r.column}`}>{t("hr.repair", { row: r.row, column: t(`hr.fields.${r.column}`), from: r.from, to: r.to })}</li>
            ))}
          </ul>
        </details>
      ) : null}
      {plan.errors.length ? (
        <>
          <Notice tone="error">{t("hr.planErrors", { count: plan.errors.length })}</Notice>
          <div className="max-h-96 overflow-auto">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("hr.row")}</th>
                  <th scope="col">{t("hr.column")}</th>
                  <th scope="col">{t("hr.reason")}</th>
                </tr>
              </thead>
              <tbody>
                {plan.errors.map((e, i) => (
                  <tr key={i}>
                    <td>{e.row}</td>
                    <td>{t(`hr.fields.${e.column}`)}</td>
                    <td>{t(`hr.rowErrors.${e.code}`, e.params ?? {})}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {ok ? (
        <>
          {(["create", "update", "deactivate"] as const).map((k) =>
            plan.samples[k].length ? (
              <details key={k}>
                <summary className="cursor-pointer font-medium">{t(k === "create" ? "hr.toCreate" : k === "update" ? "hr.toUpdate" : "hr.toDeactivate")} ({fmt.number(plan[k])})</summary>
                <ul className="mt-1 list-disc pl-6 text-sm">
                  {plan.samples[k].map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
              </details>
            ) : null,
          )}
          <Notice tone="success">{t("hr.planOk")}</Notice>
          <Form method="post" encType="multipart/form-data">
            <input type="hidden" name="content" value={plan.content} />
            <input type="hidden" name="fileName" value={plan.file} />
            {plan.fullRoster ? <input type="hidden" name="fullRoster" value="on" /> : null}
            <button type="submit" name="intent" value="apply" className="btn">
              {t("hr.apply")}
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}
