import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { authorMeta } from "~/components/author/meta";
import { Breadcrumbs } from "~/components/author/ui";
import { Notice } from "~/components/ui/Notice";
import { requireEditableCourse } from "~/content/authoring-access.server";
import { approve, compareSides, parseSide, reject, republish, reviewRequired, rollback, unpublish, versionHistory, withdraw } from "~/content/versions.server";
import { field, idParam } from "~/platform/request.server";
import { useT } from "~/utils/i18n";
import "~/locales/author";
import "~/locales/versions";
import { ComparisonView, CompareForm } from "./comparison";
import { HistoryTable, ReviewPanel, StatusPanel } from "./history";

// A course's versions for its editors: the state learners see, review requests, any two states
// compared (?from=&to=, a version number or "draft"), rollback and withdrawal.
export const meta: MetaFunction<typeof loader> = ({ matches }) => authorMeta(matches, (t) => t("versions.title"));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, course } = await requireEditableCourse(request, context, params.course);
  const url = new URL(request.url);
  const history = await versionHistory(course.id);
  const asked = url.searchParams.has("from") || url.searchParams.has("to");
  const from = asked ? parseSide(url.searchParams.get("from")) : history.published;
  const to = asked ? parseSide(url.searchParams.get("to")) : "draft";
  const comparison = from !== null && to !== null ? await compareSides(course.id, from, to) : null;
  return {
    course: { slug: course.slug, title: course.title },
    review: reviewRequired(),
    history: { ...history, requests: history.requests.map(({ requestedById, ...r }) => ({ ...r, mine: requestedById === user.id })) },
    compare: { from, to, comparison, missing: asked && comparison === null },
  };
}

export type ActionResult = { intent: string; ok?: string; error?: string; params?: Record<string, string | number>; problems?: string[] };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireEditableCourse(request, context, params.course);
  const form = await request.formData();
  const intent = field(form, "intent");
  const done = (ok: string, values?: Record<string, string | number>) => data<ActionResult>({ intent, ok, params: values });
  const fail = (error: string | undefined, values?: Record<string, string | number>, problems?: string[]) =>
    data<ActionResult>({ intent, error, params: values, problems }, { status: 400 });

  switch (intent) {
    case "rollback": {
      const number = idParam(field(form, "number"));
      const expected = parseSide(field(form, "expected"));
      const r = await rollback(actor, number, typeof expected === "number" ? expected : null);
      if (!r.ok) return fail(r.error, r.params);
      // Not created: a double submit (someone's rollback already published it) or content equal to the version in use.
      const key = r.review ? "versions.history.rolledBackReview" : r.created || r.number !== expected ? "versions.history.rolledBack" : "versions.history.rolledBackSame";
      return done(key, { restores: number, number: r.number ?? 0 });
    }
    case "unpublish": {
      const r = await unpublish(actor);
      return r.ok ? done("versions.status.unpublished", { count: r.told }) : done("versions.status.alreadyUnpublished");
    }
    case "republish":
      return (await republish(actor)) ? done("versions.status.republished") : done("versions.status.alreadyPublished");
    case "approve":
    case "reject":
    case "withdraw": {
      const id = idParam(field(form, "requestId"));
      const comment = field(form, "comment", 2000);
      const r = intent === "approve" ? await approve(actor, id, comment) : intent === "reject" ? await reject(actor, id, comment) : await withdraw(actor, id);
      return r.ok ? done(r.key, { number: r.number ?? 0 }) : fail(r.error, undefined, r.problems);
    }
    default:
      return fail("versions.errors.invalid");
  }
}

export default function CourseVersions() {
  const { course, review, history, compare } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ to: "/author", label: t("author.title") }, { to: `/author/${course.slug}`, label: course.title }, { label: t("versions.title") }]} />
      <h1 className="text-2xl font-bold break-words text-brand-800">{t("versions.title")}</h1>
      <p className="text-slate-700">{t("versions.intro")}</p>
      {result?.ok ? <Notice tone="success">{t(result.ok, result.params)}</Notice> : null}
      {result?.error || result?.problems?.length ? (
        <Notice tone="error" as="div">
          {result.error ? <p>{t(result.error, result.params)}</p> : <p className="font-semibold">{t("author.publish.refused")}</p>}
          {result.problems?.length ? (
            <ul className="mt-2 list-disc pl-5">
              {result.problems.map((p) => (
                <li key={p}>{t(`author.publish.problems.${p}`, { quizSize: "", count: "", defaultValue: p })}</li>
              ))}
            </ul>
          ) : null}
        </Notice>
      ) : null}
      <StatusPanel history={history} />
      {review || history.requests.length ? <ReviewPanel requests={history.requests} required={review} /> : null}
      <section aria-labelledby="compare-heading" className="card">
        <h2 id="compare-heading" className="text-lg font-semibold">
          {t("versions.compare.heading")}
        </h2>
        <CompareForm versions={history.versions.map((v) => v.number)} from={compare.from} to={compare.to} />
        {compare.missing ? (
          <Notice tone="error" className="mt-3">
            {t("versions.compare.missing")}
          </Notice>
        ) : null}
        {compare.comparison && compare.from !== null && compare.to !== null ? <ComparisonView comparison={compare.comparison} from={compare.from} to={compare.to} /> : null}
      </section>
      <HistoryTable history={history} courseSlug={course.slug} review={review} />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
