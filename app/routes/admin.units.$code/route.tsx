import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { SelectField, TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { audit } from "~/platform/audit.server";
import { requireUser } from "~/identity/auth.server";
import { authorize, requireAuthorized } from "~/identity/authorize.server";
import { count, optionalText, parseForm, text } from "~/platform/forms.server";
import {
  ancestorsOf,
  childrenWithCounts,
  createUnit,
  findUnitByCode,
  updateUnit,
} from "~/hr/org-units.data.server";
import { applyDepartments, DEPARTMENT_HEADERS, planDepartments, type DepartmentPlan } from "~/hr/department-import.server";
import { readTable, SpreadsheetError } from "~/hr/spreadsheet.server";
import { mergeUnit, moveUnit, setUnitOpen } from "~/hr/unit-changes.server";
import { requireRecentAuth } from "~/identity/auth.server";
import { scopePaths } from "~/identity/authorize.server";
import { DepartmentsImport } from "./departments-import";
import { ReorgPanel } from "./reorg-panel";
import { childKindsOf, UNIT_CODE, UNIT_KINDS } from "~/utils/org-units";
import { clientIp, field, notFound } from "~/platform/request.server";
import { useFormat, useLang, useT } from "~/utils/i18n";

async function unitInScope(request: Request, code: string | undefined, ip: string) {
  const user = await requireUser(request);
  await requireAuthorized(user, "unit.manage", null, { ip });
  const unit = code ? await findUnitByCode(code) : null;
  if (!unit) throw notFound();
  await requireAuthorized(user, "unit.manage", unit, { ip });
  return { user, unit };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, unit } = await unitInScope(request, params.code, clientIp(context));
  const ancestors = (await ancestorsOf(unit.path)).filter((a) => authorize(user, "unit.manage", a));
  return { unit, ancestors, children: await childrenWithCounts(unit.id) };
}

const unitFields = {
  nameVi: text(250),
  nameEn: text(250),
  unitType: optionalText(60),
  approvedHeadcount: count,
};
const editForm = z.object(unitFields);
const createForm = z.object({
  ...unitFields,
  code: z.string().trim().regex(UNIT_CODE, "admin.codeFormat"),
  kind: z.enum(UNIT_KINDS, { message: "errors.badRequest" }),
});

