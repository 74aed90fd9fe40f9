import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { authorMeta } from "~/components/author/meta";
import { Breadcrumbs } from "~/components/author/ui";
import { Pagination } from "~/components/ui/Pagination";
import { requireEditableCourse } from "~/content/authoring-access.server";
import { followUpPage } from "~/hr/progress.server";
import { scopePaths } from "~/identity/authorize.server";
import { PROGRESS_STATUSES, type ProgressStatus } from "~/utils/follow-up";
import { useFormat, useT } from "~/utils/i18n";
import { ProgressTable } from "./hr.progress/progress-table";
import "~/locales/author";
import "~/locales/follow-up";

// The course's learners for its trainer: who is where, under the trainer's own units, each
// leading to the page where an extra attempt or extra time is granted.
export const meta: MetaFunction = ({ matches }) => authorMeta(matches, (t) => t("followUp.learners.title"));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, course } = await requireEditableCourse(request, context, params.course);
  const url = new URL(request.url);
  const raw = url.searchParams.get("status") ?? "";
  const status = (PROGRESS_STATUSES as readonly string[]).includes(raw) ? (raw as ProgressStatus) : null;
  const page = Math.max(0, Math.min(10_000, Number(url.searchParams.get("page")) || 0));
  const query = { paths: scopePaths(user, "course.author"), courseId: course.id, assignmentId: null, status, text: "", sort: "status" as const, now: new Date() };
  return { course: { slug: course.slug, title: course.title }, status: status ?? "", page, list: await followUpPage(query, page) };
}

export default function CourseLearners() {
  const { course, status, page, list } = useLoaderData<typeof loader>();
  const t = useT();
  const fmt = useFormat();
  const base = `/author/${course.slug}`;
  const query: Record<string, string> = status ? { status } : {};
  return (
    <div className="space-y-4">
      <Breadcrumbs items={[{ to: "/author", label: t("author.title") }, { to: base, label: course.title }, { label: t("followUp.learners.title") }]} />
      <h1 className="text-2xl font-bold text-brand-800">{t("followUp.learners.title")}</h1>
      <p className="text-slate-700">{t("followUp.learners.intro")}</p>
      <nav aria-label={t("followUp.statusFilter")}>
        <ul className="flex flex-wrap gap-2 text-sm">
          {PROGRESS_STATUSES.map((s) => (
            <li key={s}>
              <Link to={`?status=${s}`} aria-current={status === s ? "true" : undefined} className={status === s ? "font-bold" : undefined}>
                {`${t(`followUp.status.${s}`)}: ${fmt.number(list.counts[s])}`}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <ProgressTable rows={list.rows} showCourse={false} page={page} pageSize={list.pageSize} total={list.total} selectable={false} />
      <Pagination label={t("followUp.learners.title")} query={query} page={page} pageSize={list.pageSize} total={list.total} previous={t("hr.previous")} next={t("hr.more")} />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
