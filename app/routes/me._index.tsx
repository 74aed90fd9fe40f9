import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getProfile } from "~/models/user.server";
import { requireUser } from "~/services/auth.server";
import { requireAuthorized } from "~/services/authorize.server";
import { clientIp } from "~/services/request.server";
import { useLang, useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireAuthorized(user, "course.learn", null, { ip: clientIp(context) });
  return { profile: await getProfile(user.id) };
}

export default function MyLearning() {
  const { profile } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const unitName = (u: { nameVi: string; nameEn: string }) => (lang === "vi" ? u.nameVi : u.nameEn);
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold text-brand-800">{t("me.greeting", { name: profile.fullName })}</h1>
      <section className="card" aria-labelledby="learning-heading">
        <h2 id="learning-heading" className="text-lg font-semibold">
          {t("me.title")}
        </h2>
        <p className="mt-2 text-slate-700">{t("me.noCourses")}</p>
      </section>
      <section className="card" aria-labelledby="profile-heading">
        <h2 id="profile-heading" className="text-lg font-semibold">
          {t("me.profile")}
        </h2>
        <dl className="mt-3 grid gap-x-6 gap-y-2 sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-slate-700">{t("me.email")}</dt>
          <dd>{profile.email}</dd>
          {profile.employeeCode ? (
            <>
              <dt className="font-medium text-slate-700">{t("me.employeeCode")}</dt>
              <dd>{profile.employeeCode}</dd>
            </>
          ) : null}
          <dt className="font-medium text-slate-700">{t("me.unit")}</dt>
          <dd>{unitName(profile.orgUnit)}</dd>
          {profile.position ? (
            <>
              <dt className="font-medium text-slate-700">{t("me.position")}</dt>
              <dd>{profile.position}</dd>
            </>
          ) : null}
          {profile.roles.length ? (
            <>
              <dt className="font-medium text-slate-700">{t("me.roles")}</dt>
              <dd>
                <ul>
                  {profile.roles.map((r) => (
                    <li key={`${r.role}-${r.orgUnit.code}`}>
                      {t("me.roleIn", { role: t(`roles.${r.role}`), unit: unitName(r.orgUnit) })}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
        </dl>
        <p className="mt-4">
          <Link to="/me/password">{t("nav.changePassword")}</Link>
        </p>
      </section>
    </div>
  );
}
