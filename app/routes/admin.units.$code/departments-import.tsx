import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { Notice } from "~/components/ui/Notice";
import { useT } from "~/utils/i18n";
import type { action } from "./route";

type Result = SerializeFrom<typeof action> | undefined;

/** Agencies, departments and headcounts from a file: check, then apply (department-import.server.ts). */
export function DepartmentsImport({ result }: { result: Result }) {
  const t = useT();
  const plan = result?.intent?.startsWith("departments") ? result.plan : undefined;
  const fileError = result?.intent?.startsWith("departments") ? result.errors.file : undefined;
  const fieldName = (f: string) => t(`admin.departments.fields.${f}`);
  return (
    <section className="card space-y-3" aria-labelledby="departments-heading">
      <h2 id="departments-heading" className="text-lg font-semibold">
        {t("admin.departments.title")}
      </h2>
      <p className="text-sm text-slate-700">{t("admin.departments.intro")}</p>
      {fileError ? <Notice tone="error">{t(fileError)}</Notice> : null}
      <Form method="post" encType="multipart/form-data" className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="intent" value="departments-check" />
        <div>
          <label htmlFor="departments-file" className="label">
            {t("admin.departments.file")}
          </label>
          <input id="departments-file" name="file" type="file" accept=".csv,.xlsx,.xls,.ods" required className="text-sm" />
        </div>
        <button type="submit" className="btn-secondary">
          {t("admin.departments.check")}
        </button>
      </Form>
      {plan ? (
        <div className="space-y-2">
          {plan.missingColumns.length ? <Notice tone="error">{t("admin.departments.missingColumns", { columns: plan.missingColumns.map(fieldName).join(", ") })}</Notice> : null}
          {plan.unknownColumns.length ? <p className="text-sm text-slate-700">{t("admin.departments.unknownColumns", { columns: plan.unknownColumns.join(", ") })}</p> : null}
          {plan.errors.length ? (
            <div role="alert" className="space-y-1">
              <p className="font-semibold text-red-800">{t("admin.departments.errorsTitle", { count: plan.errors.length })}</p>
              <ul className="list-disc pl-5 text-sm text-red-800">
                {plan.errors.map((e, i) => (
                  <li key={i}>{t("admin.departments.row", { row: e.row, column: fieldName(e.column), message: t(`admin.departments.rowErrors.${e.code}`, e.params) })}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {plan.content ? (
            <>
              <p>{t("admin.departments.summary", { create: plan.create.length, update: plan.update.length, unchanged: plan.unchanged })}</p>
              <Form method="post" encType="multipart/form-data">
                <input type="hidden" name="intent" value="departments-apply" />
                <input type="hidden" name="fileName" value={plan.file} />
                <input type="hidden" name="content" value={plan.content} />
                <button type="submit" className="btn">
                  {t("admin.departments.apply")}
                </button>
              </Form>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
