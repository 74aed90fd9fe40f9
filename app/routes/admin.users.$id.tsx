import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { FieldError, SelectField, TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { enrolPersonInAssignments } from "~/hr/assignments.server";
import { eraseUserData } from "~/identity/erasure.data.server";
import { accountWithRoles, emailInUse, getRoleAssignment, getUserInScope, grantRole, revokeRole, updateUser } from "~/identity/users.data.server";
import { audit } from "~/platform/audit.server";
import { endAllSessions, requireRecentAuth, requireUser } from "~/identity/auth.server";
import { hasSecondFactor, resetSecondFactor } from "~/identity/second-factor.server";
import { authorize, reachesOver, requireAuthorized, unitScopeFilter } from "~/identity/authorize.server";
import { email, optionalText, parseForm, text } from "~/platform/forms.server";
import { findUnitByCode } from "~/hr/org-units.data.server";
import { clientIp, field, idParam, notFound, positiveId } from "~/platform/request.server";
import { useFormat, useLang, useT } from "~/utils/i18n";
import { ROLES } from "~/utils/roles";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireAuthorized(user, "user.manage", null, { ip: clientIp(context) });
  const target = await getUserInScope(unitScopeFilter(user, "user.manage"), idParam(params.id));
  if (!target) throw notFound();
  return { target, canGrant: authorize(user, "role.manage"), secondFactor: await hasSecondFactor(target.id), self: target.id === user.id };
}

const profileForm = z.object({
  fullName: text(120),
  email,
  position: optionalText(120),
  unitCode: text(32),
  active: z.enum(["on"]).optional(),
});
const grantForm = z.object({ role: z.enum(ROLES, { message: "errors.badRequest" }), unitCode: text(32) });

