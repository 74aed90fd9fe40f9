import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { TextField } from "~/components/ui/Field";
import { useT } from "~/utils/i18n";
import type { action, loader } from "./route";

type Unit = SerializeFrom<typeof loader>["unit"];
type Result = SerializeFrom<typeof action> | undefined;

/** Move, merge or close the unit after a reorganisation (unit-changes.server.ts). */
export function ReorgPanel({ unit, result }: { unit: Unit; result: Result }) {
  const t = useT();
  const error = (intent: string) => (result?.intent === intent && result.errors.target ? t(result.errors.target) : undefined);
  return (
    <section className="card space-y-4" aria-labelledby="reorg-heading">
      <div>
        <h2 id="reorg-heading" className="text-lg font-semibold">
          {t("admin.reorg.title")}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{t("admin.reorg.intro")}</p>
      </div>
      {unit.kind === "agency" ? (
        <Form method="post" className="space-y-2" noValidate>
          <input type="hidden" name="intent" value="move" />
          <TextField id="move-target" name="target" label={t("admin.reorg.moveTo")} error={error("move")} maxLength={32} required />
          <button type="submit" className="btn-secondary">
            {t("admin.reorg.move")}
          </button>
        </Form>
      ) : null}
      {unit.active ? (
        <Form method="post" className="space-y-2" noValidate>
          <input type="hidden" name="intent" value="merge" />
          <TextField id="merge-target" name="target" label={t("admin.reorg.mergeInto")} error={error("merge")} maxLength={32} required />
          <label className="flex items-start gap-2 text-sm">
            <input type="checkbox" name="confirm" className="mt-1 h-5 w-5" />
            <span>{t("admin.reorg.mergeConfirm")}</span>
          </label>
          <button type="submit" className="btn-danger">
            {t("admin.reorg.merge")}
          </button>
        </Form>
      ) : null}
      <Form method="post" className="space-y-2">
        <input type="hidden" name="intent" value={unit.active ? "close" : "reopen"} />
        {error("close") ? (
          <p className="text-sm text-red-700" role="alert">
            {error("close")}
          </p>
        ) : null}
        <button type="submit" className="btn-secondary">
          {t(unit.active ? "admin.reorg.close" : "admin.reorg.reopen")}
        </button>
      </Form>
    </section>
  );
}
