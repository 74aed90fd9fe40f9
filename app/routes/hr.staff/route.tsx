import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/ui/Pagination";
import { countNotActivated, listStaff, STAFF_PAGE } from "~/hr/staff.data.server";
import { requireRecentAuth, requireUser } from "~/identity/auth.server";
import { authorize, requireAuthorized, scopePaths, unitScopeFilter } from "~/identity/authorize.server";
import { mailIsDelivered } from "~/platform/mail.server";
import { isAccountStatus } from "~/utils/account-status";
import { hrUnit } from "~/hr/hr-scope.server";
import { countRequest, limits } from "~/platform/rate-limit.server";
import { clientIp } from "~/platform/request.server";
import { readTable, SpreadsheetError } from "~/hr/spreadsheet.server";
import { applyImport, planImport, ROSTER_HEADERS, type ImportPlan } from "~/hr/staff-import.server";
import { pageTitle, useFormat, useT } from "~/utils/i18n";
import { ImportForm } from "./import-form";
import { PlanReport } from "./plan-report";
import { ActivationPanel } from "./activation-panel";
import { RosterFilters, RosterTable } from "./roster";

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
  const account = url.searchParams.get("account");
  const page = Math.max(0, Math.min(10_000, Number(url.searchParams.get("page")) || 0));
  const filters = {
    text: (url.searchParams.get("q") ?? "").slice(0, 100),
    unitPath: unit?.path ?? null,
    position: (url.searchParams.get("position") ?? "").slice(0, 100),
    status: (status === "active" || status === "left" ? status : "") as "active" | "left" | "",
    account: isAccountStatus(account) ? account : ("" as const),
    page,
  };
  // Activation works on the chosen unit, or on the broadest one the officer manages.
  const activationUnit = unit ?? (await hrUnit(user, "staff.view", null, ip));
  const [result, notActivated] = await Promise.all([listStaff(unitScopeFilter(user, "staff.view"), filters), countNotActivated(activationUnit.path)]);
  const activation = {
    unit: { code: activationUnit.code, nameVi: activationUnit.nameVi, nameEn: activationUnit.nameEn },
    notActivated,
    canManage: authorize(user, "staff.manage", activationUnit),
    mail: mailIsDelivered(),
  };
  return { ...result, filters: { ...filters, unit: unitCode ?? "" }, pageSize: STAFF_PAGE, activation };
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
  source: ImportPlan["source"];
  repairs: ImportPlan["repairs"];
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
    plan = await planImport(readTable(name, bytes, ROSTER_HEADERS), scopePaths(user, "staff.manage"), { fullRoster, importer: user });
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
    source: plan.source,
    repairs: plan.repairs.slice(0, 50),
    missingColumns: plan.missingColumns,
    samples: {
      create: plan.create.slice(0, 20).map((s) => `${s.employeeCode} — ${s.fullName}`),
      update: plan.update.slice(0, 20).map((s) => `${s.employeeCode} — ${s.fullName}`),
      deactivate: plan.deactivate.slice(0, 20).map((s) => `${s.employeeCode} — ${s.fullName}`),
    },
  };
  return data<ActionResult>({ plan: view }, { status: ok ? 200 : 400 });
}

export default function StaffPage() {
  const { staff, total, filters, pageSize, activation } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const fmt = useFormat();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{t("hr.staffTitle")}</h1>
        <p className="mt-1 text-slate-700">{t("hr.staffIntro")}</p>
      </div>
      <ImportForm result={result} />
      <ActivationPanel activation={activation} />
      {result?.plan ? <PlanReport plan={result.plan} /> : null}
      <RosterFilters filters={filters} />
      <p className="text-sm text-slate-600">{t("hr.showing", { shown: fmt.number(staff.length), total: fmt.number(total) })}</p>
      {staff.length === 0 ? <p>{t("hr.noStaff")}</p> : <RosterTable staff={staff} activation={activation} />}
      <Pagination
        label={t("hr.staffTitle")}
        query={{ q: filters.text, unit: filters.unit, position: filters.position, status: filters.status, account: filters.account }}
        page={filters.page}
        pageSize={pageSize}
        total={total}
        previous={t("hr.previous")}
        next={t("hr.more")}
      />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
