import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Notice } from "~/components/ui/Notice";
import { listStaff, STAFF_PAGE } from "~/hr/staff.data.server";
import { requireRecentAuth, requireUser } from "~/identity/auth.server";
import { requireAuthorized, scopePaths, unitScopeFilter } from "~/identity/authorize.server";
import { hrUnit } from "~/hr/hr-scope.server";
import { countRequest, limits } from "~/platform/rate-limit.server";
import { clientIp } from "~/platform/request.server";
import { readTable, SpreadsheetError } from "~/hr/spreadsheet.server";
import { applyImport, planImport, type ImportPlan } from "~/hr/staff-import.server";
import { pageTitle, useFormat, useLang, useT } from "~/utils/i18n";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.staff");

const MAX_FILE = 8 * 1024 * 1024;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "staff.view", null, { ip });
  const url = new URL(request.url);
  const unitCode = url.searchParams.get("unit")?.trim() || null;
  const unit = unitCode ? await hrUnit(user, "staff.view", unitCode, ip) : null;
  const status = url.searchParams.get("status");
  const page = Math.max(0, Math.min(10_000, Number(url.searchParams.get("page")) || 0));
  const filters = {
    text: (url.searchParams.get("q") ?? "").slice(0, 100),
    unitPath: unit?.path ?? null,
    position: (url.searchParams.get("position") ?? "").slice(0, 100),
    status: (status === "active" || status === "left" ? status : "") as "active" | "left" | "",
    page,
  };
  const result = await listStaff(unitScopeFilter(user, "staff.view"), filters);
  return { ...result, filters: { ...filters, unit: unitCode ?? "" }, pageSize: STAFF_PAGE };
}

type PlanView = {
  file: string;
  content: string;
  fullRoster: boolean;
  create: number;
  update: number;
  deactivate: number;
  unchanged: number;
  errors: ImportPlan["errors"];
  unknownColumns: string[];
  missingColumns: string[];
  samples: { create: string[]; update: string[]; deactivate: string[] };
};
type ActionResult = { fileError?: string; detail?: string; minutes?: number; plan?: PlanView; applied?: { created: number; updated: number; deactivated: number; unchanged: number } };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "staff.manage", null, { ip });
  // Counted before the body is read: every upload costs parsing up to 8 MB.
  const wait = Math.max(await countRequest(limits.importAccount, String(user.id)), await countRequest(limits.importIp, ip));
  if (wait > 0) return data<ActionResult>({ fileError: "throttled", minutes: Math.ceil(wait / 60) }, { status: 429, headers: { "Retry-After": String(wait) } });
  // The platform's parser: the body is already capped (server/guards.ts), and Remix's multipart
  // parser refuses file names with "=" in them. A truncated or malformed body is a 400.
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return data<ActionResult>({ fileError: "badForm" }, { status: 400 });
  }
  const intent = form.get("intent");
  // Applying changes many accounts at once: the password must have been typed recently.
  if (intent === "apply") await requireRecentAuth(request, user);
  const fullRoster = form.get("fullRoster") === "on";
  // "Apply" sends back the checked file's content, so every instance can apply it statelessly;
  // it is planned again from scratch, so a tampered copy is validated like any upload.
  let name = "";
  let bytes: Uint8Array | null = null;
  const upload = form.get("file");
  if (upload instanceof File && upload.size > 0) {
    name = upload.name.slice(0, 200);
    bytes = new Uint8Array(await upload.arrayBuffer());
  } else if (typeof form.get("content") === "string" && form.get("content")) {
    name = String(form.get("fileName") ?? "").slice(0, 200);
    bytes = new Uint8Array(Buffer.from(String(form.get("content")), "base64"));
  }
  if (!bytes) return data<ActionResult>({ fileError: "noFile" }, { status: 400 });
  if (bytes.byteLength > MAX_FILE) return data<ActionResult>({ fileError: "tooLarge" }, { status: 413 });
  let plan: ImportPlan;
  try {
    plan = await planImport(readTable(name, bytes), scopePaths(user, "staff.manage"), { fullRoster });
  } catch (e) {
    if (e instanceof SpreadsheetError) return data<ActionResult>({ fileError: e.code, detail: e.message.slice(0, 200) }, { status: 400 });
    throw e;
  }
  const ok = !plan.errors.length && !plan.missingColumns.length;
  if (intent === "apply" && ok) {
    const applied = await applyImport(plan, user, ip, name);
    return data<ActionResult>({ applied });
  }
  const view: PlanView = {
    file: name,
    content: ok ? Buffer.from(bytes).toString("base64") : "",
    fullRoster,
    create: plan.create.length,
    update: plan.update.length,
    deactivate: plan.deactivate.length,
    unchanged: plan.unchanged,
    errors: plan.errors.slice(0, 500),
    unknownColumns: plan.unknownColumns,
    missingColumns: plan.missingColumns,
    samples: {
      create: plan.create.slice(0, 20).map((s) => `${s.employeeCode} — ${s.fullName}`),
      update: plan.update.slice(0, 20).map((s) => `${s.employeeCode} — ${s.fullName}`),
      deactivate: plan.deactivate.slice(0, 20).map((s) => `${s.employeeCode} — ${s.fullName}`),
    },
  };
  return data<ActionResult>({ plan: view }, { status: ok ? 200 : 400 });
}

