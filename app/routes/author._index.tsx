import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { authorMeta } from "~/components/author/meta";
import { Badge } from "~/components/author/ui";
import { SelectField, TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { editableScope, requireAuthor } from "~/content/authoring-access.server";
import { listEditableCourses } from "~/content/authoring.data.server";
import { createCourse } from "~/content/authoring.server";
import type { FieldErrors } from "~/platform/forms.server";
import { field } from "~/platform/request.server";
import { CATEGORIES } from "~/utils/course";
import { useFormat, useLang, useT } from "~/utils/i18n";
import "~/locales/author";

export const meta: MetaFunction = ({ matches }) => authorMeta(matches, (t) => t("author.title"));

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user } = await requireAuthor(request, context);
  const courses = await listEditableCourses(editableScope(user));
  return { courses };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, ip } = await requireAuthor(request, context);
  const form = await request.formData();
  if (field(form, "intent") !== "create") return data<{ errors: FieldErrors }>({ errors: { _: "author.errors.invalid" } }, { status: 400 });
  const result = await createCourse(user, ip, form);
  if (!result.ok) return data({ errors: result.errors }, { status: 400 });
  return redirect(`/author/${result.slug}?created=1`);
}

export default function AuthorHome() {
  const { courses } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const lang = useLang();
  const fmt = useFormat();
  const errors: FieldErrors = result?.errors ?? {};
  const error = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold text-brand-800">{t("author.title")}</h1>
          <p className="mt-1 max-w-2xl text-slate-700">{t("author.list.intro")}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          <Link to="/hr/classes" className="btn-secondary">
            {t("classes.link")}
          </Link>
          <Link to="/author/guide" className="btn-secondary">
            {t("author.guideLink")}
          </Link>
        </div>
      </div>

      <section aria-labelledby="courses-heading">
        <h2 id="courses-heading" className="text-lg font-semibold">
          {t("author.list.heading")}
        </h2>
        {courses.length === 0 ? (
          <p className="mt-3 text-slate-700">{t("author.list.empty")}</p>
        ) : (
          <ul className="mt-3 grid gap-3 md:grid-cols-2">
            {courses.map((c) => (
              <li key={c.id} className="card flex flex-col gap-2">
                <p className="text-xs font-semibold uppercase tracking-wide text-flag">{t(`categories.${c.category}`)}</p>
                <h3 className="text-base font-semibold">
                  <Link to={`/author/${c.slug}`}>{lang === "en" && c.titleEn ? c.titleEn : c.title}</Link>
                </h3>
                <p className="break-all text-xs text-slate-600">
                  {t("author.list.address")}: <code>{c.slug}</code>
                </p>
                <p className="text-xs text-slate-600">
                  {c.unit ? t("author.list.unit", { name: lang === "en" && c.unit.nameEn ? c.unit.nameEn : c.unit.nameVi }) : t("author.list.deployment")}
                </p>
                <p className="flex flex-wrap items-center gap-2 text-sm">
                  {c.publishedVersion ? (
                    <Badge tone="published">{t("author.state.published", { number: c.publishedVersion.number })}</Badge>
                  ) : (
                    <Badge tone="draft">{t("author.state.draft")}</Badge>
                  )}
                  {c.origin === "content" ? <Badge tone="draft">{t("author.state.fromContent")}</Badge> : null}
                </p>
                <p className="text-sm text-slate-700">
                  {t("author.list.counts", { lessons: c._count.lessons, questions: c._count.questions })}
                  {" · "}
                  {t("author.list.edited", { date: fmt.dateTime(c.updatedAt) })}
                  {c.owner ? ` · ${t("author.list.owner", { name: c.owner.fullName })}` : ""}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="create-heading" className="card max-w-xl">
        <h2 id="create-heading" className="text-lg font-semibold">
          {t("author.create.heading")}
        </h2>
        {errors._ ? (
          <div className="mt-3">
            <Notice tone="error">{t(errors._)}</Notice>
          </div>
        ) : null}
        <Form method="post" className="mt-4 space-y-4" noValidate>
          <input type="hidden" name="intent" value="create" />
          <TextField id="title" label={t("author.fields.title")} error={error("title")} name="title" required maxLength={200} />
          <TextField
            id="slug"
            label={t("author.fields.slug")}
            hint={t("author.create.slugHelp")}
            hintAbove
            error={error("slug")}
            name="slug"
            required
            maxLength={80}
            pattern="[a-z0-9]+(-[a-z0-9]+)*"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            className="input font-mono"
          />
          <SelectField id="category" label={t("author.fields.category")} error={error("category")} name="category">
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`categories.${c}`)}
              </option>
            ))}
          </SelectField>
          <button type="submit" className="btn">
            {t("author.create.submit")}
          </button>
        </Form>
      </section>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