type ActionResult = {
  intent: string;
  errors: Record<string, string>;
  ok: string | null;
  values?: Record<string, string | number>;
  plan?: DepartmentPlan & { file: string; content: string };
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ip = clientIp(context);
  const { user, unit } = await unitInScope(request, params.code, ip);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return data<ActionResult>({ intent: "", errors: { _: "errors.badRequest" }, ok: null }, { status: 400 });
  }
  const intent = field(form, "intent");
  if (intent === "move" || intent === "merge" || intent === "close" || intent === "reopen") {
    await requireRecentAuth(request, user);
    const code = field(form, "target", 32);
    if (intent === "merge" && form.get("confirm") !== "on") return data<ActionResult>({ intent, errors: { target: "admin.reorg.confirmRequired" }, ok: null }, { status: 400 });
    if (intent === "merge") {
      const merged = await mergeUnit(user, unit, code, ip);
      if (!merged.ok) return data<ActionResult>({ intent, errors: { target: `admin.reorg.errors.${merged.error}` }, ok: null }, { status: 400 });
      const query = new URLSearchParams({ merged: unit.code, ...Object.fromEntries(Object.entries(merged.moved).map(([k, v]) => [k, String(v)])) });
      return redirect(`/admin/units/${encodeURIComponent(merged.survivor)}?${query}`);
    }
    const result = intent === "move" ? await moveUnit(user, unit, code, ip) : await setUnitOpen(user, unit, intent === "reopen", ip);
    if (!result.ok) return data<ActionResult>({ intent, errors: { target: `admin.reorg.errors.${result.error}` }, ok: null }, { status: 400 });
    return data<ActionResult>({ intent, errors: {}, ok: `admin.reorg.${intent === "move" ? "moved" : intent === "close" ? "closed" : "reopened"}` });
  }
  if (intent === "departments-check" || intent === "departments-apply") {
    if (intent === "departments-apply") await requireRecentAuth(request, user);
    // "Apply" sends back the checked file's content; it is checked again from scratch.
    const upload = form.get("file");
    const name = upload instanceof File && upload.size > 0 ? upload.name.slice(0, 200) : field(form, "fileName", 200);
    const bytes =
      upload instanceof File && upload.size > 0 ? new Uint8Array(await upload.arrayBuffer()) : typeof form.get("content") === "string" && form.get("content") ? new Uint8Array(Buffer.from(String(form.get("content")), "base64")) : null;
    if (!bytes) return data<ActionResult>({ intent, errors: { file: "hr.fileErrors.noFile" }, ok: null }, { status: 400 });
    let plan: DepartmentPlan;
    try {
      plan = await planDepartments(readTable(name, bytes, DEPARTMENT_HEADERS), scopePaths(user, "unit.manage"));
    } catch (e) {
      if (e instanceof SpreadsheetError) return data<ActionResult>({ intent, errors: { file: `hr.fileErrors.${e.code}` }, ok: null }, { status: 400 });
      throw e;
    }
    const clean = !plan.errors.length && !plan.missingColumns.length;
    if (intent === "departments-apply" && clean) {
      const applied = await applyDepartments(plan, { id: user.id, orgUnitId: unit.id }, ip, name);
      return data<ActionResult>({ intent, errors: {}, ok: "admin.departments.applied", values: applied });
    }
    return data<ActionResult>(
      { intent, errors: {}, ok: null, plan: { ...plan, errors: plan.errors.slice(0, 300), file: name, content: clean ? Buffer.from(bytes).toString("base64") : "" } },
      { status: clean ? 200 : 400 },
    );
  }
  if (intent === "save") {
    const parsed = parseForm(editForm, form);
    if (!parsed.ok) return data<ActionResult>({ intent, errors: parsed.errors, ok: null }, { status: 400 });
    await updateUnit(unit.id, { ...parsed.value, nameVi: parsed.value.nameVi.normalize("NFC") });
    await audit({ action: "unit.update", actorId: user.id, orgUnitId: unit.id, targetType: "unit", targetId: unit.code, ip, detail: parsed.value });
    return data<ActionResult>({ intent, errors: {}, ok: "admin.unitSaved" });
  }
  if (intent === "create") {
    const parsed = parseForm(createForm, form);
    if (!parsed.ok) return data<ActionResult>({ intent, errors: parsed.errors, ok: null }, { status: 400 });
    if (!childKindsOf(unit.kind).includes(parsed.value.kind)) {
      return data<ActionResult>({ intent, errors: { kind: "admin.kindNotAllowed" }, ok: null }, { status: 400 });
    }
    if (await findUnitByCode(parsed.value.code)) {
      return data<ActionResult>({ intent, errors: { code: "admin.codeTaken" }, ok: null }, { status: 400 });
    }
    const created = await createUnit(unit, { ...parsed.value, nameVi: parsed.value.nameVi.normalize("NFC") });
    await audit({ action: "unit.create", actorId: user.id, orgUnitId: created.id, targetType: "unit", targetId: created.code, ip });
    return redirect(`/admin/units/${encodeURIComponent(created.code)}?created=1`);
  }
  return data<ActionResult>({ intent, errors: { _: "errors.badRequest" }, ok: null }, { status: 400 });
}

