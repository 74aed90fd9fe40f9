import type { SerializeFrom } from "@remix-run/node";
import { Form, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/ui/Notice";
import { useFormat, useLang, useT } from "~/utils/i18n";
import type { loader } from "./route";

type Activation = SerializeFrom<typeof loader>["activation"];

/** Activation of the unit's people who never signed in: mail with a link, or printed letters. */
export function ActivationPanel({ activation }: { activation: Activation }) {
  const t = useT();
  const fmt = useFormat();
  const lang = useLang();
  const [params] = useSearchParams();
  const outcome = params.get("activation");
  const unitName = lang === "en" ? activation.unit.nameEn : activation.unit.nameVi;
  return (
    <section className="card space-y-3" aria-labelledby="activation-heading">
      <h2 id="activation-heading" className="text-lg font-semibold">
        {t("account.manage.title")} — {unitName}
      </h2>
      {outcome === "queued" ? <Notice tone="success">{t("account.manage.queued", { count: fmt.number(Number(params.get("count")) || 0) })}</Notice> : null}
      {outcome === "nobody" ? <Notice tone="success">{t("account.manage.nobody")}</Notice> : null}
      {outcome === "noMail" ? <Notice tone="error">{t("account.manage.noMail")}</Notice> : null}
      <p className="text-sm text-slate-700">{t("account.manage.intro")}</p>
      <p className="font-semibold">{t("account.manage.pending", { count: fmt.number(activation.notActivated) })}</p>
      {activation.canManage && activation.notActivated > 0 ? (
        <Form method="post" action="/hr/staff/activation" reloadDocument className="flex flex-wrap gap-2">
          <input type="hidden" name="unit" value={activation.unit.code} />
          {activation.mail ? (
            <button type="submit" name="intent" value="mail" className="btn">
              {t("account.manage.sendMail")}
            </button>
          ) : null}
          <button type="submit" name="intent" value="letters" className="btn-secondary">
            {t("account.manage.letters")}
          </button>
        </Form>
      ) : null}
      {activation.canManage && !activation.mail ? <p className="text-sm text-slate-600">{t("account.manage.noMail")}</p> : null}
    </section>
  );
}
