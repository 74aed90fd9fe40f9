import type { SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { Badge, ConfirmDelete } from "~/components/author/ui";
import { TextField } from "~/components/ui/Field";
import { useLang, useT } from "~/utils/i18n";
import "~/locales/author";
import type { action, loader } from "./route";

type Editor = SerializeFrom<typeof loader>["course"];

/** The course's lessons in order, each moved or deleted by a small form of its own, and a new one added. */
export function LessonsSection({ course, result, unpublished }: { course: Editor; result: SerializeFrom<typeof action> | undefined; unpublished: number[] }) {
  const t = useT();
  const lang = useLang();
  const lessonTitle = (l: { title: string; titleEn: string }) => (lang === "en" && l.titleEn ? l.titleEn : l.title);
  const base = `/author/${course.slug}`;
  const added = result?.intent === "addLesson" ? result : null;
  const errors = added?.errors ?? {};
  const slugError = errors.slug ?? errors.lessonSlug;
  return (
    <section aria-labelledby="lessons-heading" id="lessons">
      <h2 id="lessons-heading" className="text-lg font-semibold">
        {t("author.lessons.heading")}
      </h2>
      {course.lessons.length === 0 ? (
        <p className="mt-2 text-slate-700">{t("author.lessons.empty")}</p>
      ) : (
        <ol className="mt-3 divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {course.lessons.map((l, i) => (
            <li key={l.id} className="flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-start">
              <div className="flex min-w-0 grow gap-3">
                <span aria-hidden="true" className="grid h-7 w-7 shrink-0 place-items-center rounded-full bg-slate-200 text-sm font-semibold text-slate-800">
                  {i + 1}
                </span>
                <div className="min-w-0">
                  <Link to={`${base}/lessons/${l.slug}`} className="font-medium break-words">
                    <span className="sr-only">{t("author.lessons.numbered", { n: i + 1 })} </span>
                    {lessonTitle(l)}
                  </Link>
                  <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-600">
                    <code className="break-all">{l.slug}</code>
                    <span>{t("author.lessons.minutes", { count: l.minutes })}</span>
                    {l.needsSave ? <Badge tone="warning">{t("author.lessons.needsSave")}</Badge> : null}
                    {unpublished.includes(l.id) ? <Badge tone="draft">{t("author.changes.lessonBadge")}</Badge> : null}
                  </p>
                </div>
              </div>
              <div className="flex flex-wrap items-start gap-2">
                <Form method="post">
                  <input type="hidden" name="intent" value="moveUp" />
                  <input type="hidden" name="lessonId" value={l.id} />
                  <input type="hidden" name="from" value={l.position} />
                  <button type="submit" className="btn-secondary px-3" disabled={i === 0} aria-label={t("author.lessons.moveUp", { title: l.title })}>
                    ↑
                  </button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="moveDown" />
                  <input type="hidden" name="lessonId" value={l.id} />
                  <input type="hidden" name="from" value={l.position} />
                  <button type="submit" className="btn-secondary px-3" disabled={i === course.lessons.length - 1} aria-label={t("author.lessons.moveDown", { title: l.title })}>
                    ↓
                  </button>
                </Form>
                <Form method="post">
                  <input type="hidden" name="intent" value="deleteLesson" />
                  <input type="hidden" name="lessonId" value={l.id} />
                  <ConfirmDelete
                    label={t("author.lessons.delete")}
                    question={t("author.lessons.deleteConfirm", { title: l.title })}
                    confirmLabel={t("author.lessons.deleteSubmit", { title: l.title })}
                  />
                </Form>
              </div>
            </li>
          ))}
        </ol>
      )}
      <Form method="post" className="card mt-4 max-w-xl space-y-3" noValidate>
        <h3 className="font-semibold">{t("author.lessons.addHeading")}</h3>
        <input type="hidden" name="intent" value="addLesson" />
        <TextField
          id="lesson-title"
          label={t("author.fields.lessonTitle")}
          error={errors.title ? t(errors.title) : undefined}
          name="title"
          maxLength={200}
          defaultValue={added?.values?.lessonTitle}
        />
        <TextField
          id="lesson-slug"
          label={t("author.fields.lessonSlug")}
          hint={t("author.lessons.slugHelp")}
          hintAbove
          error={slugError ? t(slugError) : undefined}
          name="slug"
          maxLength={80}
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          className="input font-mono"
          defaultValue={added?.values?.lessonSlug}
        />
        <button type="submit" className="btn">
          {t("author.lessons.add")}
        </button>
      </Form>
    </section>
  );
}