export default function AdminUnit() {
  const { unit, ancestors, children } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const lang = useLang();
  const fmt = useFormat();
  const name = (u: { nameVi: string; nameEn: string }) => (lang === "vi" ? u.nameVi : u.nameEn);
  const errors: Record<string, string> = result?.errors ?? {};
  const err = (form: string, key: string, label: string) =>
    result?.intent === form && errors[key] ? t(errors[key], { field: label }) : undefined;
  const editFields: [string, string, string | number][] = [
    ["nameVi", t("admin.nameVi"), unit.nameVi],
    ["nameEn", t("admin.nameEn"), unit.nameEn],
    ["unitType", t("admin.unitType"), unit.unitType],
    ["approvedHeadcount", t("admin.headcount"), unit.approvedHeadcount],
  ];
  return (
    <div className="space-y-6">
      <nav aria-label={t("admin.unitTree")} className="text-sm">
        <ol className="flex flex-wrap gap-1">
          <li>
            <Link to="/admin">{t("admin.title")}</Link> /
          </li>
          {ancestors.map((a) => (
            <li key={a.code}>
              <Link to={`/admin/units/${encodeURIComponent(a.code)}`}>{name(a)}</Link> /
            </li>
          ))}
          <li aria-current="page">{name(unit)}</li>
        </ol>
      </nav>
      <h1 className="text-2xl font-bold text-brand-800">
        {name(unit)} <span className="text-base font-normal text-slate-600">({unit.code})</span>
      </h1>
      {params.get("created") && !result ? <Notice tone="success">{t("admin.unitCreated")}</Notice> : null}
      {result?.ok ? <Notice tone="success">{t(result.ok, result.values)}</Notice> : null}
      {params.get("merged") && !result ? (
        <Notice tone="success">
          {t("admin.reorg.merged", {
            code: params.get("merged"),
            people: params.get("people") ?? 0,
            assignments: params.get("assignments") ?? 0,
            certificates: params.get("certificates") ?? 0,
            units: params.get("units") ?? 0,
          })}
        </Notice>
      ) : null}
      {unit.active ? null : <Notice tone="warning">{t("admin.reorg.inactive")}</Notice>}
      {errors._ ? <Notice tone="error">{t(errors._)}</Notice> : null}
      <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
        <section aria-labelledby="children-heading">
          <h2 id="children-heading" className="text-lg font-semibold">
            {t("admin.subUnits")} ({fmt.number(children.length)})
          </h2>
          <div className="mt-3 overflow-x-auto">
            <table className="table bg-white">
              <thead>
                <tr>
                  <th scope="col">{t("admin.unitCode")}</th>
                  <th scope="col">{t("admin.nameVi")}</th>
                  <th scope="col">{t("admin.kind")}</th>
                  <th scope="col" className="text-right">{t("admin.staffCount")}</th>
                  <th scope="col" className="text-right">{t("admin.headcount")}</th>
                </tr>
              </thead>
              <tbody>
                {children.map((c) => (
                  <tr key={c.id}>
                    <td>{c.code}</td>
                    <td>
                      <Link to={`/admin/units/${encodeURIComponent(c.code)}`}>{name(c)}</Link>
                      {c._count.children ? <span className="block text-xs text-slate-600">{t("admin.children", { count: c._count.children })}</span> : null}
                    </td>
                    <td>{c.unitType || t(`unitKinds.${c.kind}`)}</td>
                    <td className="text-right">{fmt.number(c._count.users)}</td>
                    <td className="text-right">{fmt.number(c.approvedHeadcount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        <div className="space-y-6">
          <section className="card" aria-labelledby="edit-heading">
            <h2 id="edit-heading" className="text-lg font-semibold">
              {t("admin.edit")}
            </h2>
            <Form method="post" className="mt-3 space-y-3" noValidate>
              <input type="hidden" name="intent" value="save" />
              {editFields.map(([key, label, value]) => (
                <TextField key={key} id={`edit-${key}`} label={label} error={err("save", key, label)} name={key} defaultValue={value} />
              ))}
              <button type="submit" className="btn">
                {t("admin.save")}
              </button>
            </Form>
          </section>
          <section className="card" aria-labelledby="create-heading">
            <h2 id="create-heading" className="text-lg font-semibold">
              {t("admin.createUnit")}
            </h2>
            <Form method="post" className="mt-3 space-y-3" noValidate>
              <input type="hidden" name="intent" value="create" />
              {(
                [
                  ["code", t("admin.unitCode")],
                  ["nameVi", t("admin.nameVi")],
                  ["nameEn", t("admin.nameEn")],
                  ["unitType", t("admin.unitType")],
                  ["approvedHeadcount", t("admin.headcount")],
                ] as const
              ).map(([key, label]) => (
                <TextField key={key} id={`new-${key}`} label={label} error={err("create", key, label)} name={key} defaultValue={key === "approvedHeadcount" ? "0" : ""} />
              ))}
              <SelectField id="new-kind" label={t("admin.kind")} error={err("create", "kind", t("admin.kind"))} name="kind" defaultValue="agency">
                {childKindsOf(unit.kind).map((k) => (
                  <option key={k} value={k}>
                    {t(`unitKinds.${k}`)}
                  </option>
                ))}
              </SelectField>
              <button type="submit" className="btn">
                {t("admin.create")}
              </button>
            </Form>
          </section>
          <ReorgPanel unit={unit} result={result} />
        </div>
      </div>
      <DepartmentsImport result={result} />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