type Result = { ok?: string; errors?: Record<string, string> };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "user.manage", null, { ip });
  const target = await getUserInScope(unitScopeFilter(user, "user.manage"), idParam(params.id));
  if (!target) throw notFound();
  const form = await request.formData();
  const intent = field(form, "intent");
  const fail = (errors: Record<string, string>) => data<Result>({ errors }, { status: 400 });
  // Separation of duties: an administrator never changes an account whose roles reach higher or
  // wider than their own (a ward administrator cannot lock out the province's).
  const account = await accountWithRoles(target.id);
  if (!account || (account.id !== user.id && !reachesOver(user, account))) {
    await audit({ action: "user.update", outcome: "denied", actorId: user.id, orgUnitId: target.orgUnit.id, targetType: "user", targetId: target.id, ip, detail: { intent, reason: "wider_role" } });
    return data<Result>({ errors: { _: "account.manage.wider" } }, { status: 403 });
  }

  if (intent === "save") {
    const parsed = parseForm(profileForm, form);
    if (!parsed.ok) return fail(parsed.errors);
    const unit = await findUnitByCode(parsed.value.unitCode);
    if (!unit || !authorize(user, "user.manage", unit)) return fail({ unitCode: "admin.unitNotFound" });
    if (await emailInUse(parsed.value.email, target.id)) return fail({ email: "admin.emailTaken" });
    const active = parsed.value.active === "on";
    await updateUser(target.id, {
      fullName: parsed.value.fullName.normalize("NFC"),
      email: parsed.value.email,
      position: parsed.value.position,
      orgUnitId: unit.id,
      active,
    });
    if (!active) await endAllSessions(target.id);
    // A new unit or position may fall under assignments the person was not covered by.
    else await enrolPersonInAssignments(target.id);
    await audit({
      action: "user.update",
      actorId: user.id,
      orgUnitId: unit.id,
      targetType: "user",
      targetId: target.id,
      ip,
      detail: { active, movedFrom: target.orgUnit.code !== unit.code ? target.orgUnit.code : undefined },
    });
    return data<Result>({ ok: "admin.userSaved" });
  }
  if (intent === "grant" || intent === "revoke") {
    await requireAuthorized(user, "role.manage", null, { ip });
    if (intent === "grant") {
      await requireRecentAuth(request, user);
      const parsed = parseForm(grantForm, form);
      if (!parsed.ok) return fail(parsed.errors);
      const unit = await findUnitByCode(parsed.value.unitCode);
      if (!unit || !authorize(user, "role.manage", unit)) return fail({ grantUnit: "admin.unitNotFound" });
      const granted = await grantRole(target.id, parsed.value.role, unit.id, user.id);
      if (!granted) return fail({ grantUnit: "admin.roleExists" });
      await audit({ action: "role.grant", actorId: user.id, orgUnitId: unit.id, targetType: "user", targetId: target.id, ip, detail: { role: parsed.value.role } });
      return data<Result>({ ok: "admin.roleGranted" });
    }
    const assignmentId = positiveId(field(form, "assignmentId"));
    const assignment = assignmentId ? await getRoleAssignment(assignmentId, target.id) : null;
    if (!assignment || !authorize(user, "role.manage", assignment.orgUnit)) throw notFound();
    await revokeRole(assignment.id);
    await audit({ action: "role.revoke", actorId: user.id, orgUnitId: assignment.orgUnit.id, targetType: "user", targetId: target.id, ip, detail: { role: assignment.role } });
    return data<Result>({ ok: "admin.roleRevoked" });
  }
  if (intent === "resetSecondFactor") {
    // One's own factors are changed on /me/security, with one's own password.
    if (account.id === user.id) return fail({ _: "errors.badRequest" });
    await requireRecentAuth(request, user);
    await resetSecondFactor(user, { id: target.id, orgUnitId: target.orgUnit.id }, ip);
    return data<Result>({ ok: "admin.secondFactorWasReset" });
  }
  if (intent === "erase") {
    // Only for someone who has left, never for oneself, with the password typed again.
    if (account.id === user.id || target.active || target.erasedAt) return fail({ _: "admin.erase.notAllowed" });
    if (field(form, "confirm") !== "on") return fail({ _: "admin.erase.confirmRequired" });
    await requireRecentAuth(request, user);
    if (await eraseUserData(target.id, new Date())) {
      await audit({ action: "user.erase", actorId: user.id, orgUnitId: target.orgUnit.id, targetType: "user", targetId: target.id, ip });
    }
    return data<Result>({ ok: "admin.erase.done" });
  }
  if (intent === "endSessions") {
    await endAllSessions(target.id);
    await audit({ action: "session.end_all", actorId: user.id, orgUnitId: target.orgUnit.id, targetType: "user", targetId: target.id, ip });
    return data<Result>({ ok: "admin.sessionsEnded" });
  }
  return fail({ _: "errors.badRequest" });
}

