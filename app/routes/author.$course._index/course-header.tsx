import type { SerializeFrom } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { Badge, Breadcrumbs } from "~/components/author/ui";
import { useFormat, useT } from "~/utils/i18n";
import "~/locales/author";
import type { loader } from "./route";

type Editor = SerializeFrom<typeof loader>["course"];

/** The course's name and state, with the ways out: the published page, the export, the guide. */
export function CourseHeader({ course }: { course: Editor }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <>
      <Breadcrumbs items={[{ to: "/author", label: t("author.title") }, { label: course.title }]} />
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-bold break-words text-brand-800">{course.title}</h1>
          <p className="mt-2 flex flex-wrap items-center gap-2 text-sm">
            {course.publishedVersion ? (
              <Badge tone="published">{t("author.state.published", { number: course.publishedVersion.number })}</Badge>
            ) : (
              <Badge tone="draft">{t("author.state.draft")}</Badge>
            )}
            <span className="text-slate-700">{t("author.course.draftEdited", { date: fmt.dateTime(course.updatedAt) })}</span>
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {course.publishedVersion ? (
            <Link to={`/courses/${course.slug}`} className="btn-secondary">
              {t("author.course.viewPublished")}
            </Link>
          ) : null}
          <a href={`/author/${course.slug}/export`} className="btn-secondary" download>
            {t("author.course.export")}
          </a>
          <Link to="/author/guide" className="btn-secondary">
            {t("author.guideLink")}
          </Link>
        </div>
      </div>
    </>
  );
}
