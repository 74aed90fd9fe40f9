import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Notice } from "~/components/ui/Notice";
import { getLessonHtml } from "~/content/catalog.data.server";
import { requireLearnerCourse } from "~/learning/course-access.server";
import { completeLesson, rememberLesson } from "~/learning/enrollments.data.server";
import { enroll, lessonOpen, recordCompletionIfDone } from "~/learning/learning.server";
import { htmlForPage } from "~/platform/in-page-html.server";
import { clientIp, notFound } from "~/platform/request.server";
import { useLang, useT } from "~/utils/i18n";
import { StoredHtml } from "~/utils/in-page-html";
import type { RouteHandle } from "~/utils/route-handle";

const LESSON_BODY_ID = "kns-lesson-body";

// Without data (an error page) the title is the root's.
// Opened on its own (a reload, a new tab, a link from a mail), a lesson is plain HTML: reading
// and "mark as done" need no script (decision 032). Reached from a page of the running app, it
// is rendered by the app as before.
export const handle: RouteHandle = { scripts: false };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.lesson.title} — Kỹ Năng Số` : "Kỹ Năng Số" }];

function findLesson(lessons: { slug: string }[], slug: string | undefined) {
  const index = lessons.findIndex((l) => l.slug === slug);
  if (index < 0) throw notFound();
  return index;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { course, enrollment } = await requireLearnerCourse(request, params.course, clientIp(context));
  const lessons = course.version.lessons;
  const index = findLesson(lessons, params.lesson);
  const lesson = lessons[index];
  const completed = enrollment?.completedLessonIds ?? [];
  const open = lessonOpen(course, lesson.lessonId, completed);
  const body = open ? await getLessonHtml(course.version.id, lesson.slug) : null;
  // Resume point: written only when it moves, so re-reading a page costs no write.
  if (enrollment && open && enrollment.lastLessonId !== lesson.lessonId) await rememberLesson(enrollment.id, lesson.lessonId);
  const link = (l: (typeof lessons)[number] | undefined) => (l ? { slug: l.slug, title: l.title, titleEn: l.titleEn } : null);
  return {
    course: { slug: course.slug, title: course.version.title, titleEn: course.version.titleEn },
    lesson: { slug: lesson.slug, title: lesson.title, titleEn: lesson.titleEn, position: index + 1 },
    total: lessons.length,
    html: body ? htmlForPage(context, LESSON_BODY_ID, body.html) : null,
    open,
    enrolled: !!enrollment,
    done: completed.includes(lesson.lessonId),
    previous: link(lessons[index - 1]),
    next: link(lessons[index + 1]),
  };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ip = clientIp(context);
  const { user, course, enrollment } = await requireLearnerCourse(request, params.course, ip);
  const lessons = course.version.lessons;
  const index = findLesson(lessons, params.lesson);
  const lesson = lessons[index];
  const enrollmentId = enrollment?.id ?? (await enroll(user.id, course, ip));
  if (!enrollmentId) return data({ error: "enrollRefused" as const }, { status: 403 });
  if (!lessonOpen(course, lesson.lessonId, enrollment?.completedLessonIds ?? [])) throw new Response("Forbidden", { status: 403 });
  await completeLesson(enrollmentId, lesson.lessonId);
  await recordCompletionIfDone(enrollmentId, course, { userId: user.id, ip });
  const next = lessons[index + 1];
  return redirect(next ? `/courses/${course.slug}/${next.slug}` : `/courses/${course.slug}/quiz`);
}

export default function LessonPage() {
  const loaded = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const title = (x: { title: string; titleEn: string }) => (lang === "en" && x.titleEn ? x.titleEn : x.title);
  return (
    <article className="mx-auto max-w-3xl">
      <p className="text-sm">
        <Link to={`/courses/${loaded.course.slug}`}>← {title(loaded.course)}</Link>
      </p>
      <p className="mt-3 text-sm text-slate-600">{t("lesson.lessonOf", { n: loaded.lesson.position, total: loaded.total })}</p>
      <h1 className="mt-1 text-2xl font-bold text-brand-800 sm:text-3xl">{title(loaded.lesson)}</h1>
      {loaded.open && loaded.html !== null ? (
        <StoredHtml id={LESSON_BODY_ID} className="lesson-body mt-6" html={loaded.html} />
      ) : (
        <div className="card mt-6">
          <h2 className="text-lg font-semibold">{t("lesson.lockedTitle")}</h2>
          <p className="mt-2">{t("lesson.locked")}</p>
        </div>
      )}
      {loaded.open ? (
        <div className="mt-8 rounded-lg border border-slate-200 bg-white p-4">
          {loaded.done ? (
            <p role="status" className="text-green-800">
              ✓ {t("lesson.completed")}
            </p>
          ) : (
            <Form method="post">
              {refused?.error ? (
                <Notice tone="error" compact className="mb-2">
                  {t("course.enrollRefused")}
                </Notice>
              ) : null}
              {!loaded.enrolled ? <p className="mb-2 text-sm text-slate-700">{t("lesson.enrollFirst")}</p> : null}
              <button type="submit" className="btn w-full sm:w-auto">
                {t("lesson.complete")}
              </button>
            </Form>
          )}
        </div>
      ) : null}
      <nav aria-label={t("course.lessons")} className="mt-6 flex flex-wrap justify-between gap-3">
        {loaded.previous ? (
          <Link to={`/courses/${loaded.course.slug}/${loaded.previous.slug}`} className="btn-secondary" rel="prev">
            ← {t("lesson.previous")}
          </Link>
        ) : (
          <span />
        )}
        {loaded.next ? (
          <Link to={`/courses/${loaded.course.slug}/${loaded.next.slug}`} className="btn-secondary" rel="next">
            {t("lesson.next")} →
          </Link>
        ) : (
          <Link to={`/courses/${loaded.course.slug}/quiz`} className="btn-secondary">
            {t("lesson.toQuiz")} →
          </Link>
        )}
      </nav>
    </article>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
