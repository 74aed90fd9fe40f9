import type { SerializeFrom } from "@remix-run/node";
import { Form, useNavigation } from "@remix-run/react";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { useFormat, useT } from "~/utils/i18n";
import type { action } from "./route";

/** The roster upload, checked first ("dry run"), with the outcome of the last upload or apply. */
export function ImportForm({ result }: { result: SerializeFrom<typeof action> | undefined }) {
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const fmt = useFormat();
  return (
    <section className="card space-y-3" aria-labelledby="import-heading">
      <h2 id="import-heading" className="text-lg font-semibold">
        {t("hr.importTitle")}
      </h2>
      <p className="text-sm text-slate-700">
        {t("hr.importHelp")}{" "}
        <a href="/hr/staff/template" download>
          {t("hr.templateLink")}
        </a>
      </p>
      {result?.fileError ? (
        <Notice tone="error">
          {result.fileError === "throttled" || result.fileError === "badForm"
            ? t(`security.${result.fileError}`, { minutes: result.minutes ?? 1 })
            : t(result.fileError === "noFile" ? "hr.noFile" : `hr.fileErrors.${result.fileError}`, { detail: result.detail ?? "" })}
        </Notice>
      ) : null}
      {result?.applied ? <Notice tone="success">{t("hr.applied", { created: fmt.number(result.applied.created), updated: fmt.number(result.applied.updated), deactivated: fmt.number(result.applied.deactivated), unchanged: fmt.number(result.applied.unchanged) })}</Notice> : null}
      <Form method="post" encType="multipart/form-data" className="space-y-3">
        <TextField
          id="file"
          label={t("hr.file")}
          name="file"
          type="file"
          accept=".csv,.xlsx,.xls,.ods,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.ms-excel,application/vnd.oasis.opendocument.spreadsheet"
          className="block text-sm"
        />
        <div className="flex items-start gap-2">
          <input id="fullRoster" name="fullRoster" type="checkbox" className="mt-1 h-4 w-4 shrink-0" />
          <label htmlFor="fullRoster" className="text-sm">
            {t("hr.fullRoster")}
          </label>
        </div>
        <button type="submit" name="intent" value="check" className="btn" disabled={busy}>
          {t("hr.dryRun")}
        </button>
      </Form>
    </section>
  );
}