function PlanReport({ plan }: { plan: PlanView }) {
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
      {plan.unknownColumns.length ? <p className="text-sm text-slate-700">{t("hr.unknownColumns", { columns: plan.unknownColumns.join(", ") })}</p> : null}
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

export default function StaffPage() {
  const { staff, total, filters, pageSize } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const lang = useLang();
  const fmt = useFormat();
  const pageLink = (page: number) => `?${new URLSearchParams({ q: filters.text, unit: filters.unit, position: filters.position, status: filters.status, page: String(page) })}`;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{t("hr.staffTitle")}</h1>
        <p className="mt-1 text-slate-700">{t("hr.staffIntro")}</p>
      </div>
      <section className="card space-y-3" aria-labelledby="import-heading">
        <h2 id="import-heading" className="text-lg font-semibold">
          {t("hr.importTitle")}
        </h2>
        <p className="text-sm text-slate-700">{t("hr.importHelp")}</p>
        {result?.fileError ? (
          <Notice tone="error">
            {result.fileError === "throttled" || result.fileError === "badForm"
              ? t(`security.${result.fileError}`, { minutes: result.minutes ?? 1 })
              : t(result.fileError === "noFile" ? "hr.noFile" : `hr.fileErrors.${result.fileError}`, { detail: result.detail ?? "" })}
          </Notice>
        ) : null}
        {result?.applied ? <Notice tone="success">{t("hr.applied", { created: fmt.number(result.applied.created), updated: fmt.number(result.applied.updated), deactivated: fmt.number(result.applied.deactivated), unchanged: fmt.number(result.applied.unchanged) })}</Notice> : null}
        <Form method="post" encType="multipart/form-data" className="space-y-3">
          <div>
            <label htmlFor="file" className="label">
              {t("hr.file")}
            </label>
            <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" className="block text-sm" />
          </div>
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
      {result?.plan ? <PlanReport plan={result.plan} /> : null}
      <Form method="get" role="search" className="grid gap-3 sm:grid-cols-5 sm:items-end">
        <div className="sm:col-span-2">
          <label htmlFor="q" className="label">
            {t("hr.search")}
          </label>
          <input id="q" name="q" defaultValue={filters.text} className="input" />
        </div>
        <div>
          <label htmlFor="unit" className="label">
            {t("hr.unitFilter")}
          </label>
          <input id="unit" name="unit" defaultValue={filters.unit} className="input" />
        </div>
        <div>
          <label htmlFor="status" className="label">
            {t("hr.statusFilter")}
          </label>
          <select id="status" name="status" defaultValue={filters.status} className="input">
            <option value="">{t("hr.allStatuses")}</option>
            <option value="active">{t("hr.active")}</option>
            <option value="left">{t("hr.left")}</option>
          </select>
        </div>
        <div>
          <label htmlFor="position" className="label">
            {t("hr.positionFilter")}
          </label>
          <input id="position" name="position" defaultValue={filters.position} className="input" />
        </div>
        <button type="submit" className="btn sm:col-start-5">
          {t("hr.filter")}
        </button>
      </Form>
      <p className="text-sm text-slate-600">{t("hr.showing", { shown: fmt.number(staff.length), total: fmt.number(total) })}</p>
      {staff.length === 0 ? (
        <p>{t("hr.noStaff")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="table bg-white">
            <thead>
              <tr>
                <th scope="col">{t("hr.employeeCode")}</th>
                <th scope="col">{t("hr.fullName")}</th>
                <th scope="col">{t("hr.unit")}</th>
                <th scope="col">{t("hr.position")}</th>
                <th scope="col">{t("hr.status")}</th>
              </tr>
            </thead>
            <tbody>
              {staff.map((s) => (
                <tr key={s.id}>
                  <td>{s.employeeCode}</td>
                  <td>
                    <Link to={`/hr/staff/${s.id}`}>{s.fullName}</Link>
                    <span className="block text-xs text-slate-600">{s.email}</span>
                  </td>
                  <td>{lang === "vi" ? s.orgUnit.nameVi : s.orgUnit.nameEn}</td>
                  <td>{s.position}</td>
                  <td>{s.active ? t("hr.active") : t("hr.left")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="flex gap-3" aria-label={t("hr.staffTitle")}>
        {filters.page > 0 ? <Link to={pageLink(filters.page - 1)}>← {t("hr.previous")}</Link> : null}
        {(filters.page + 1) * pageSize < total ? <Link to={pageLink(filters.page + 1)}>{t("hr.more")} →</Link> : null}
      </nav>
    </div>
  );
}
