import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StatusBadge } from "~/components/certificates/StatusBadge";
import { getProfile } from "~/identity/users.data.server";
import { myCertificates } from "~/certificates/lookup.server";
import { myEnrollments } from "~/learning/enrollments.data.server";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { clientIp } from "~/platform/request.server";
import { Notice } from "~/components/ui/Notice";
import { useFormat, useLang, useT } from "~/utils/i18n";
import "~/locales/versions";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireAuthorized(user, "course.learn", null, { ip: clientIp(context) });
  const enrollments = (await myEnrollments(user.id))
    .filter((e) => e.course.publishedVersion)
    .map((e) => {
      const lessons = e.course.publishedVersion!.lessons.map((l) => l.lessonId);
      const done = lessons.filter((id) => e.completions.some((c) => c.lessonId === id)).length;
      const passed = e.attempts.length > 0;
      return {
        id: e.id,
        slug: e.course.slug,
        title: e.course.publishedVersion!.title,
        titleEn: e.course.publishedVersion!.titleEn,
        assigned: e.origin !== "self",
        renewal: e.origin === "renewal",
        withdrawn: e.course.unpublishedAt !== null,
        dueAt: e.dueAt,
        completedAt: e.completedAt,
        // Overdue is computed from dates at read time, never stored.
        overdue: !e.completedAt && !!e.dueAt && e.dueAt.getTime() < Date.now(),
        percent: Math.round((100 * (done + (passed ? 1 : 0))) / (lessons.length + 1)),
      };
    });
  const certificates = (await myCertificates(user.id)).map((c) => ({
    id: c.id,
    display: c.display,
    state: c.state,
    courseTitle: c.courseTitle,
    completedAt: c.completedAt,
    expiresAt: c.expiresAt,
  }));
  return { profile: await getProfile(user.id), enrollments, certificates };
}

export default function MyLearning() {
  const { profile, enrollments, certificates } = useLoaderData<typeof loader>();
  const fmt = useFormat();
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
        {enrollments.length > 0 ? (
          <p className="mt-1 text-sm">
            <a href="/me/transcript" download>
              {t("me.transcript")}
            </a>
          </p>
        ) : null}
        {enrollments.some((e) => e.withdrawn && !e.completedAt) ? (
          <Notice tone="warning" className="mt-3" announce={false}>
            {t("versions.learner.withdrawnList", {
              courses: enrollments
                .filter((e) => e.withdrawn && !e.completedAt)
                .map((e) => (lang === "en" && e.titleEn ? e.titleEn : e.title))
                .join(", "),
            })}
          </Notice>
        ) : null}
        {enrollments.length === 0 ? (
          <p className="mt-2 text-slate-700">{t("me.noCourses")}</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-200">
            {enrollments.map((e) => (
              <li key={e.id} className="flex flex-wrap items-center gap-3 py-3">
                <div className="grow">
                  <Link to={`/courses/${e.slug}`} className="font-semibold">
                    {lang === "en" && e.titleEn ? e.titleEn : e.title}
                  </Link>
                  <p className="text-sm text-slate-600">
                    {e.renewal ? t("certificates.renewal") : e.assigned ? t("me.assigned") : t("me.optional")}
                    {e.dueAt ? ` · ${t("course.due", { date: fmt.date(e.dueAt) })}` : ""}
                    {e.overdue ? <strong className="ml-2 rounded bg-red-100 px-2 py-0.5 text-red-800">{t("me.overdue")}</strong> : null}
                    {e.withdrawn ? <strong className="ml-2 rounded bg-amber-100 px-2 py-0.5 text-amber-900">{t("versions.learner.withdrawnBadge")}</strong> : null}
                  </p>
                </div>
                <div className="w-40 text-sm">
                  {e.completedAt ? (
                    <span className="font-semibold text-green-800">{t("me.completedOn", { date: fmt.date(e.completedAt) })}</span>
                  ) : (
                    <>
                      <span>{t("course.progress", { percent: fmt.percent(e.percent / 100) })}</span>
                      <div className="mt-1 h-2 overflow-hidden rounded bg-slate-200" aria-hidden="true">
                        <div className="h-full bg-green-700" style={{ width: `${e.percent}%` }} />
                      </div>
                    </>
                  )}
                </div>
                {e.completedAt ? (
                  <a href="#certificates" className="btn-secondary">
                    {t("me.toCertificate")}
                  </a>
                ) : (
                  <Link to={`/courses/${e.slug}`} className="btn" aria-label={`${e.percent > 0 ? t("me.continue") : t("me.start")}: ${lang === "en" && e.titleEn ? e.titleEn : e.title}`}>
                    {e.percent > 0 ? t("me.continue") : t("me.start")}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section id="certificates" className="card scroll-mt-4" aria-labelledby="certificates-heading">
        <h2 id="certificates-heading" className="text-lg font-semibold">
          {t("certificates.title")}
        </h2>
        {certificates.length === 0 ? (
          <p className="mt-2 text-slate-700">{t("certificates.none")}</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-200">
            {certificates.map((c) => (
              <li key={c.id} className="flex flex-wrap items-start gap-3 py-3">
                <div className="min-w-0 grow basis-64">
                  <p className="flex flex-wrap items-center gap-2 font-semibold">
                    {c.courseTitle} <StatusBadge state={c.state} />
                  </p>
                  <p className="break-all font-mono text-sm text-slate-700">{c.display}</p>
                  <p className="text-sm text-slate-600">
                    {t("certificates.completedOn")}: {fmt.date(c.completedAt)} · {t("certificates.expiresOn")}:{" "}
                    {c.expiresAt ? fmt.date(c.expiresAt) : t("certificates.noExpiry")}
                  </p>
                </div>
                <p className="flex flex-wrap gap-2 text-sm">
                  {c.state === "valid" || c.state === "expired" ? (
                    <a href={`/me/certificates/${c.display}/pdf`} className="btn-secondary" aria-label={t("certificates.downloadLabel", { course: c.courseTitle })} download>
                      {t("certificates.download")}
                    </a>
                  ) : null}
                  <Link to={`/verify/${c.display}`} className="btn-secondary" aria-label={t("certificates.verifyLabel", { course: c.courseTitle })}>
                    {t("certificates.verifyLink")}
                  </Link>
                </p>
              </li>
            ))}
          </ul>
        )}
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
        <section className="mt-4 rounded border border-slate-200 p-3 text-sm" aria-labelledby="data-heading">
          <h3 id="data-heading" className="font-semibold">
            {t("me.data.title")}
          </h3>
          <p className="mt-1 text-slate-700">{t("me.data.kept")}</p>
          <p className="mt-2">
            <a href="/me/data" download>
              {t("me.data.download")}
            </a>
            {" · "}
            <a href="/me/data?format=pdf" download>
              {t("me.data.downloadPdf")}
            </a>
          </p>
        </section>
        <p className="mt-4 flex flex-wrap gap-x-6 gap-y-2">
          <Link to="/me/password">{t("nav.changePassword")}</Link>
          <Link to="/me/security">{t("nav.security")}</Link>
        </p>
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
