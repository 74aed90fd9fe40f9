import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Notice } from "~/components/ui/Notice";
import "~/locales/versions";
import { myCertificateForCourse } from "~/certificates/lookup.server";
import { requireLearnerCourse } from "~/learning/course-access.server";
import { enroll, lessonOpen, progressPercent } from "~/learning/learning.server";
import { htmlForPage } from "~/platform/in-page-html.server";
import { clientIp } from "~/platform/request.server";
import { useFormat, useLang, useT } from "~/utils/i18n";
import { StoredHtml } from "~/utils/in-page-html";

const INTRO_ID = "kns-course-intro";

// Without data (an error page) the title is the root's.
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.course.version.title} — Kỹ Năng Số` : "Kỹ Năng Số" }];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, course, enrollment } = await requireLearnerCourse(request, params.course, clientIp(context));
  const completed = enrollment?.completedLessonIds ?? [];
  const lessons = course.version.lessons.map((l) => ({ ...l, done: completed.includes(l.lessonId), open: lessonOpen(course, l.lessonId, completed) }));
  const resume = enrollment
    ? (lessons.find((l) => l.lessonId === enrollment.lastLessonId && !l.done) ?? lessons.find((l) => !l.done && l.open) ?? null)
    : null;
  return {
    course: {
      slug: course.slug,
      selfEnroll: course.selfEnroll,
      withdrawn: course.withdrawn,
      version: { ...course.version, lessons: undefined, introHtml: course.version.introHtml ? htmlForPage(context, INTRO_ID, course.version.introHtml) : null },
    },
    lessons,
    enrolled: !!enrollment,
    completedAt: enrollment?.completedAt ?? null,
    creditedClass: enrollment?.creditedClass ?? null,
    dueAt: enrollment?.dueAt ?? null,
    passed: enrollment?.passed ?? false,
    percent: progressPercent(course, enrollment),
    resume: resume ? { slug: resume.slug, title: resume.title, titleEn: resume.titleEn } : null,
    started: completed.length > 0,
    certificate: enrollment?.completedAt ? await myCertificateForCourse(user.id, course.slug) : null,
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ip = clientIp(context);
  const { user, course, enrollment } = await requireLearnerCourse(request, params.course, ip);
  if (!enrollment && !(await enroll(user.id, course, ip))) return data({ error: "selfEnrollClosed" as const }, { status: 403 });
  return redirect(`/courses/${course.slug}/${course.version.lessons[0].slug}`);
}

export default function CourseOverview() {
  const loaded = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const { course, lessons } = loaded;
  const v = course.version;
  const t = useT();
  const lang = useLang();
  const fmt = useFormat();
  const title = (x: { title: string; titleEn: string }) => (lang === "en" && x.titleEn ? x.titleEn : x.title);
  return (
    <div className="grid gap-6 lg:grid-cols-[2fr_1fr]">
      <div className="space-y-6">
        <div>
          <p className="text-xs font-semibold uppercase tracking-wide text-flag">{t(`categories.${v.category}`)}</p>
          <h1 className="mt-1 text-2xl font-bold text-brand-800">{title(v)}</h1>
          <p className="mt-2 text-slate-700">{lang === "en" && v.summaryEn ? v.summaryEn : v.summary}</p>
        </div>
        {course.withdrawn ? (
          <Notice tone="warning" announce={false}>
            {t("versions.learner.withdrawn")}
          </Notice>
        ) : null}
        {v.introHtml ? <StoredHtml id={INTRO_ID} className="lesson-body" html={v.introHtml} /> : null}
        <section aria-labelledby="lessons-heading">
          <h2 id="lessons-heading" className="text-lg font-semibold">
            {t("course.lessons")}
          </h2>
          <ol className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
            {lessons.map((l) => (
              <li key={l.slug} className="flex items-center gap-3 px-4 py-3">
                <span aria-hidden="true" className={`grid h-7 w-7 shrink-0 place-items-center rounded-full text-sm font-semibold ${l.done ? "bg-green-700 text-white" : "bg-slate-200 text-slate-800"}`}>
                  {l.done ? "✓" : l.position}
                </span>
                <span className="grow">
                  {l.open ? <Link to={`/courses/${course.slug}/${l.slug}`}>{title(l)}</Link> : <span className="text-slate-600">{title(l)}</span>}
                  <span className="block text-xs text-slate-600">
                    {t("catalog.minutes", { count: l.minutes })}
                    {l.done ? ` · ${t("course.done")}` : !l.open ? ` · ${t("course.locked")}` : ""}
                  </span>
                </span>
              </li>
            ))}
            <li className="flex items-center gap-3 px-4 py-3">
              <span aria-hidden="true" className={`grid h-7 w-7 shrink-0 place-items-center rounded-full text-sm font-semibold ${loaded.passed ? "bg-green-700 text-white" : "bg-flag text-white"}`}>
                {loaded.passed ? "✓" : "?"}
              </span>
              <span className="grow">
                <Link to={`/courses/${course.slug}/quiz`}>{t("course.quiz")}</Link>
                <span className="block text-xs text-slate-600">
                  {t("course.quizInfo", { count: v.quizSize, score: v.passingScore })}
                  {loaded.passed ? ` · ${t("course.passed")}` : ""}
                </span>
              </span>
            </li>
          </ol>
        </section>
      </div>
      {/* First on a phone: what to do next is not three screens down. */}
      <aside className="card order-first h-fit space-y-3 lg:order-none" aria-label={t("course.progress", { percent: fmt.percent(loaded.percent / 100) })}>
        {refused?.error ? (
          <Notice tone="error" compact>
            {t("course.enrollRefused")}
          </Notice>
        ) : null}
        <p className="text-sm text-slate-700">{t("course.estimated", { minutes: v.estimatedMinutes })}</p>
        <p className="text-sm text-slate-700">{v.validityMonths ? t("course.validity", { months: v.validityMonths }) : t("course.noValidity")}</p>
        {loaded.enrolled ? (
          <>
            <p className="font-semibold">{t("course.progress", { percent: fmt.percent(loaded.percent / 100) })}</p>
            <div className="h-2 w-full overflow-hidden rounded bg-slate-200" aria-hidden="true">
              <div className="h-full bg-green-700" style={{ width: `${loaded.percent}%` }} />
            </div>
            {loaded.dueAt ? <p className="text-sm">{t("course.due", { date: fmt.date(loaded.dueAt) })}</p> : null}
            {loaded.completedAt ? (
              <>
                <Notice tone="success" compact>
                  {loaded.creditedClass
                    ? t("course.completedByClass", { date: fmt.date(loaded.completedAt), title: loaded.creditedClass })
                    : t("course.completed", { date: fmt.date(loaded.completedAt) })}
                </Notice>
                {loaded.certificate ? (
                  <a href={`/me/certificates/${loaded.certificate.display}/pdf`} className="btn w-full">
                    {t("course.certificatePdf")}
                  </a>
                ) : null}
                <Link to="/me#certificates" className="block text-center text-sm">
                  {t("course.myCertificates")}
                </Link>
              </>
            ) : loaded.resume ? (
              <Link to={`/courses/${course.slug}/${loaded.resume.slug}`} className="btn w-full">
                {loaded.started ? t("course.resume", { lesson: title(loaded.resume) }) : t("course.startLesson", { lesson: title(loaded.resume) })}
              </Link>
            ) : (
              <>
                <p className="text-sm">{loaded.passed ? null : t("course.quizNext")}</p>
                <Link to={`/courses/${course.slug}/quiz`} className="btn w-full">
                  {t("course.quizLink")}
                </Link>
              </>
            )}
          </>
        ) : course.selfEnroll ? (
          <Form method="post">
            <button type="submit" className="btn w-full">
              {t("course.enroll")}
            </button>
          </Form>
        ) : (
          <p>{t("course.selfEnrollClosed")}</p>
        )}
      </aside>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