export default function AdminUser() {
  const { target, canGrant, secondFactor, self } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const t = useT();
  const fmt = useFormat();
  const lang = useLang();
  const unitName = (u: { nameVi: string; nameEn: string }) => (lang === "vi" ? u.nameVi : u.nameEn);
  const errors: Record<string, string> = result?.errors ?? {};
  const err = (name: string, label: string) => (errors[name] ? t(errors[name], { field: label }) : undefined);
  const fields: [string, string, string, string][] = [
    ["fullName", t("admin.fullName"), "text", target.fullName],
    ["email", t("admin.email"), "email", target.email],
    ["position", t("admin.position"), "text", target.position],
    ["unitCode", t("admin.unitCode"), "text", target.orgUnit.code],
  ];
  return (
    <div className="space-y-6">
      <p>
        <Link to="/admin/users">← {t("admin.users")}</Link>
      </p>
      <h1 className="text-2xl font-bold text-brand-800">{target.fullName}</h1>
      {params.get("created") && !result ? <Notice tone="success">{t("admin.userCreated")}</Notice> : null}
      {result?.ok ? <Notice tone="success">{t(result.ok)}</Notice> : null}
      {errors._ ? <Notice tone="error">{t(errors._)}</Notice> : null}
      <section className="card max-w-xl" aria-labelledby="profile-heading">
        <h2 id="profile-heading" className="text-lg font-semibold">
          {t("me.profile")}
        </h2>
        <Form method="post" className="mt-4 space-y-3" noValidate>
          <input type="hidden" name="intent" value="save" />
          {fields.map(([name, label, type, value]) => (
            <TextField key={name} id={name} label={label} error={err(name, label)} name={name} type={type} defaultValue={value} />
          ))}
          <div className="flex items-center gap-2">
            <input id="active" name="active" type="checkbox" defaultChecked={target.active} className="h-4 w-4" />
            <label htmlFor="active">{t("admin.active")}</label>
          </div>
          <button type="submit" className="btn">
            {t("admin.save")}
          </button>
        </Form>
      </section>
      <section className="card max-w-xl" aria-labelledby="roles-heading">
        <h2 id="roles-heading" className="text-lg font-semibold">
          {t("admin.rolesTitle")}
        </h2>
        <ul className="mt-3 space-y-2">
          {target.roles.map((r) => (
            <li key={r.id} className="flex items-center justify-between gap-3">
              <span>{t("me.roleIn", { role: t(`roles.${r.role}`), unit: `${unitName(r.orgUnit)} (${r.orgUnit.code})` })}</span>
              {canGrant ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="assignmentId" value={r.id} />
                  <button type="submit" className="btn-secondary">
                    {t("admin.revoke")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {canGrant ? (
          <Form method="post" className="mt-4 flex flex-wrap items-end gap-3">
            <input type="hidden" name="intent" value="grant" />
            <SelectField id="role" label={t("admin.role")} name="role">
              {["trainer", "hr", "admin", "learner"].map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </SelectField>
            <TextField
              id="grant-unit"
              label={t("admin.scope")}
              name="unitCode"
              defaultValue={target.orgUnit.code}
              aria-invalid={errors.grantUnit ? true : undefined}
              aria-describedby={errors.grantUnit ? "grant-unit-error" : undefined}
            />
            <button type="submit" className="btn">
              {t("admin.grantRole")}
            </button>
            <div className="w-full">
              <FieldError id="grant-unit-error" message={errors.grantUnit ? t(errors.grantUnit) : undefined} />
            </div>
          </Form>
        ) : null}
      </section>
      <section className="card max-w-xl" aria-labelledby="sessions-heading">
        <h2 id="sessions-heading" className="text-lg font-semibold">
          {t("admin.sessions")}
        </h2>
        <p className="mt-2">{t("admin.sessionsCount", { count: target._count.sessions })}</p>
        <Form method="post" className="mt-3">
          <input type="hidden" name="intent" value="endSessions" />
          <button type="submit" className="btn-danger">
            {t("admin.endSessions")}
          </button>
        </Form>
      </section>
      <section className="card max-w-xl" aria-labelledby="second-factor-heading">
        <h2 id="second-factor-heading" className="text-lg font-semibold">
          {t("admin.secondFactor")}
        </h2>
        <p className="mt-2">{secondFactor ? t("admin.secondFactorOn") : t("admin.secondFactorOff")}</p>
        {secondFactor && !self ? (
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="resetSecondFactor" />
            <p className="mb-2 text-sm text-slate-700">{t("admin.secondFactorResetHelp")}</p>
            <button type="submit" className="btn-danger">
              {t("admin.secondFactorReset")}
            </button>
          </Form>
        ) : null}
      </section>
      {!self ? (
        <section className="card max-w-xl" aria-labelledby="erase-heading">
          <h2 id="erase-heading" className="text-lg font-semibold">
            {t("admin.erase.title")}
          </h2>
          {target.erasedAt ? (
            <p className="mt-2">{t("admin.erase.erasedOn", { date: fmt.date(target.erasedAt) })}</p>
          ) : target.active ? (
            <p className="mt-2 text-sm text-slate-700">{t("admin.erase.onlyLeft")}</p>
          ) : (
            <Form method="post" className="mt-2 space-y-3">
              <input type="hidden" name="intent" value="erase" />
              <p className="text-sm text-slate-700">{t("admin.erase.help")}</p>
              <div className="flex items-start gap-2">
                <input id="erase-confirm" name="confirm" type="checkbox" className="mt-1 h-5 w-5 shrink-0" />
                <label htmlFor="erase-confirm" className="text-sm">
                  {t("admin.erase.confirm", { name: target.fullName })}
                </label>
              </div>
              <button type="submit" className="btn-danger">
                {t("admin.erase.button")}
              </button>
            </Form>
          )}
        </section>
      ) : null}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
