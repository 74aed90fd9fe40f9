import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { createUser, emailInUse, listUsers } from "~/identity/users.data.server";
import { enrolPersonInAssignments } from "~/hr/assignments.server";
import { audit } from "~/platform/audit.server";
import { hashPassword, isStrongPassword, requireUser } from "~/identity/auth.server";
import { authorize, requireAuthorized, unitScopeFilter } from "~/identity/authorize.server";
import { email, parseForm, text, optionalText } from "~/platform/forms.server";
import { findUnitByCode } from "~/hr/org-units.data.server";
import { clientIp } from "~/platform/request.server";
import { useFormat, useLang, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireAuthorized(user, "user.manage", null, { ip: clientIp(context) });
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  return { q, ...(await listUsers(unitScopeFilter(user, "user.manage"), q)) };
}

const newUser = z.object({
  fullName: text(120),
  email,
  position: optionalText(120),
  unitCode: text(32),
  password: z.string().min(1, "errors.required").max(200, "errors.tooLong"),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  await requireAuthorized(user, "user.manage", null, { ip });
  const parsed = parseForm(newUser, await request.formData());
  if (!parsed.ok) return data({ errors: parsed.errors }, { status: 400 });
  const input = parsed.value;
  const errors: Record<string, string> = {};
  const unit = await findUnitByCode(input.unitCode);
  if (!unit || !authorize(user, "user.manage", unit)) errors.unitCode = "admin.unitNotFound";
  if (await emailInUse(input.email)) errors.email = "admin.emailTaken";
  if (!isStrongPassword(input.password)) errors.password = "password.tooWeak";
  if (Object.keys(errors).length || !unit) return data({ errors }, { status: 400 });
  const created = await createUser({
    email: input.email,
    fullName: input.fullName.normalize("NFC"),
    position: input.position,
    orgUnitId: unit.id,
    passwordHash: await hashPassword(input.password),
  });
  await enrolPersonInAssignments(created.id);
  await audit({ action: "user.create", actorId: user.id, orgUnitId: unit.id, targetType: "user", targetId: created.id, ip });
  return redirect(`/admin/users/${created.id}?created=1`);
}

export default function AdminUsers() {
  const { users, total, q } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const fmt = useFormat();
  const errors: Record<string, string> = result?.errors ?? {};
  const err = (name: string, label: string) => (errors[name] ? t(errors[name], { field: label }) : undefined);
  return (
    <div className="space-y-6">
      <p>
        <Link to="/admin">← {t("admin.title")}</Link>
      </p>
      <h1 className="text-2xl font-bold text-brand-800">{t("admin.users")}</h1>
      <Form method="get" className="flex gap-2" role="search">
        <label htmlFor="q" className="sr-only">
          {t("admin.searchUsers")}
        </label>
        <input id="q" name="q" defaultValue={q} placeholder={t("admin.searchUsers")} className="input max-w-md" />
        <button type="submit" className="btn">
          {t("admin.search")}
        </button>
      </Form>
      <p className="text-sm text-slate-600">{t("admin.showing", { shown: fmt.number(users.length), total: fmt.number(total) })}</p>
      {users.length === 0 ? (
        <p>{t("admin.noUsers")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("admin.fullName")}</th>
                <th scope="col">{t("admin.email")}</th>
                <th scope="col">{t("admin.unit")}</th>
                <th scope="col">{t("admin.position")}</th>
                <th scope="col">{t("admin.status")}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>
                    <Link to={`/admin/users/${u.id}`}>{u.fullName}</Link>
                  </td>
                  <td>{u.email}</td>
                  <td>{lang === "vi" ? u.orgUnit.nameVi : u.orgUnit.nameEn}</td>
                  <td>{u.position}</td>
                  <td>{u.active ? t("admin.active") : t("admin.inactive")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <section className="card max-w-xl" aria-labelledby="create-heading">
        <h2 id="create-heading" className="text-lg font-semibold">
          {t("admin.createUser")}
        </h2>
        <Form method="post" className="mt-4 space-y-3" noValidate>
          {[
            ["fullName", t("admin.fullName"), "text", "name"],
            ["email", t("admin.email"), "email", "off"],
            ["position", t("admin.position"), "text", "off"],
            ["unitCode", t("admin.unitCode"), "text", "off"],
            ["password", t("admin.initialPassword"), "password", "new-password"],
          ].map(([name, label, type, autoComplete]) => (
            <TextField key={name} id={`new-${name}`} label={label} error={err(name, label)} name={name} type={type} autoComplete={autoComplete} />
          ))}
          {errors._ ? <Notice tone="error">{t("errors.badRequest")}</Notice> : null}
          <button type="submit" className="btn">
            {t("admin.create")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
