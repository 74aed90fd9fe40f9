import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { SelectField, TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { classesInScope, createClass } from "~/hr/classes.data.server";
import { findUnitByCode } from "~/hr/org-units.data.server";
import { requireUser } from "~/identity/auth.server";
import { classScopePaths, mayRecordClassesIn, requireClassRecorder } from "~/hr/classes.server";
import { audit } from "~/platform/audit.server";
import { optionalText, parseForm, text } from "~/platform/forms.server";
import { clientIp } from "~/platform/request.server";
import { CATEGORIES } from "~/utils/course";
import { pageTitle, useFormat, useLang, useT } from "~/utils/i18n";
import { dayEnd, dayStart } from "~/utils/vietnam-time";

// In-person classes and external courses, recorded by HR for the units they manage.
export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "classes.title");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireClassRecorder(user, null, clientIp(context));
  const paths = classScopePaths(user);
  const top = [...paths].sort((a, b) => a.length - b.length)[0];
  return { classes: await classesInScope(paths), defaultUnit: top.split("/").filter(Boolean).pop() ?? "" };
}

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "classes.errors.date");
const schema = z.object({
  title: text(200),
  provider: optionalText(200),
  startsOn: day,
  endsOn: day,
  hours: z.string().trim().regex(/^\d{1,3}([.,]\d)?$/, "classes.errors.hours"),
  category: z.enum(CATEGORIES, { message: "errors.badRequest" }),
  unitCode: text(32),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireClassRecorder(user, null, ip);
  const parsed = parseForm(schema, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const v = parsed.value;
  const unit = await findUnitByCode(v.unitCode);
  if (!unit || !mayRecordClassesIn(user, unit)) return data({ errors: { unitCode: "admin.unitNotFound" } as Record<string, string> }, { status: 400 });
  const startsOn = dayStart(v.startsOn);
  const endsOn = dayEnd(v.endsOn);
  if (!startsOn || !endsOn || endsOn < startsOn) return data({ errors: { endsOn: "classes.errors.date" } as Record<string, string> }, { status: 400 });
  const minutes = Math.round(Number(v.hours.replace(",", ".")) * 60);
  if (minutes <= 0 || minutes > 500 * 60) return data({ errors: { hours: "classes.errors.hours" } as Record<string, string> }, { status: 400 });
  const created = await createClass({ title: v.title.normalize("NFC"), provider: v.provider.normalize("NFC"), startsOn, endsOn, minutes, category: v.category, orgUnitId: unit.id }, user.id);
  await audit({ action: "class.create", actorId: user.id, orgUnitId: unit.id, targetType: "class", targetId: created.id, ip, detail: { minutes } });
  return redirect(`/hr/classes/${created.id}`);
}

export default function ClassesPage() {
  const { classes, defaultUnit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormat();
  const lang = useLang();
  const errors: Record<string, string> = result?.errors ?? {};
  const err = (k: string) => (errors[k] ? t(errors[k], { field: t(`classes.fields.${k}`) }) : undefined);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{t("classes.title")}</h1>
        <p className="mt-1 text-slate-700">{t("classes.intro")}</p>
      </div>
      {Object.keys(errors).length ? <Notice tone="error">{t("classes.errors.form")}</Notice> : null}
      <section className="card max-w-2xl" aria-labelledby="new-class">
        <h2 id="new-class" className="text-lg font-semibold">{t("classes.new")}</h2>
        <Form method="post" className="mt-3 grid gap-3 sm:grid-cols-2" noValidate>
          <TextField id="title" label={t("classes.fields.title")} name="title" error={err("title")} containerClassName="sm:col-span-2" />
          <TextField id="provider" label={t("classes.fields.provider")} name="provider" error={err("provider")} containerClassName="sm:col-span-2" />
          <TextField id="startsOn" label={t("classes.fields.startsOn")} name="startsOn" type="date" error={err("startsOn")} />
          <TextField id="endsOn" label={t("classes.fields.endsOn")} name="endsOn" type="date" error={err("endsOn")} />
          <TextField id="hours" label={t("classes.fields.hours")} name="hours" inputMode="decimal" error={err("hours")} />
          <SelectField id="category" label={t("classes.fields.category")} name="category" defaultValue="security">
            {["egov", "security", "payment", "other"].map((c) => (
              <option key={c} value={c}>{t(`categories.${c}`)}</option>
            ))}
          </SelectField>
          <TextField id="unitCode" label={t("classes.fields.unitCode")} name="unitCode" defaultValue={defaultUnit} error={err("unitCode")} />
          <div className="sm:col-span-2">
            <button type="submit" className="btn">{t("classes.create")}</button>
          </div>
        </Form>
      </section>
      {classes.length === 0 ? (
        <p>{t("classes.none")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="table bg-white">
            <thead>
              <tr>
                <th scope="col">{t("classes.fields.title")}</th>
                <th scope="col">{t("classes.fields.dates")}</th>
                <th scope="col" className="text-right">{t("classes.fields.hours")}</th>
                <th scope="col">{t("classes.fields.unitCode")}</th>
                <th scope="col" className="text-right">{t("classes.attendees")}</th>
              </tr>
            </thead>
            <tbody>
              {classes.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/hr/classes/${c.id}`}>{c.title}</Link>
                    {c.provider ? <span className="block text-xs text-slate-600">{c.provider}</span> : null}
                  </td>
                  <td>{`${fmt.date(c.startsOn)} – ${fmt.date(c.endsOn)}`}</td>
                  <td className="text-right tabular-nums">{fmt.number(Math.round((c.minutes / 60) * 10) / 10)}</td>
                  <td>{lang === "vi" ? c.orgUnit.nameVi : c.orgUnit.nameEn}</td>
                  <td className="text-right tabular-nums">{fmt.number(c._count.attendances)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
