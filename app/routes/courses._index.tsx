import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { SelectField, TextField } from "~/components/ui/Field";
import { listPublishedCourses } from "~/content/catalog.data.server";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { clientIp } from "~/platform/request.server";
import { CATEGORIES, type Category } from "~/utils/course";
import { pageTitle, useLang, useT } from "~/utils/i18n";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "nav.courses");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireAuthorized(user, "course.learn", null, { ip: clientIp(context) });
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 100);
  const raw = url.searchParams.get("category");
  const category = (CATEGORIES as readonly string[]).includes(raw ?? "") ? (raw as Category) : null;
  return { q, category, courses: await listPublishedCourses({ q, category }) };
}

export default function Catalogue() {
  const { q, category, courses } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold text-brand-800">{t("catalog.title")}</h1>
        <p className="mt-1 text-slate-700">{t("catalog.intro")}</p>
      </div>
      <Form method="get" role="search" className="flex flex-wrap items-end gap-3">
        <TextField id="q" label={t("catalog.search")} name="q" defaultValue={q} containerClassName="grow" />
        <SelectField id="category" label={t("catalog.category")} name="category" defaultValue={category ?? ""}>
          <option value="">{t("catalog.allCategories")}</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`categories.${c}`)}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="btn">
          {t("catalog.searchButton")}
        </button>
      </Form>
      {courses.length === 0 ? (
        <p>{t("catalog.empty")}</p>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2">
          {courses.map((c) => (
            <li key={c.course.slug} className="card flex flex-col gap-2">
              <p className="text-xs font-semibold uppercase tracking-wide text-flag">{t(`categories.${c.category}`)}</p>
              <h2 className="text-lg font-semibold">
                <Link to={`/courses/${c.course.slug}`}>{lang === "en" && c.titleEn ? c.titleEn : c.title}</Link>
              </h2>
              <p className="text-sm text-slate-700">{lang === "en" && c.summaryEn ? c.summaryEn : c.summary}</p>
              <p className="mt-auto text-sm text-slate-600">
                {t("catalog.lessons", { count: c._count.lessons })} · {t("catalog.minutes", { count: c.estimatedMinutes })}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
