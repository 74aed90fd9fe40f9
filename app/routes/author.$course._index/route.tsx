import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { authorMeta } from "~/components/author/meta";
import type { ProblemView } from "~/components/author/ui";
import { Notice } from "~/components/ui/Notice";
import { requireEditableCourse } from "~/content/authoring-access.server";
import { getCourseEditor } from "~/content/authoring.data.server";
import { addLesson, deleteLesson, lessonNeedsSave, moveLesson, publish, unpublishedChanges, updateSettings } from "~/content/authoring.server";
import { openRequest, requestReview, reviewRequired } from "~/content/versions.server";
import type { FieldErrors } from "~/platform/forms.server";
import { field, idParam } from "~/platform/request.server";
import { useT } from "~/utils/i18n";
import "~/locales/author";
import { CourseHeader } from "./course-header";
import { LessonsSection } from "./lessons-section";
import { PublishPanel } from "./publish-panel";
import { QuizSummary } from "./quiz-summary";
import { SettingsForm } from "./settings-form";
import { VersionsTable } from "./versions-table";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => authorMeta(matches, (t) => data?.course.title ?? t("author.title"));

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, course: ref } = await requireEditableCourse(request, context, params.course);
  const course = await getCourseEditor(ref.id);
  const open = reviewRequired() ? await openRequest(ref.id) : null;
  return {
    review: { required: reviewRequired(), open: open ? { stale: open.stale, mine: open.requestedById === user.id } : null },
    course: { ...course, lessons: course.lessons.map(({ sourceHash, rendererVersion, ...l }) => ({ ...l, needsSave: lessonNeedsSave({ sourceHash, rendererVersion }) })) },
    changes: await unpublishedChanges(ref.id),
  };
}

type ActionResult = {
  intent: string;
  ok?: string;
  errors?: FieldErrors;
  introProblems?: ProblemView[];
  values?: Record<string, string>;
  publish?: { ok: true; created: boolean; number: number } | { ok: false; problems: string[] };
  review?: { ok: true; key: string } | { ok: false; error?: string; problems?: string[] };
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireEditableCourse(request, context, params.course);
  const form = await request.formData();
  const intent = field(form, "intent");
  const fail = (result: ActionResult) => data<ActionResult>(result, { status: 400 });

  switch (intent) {
    case "settings": {
      const result = await updateSettings(actor, form);
      if (result.ok) return data<ActionResult>({ intent, ok: "author.settings.saved" });
      const values: Record<string, string> = {};
      for (const [k, v] of form.entries()) if (typeof v === "string") values[k] = v;
      return fail({ intent, errors: result.errors, introProblems: result.introProblems, values });
    }
    case "addLesson": {
      const result = await addLesson(actor, form);
      if (!result.ok) return fail({ intent, errors: result.errors, values: { lessonSlug: field(form, "slug"), lessonTitle: field(form, "title") } });
      return redirect(`/author/${actor.course.slug}/lessons/${result.slug}?created=1`);
    }
    case "moveUp":
    case "moveDown": {
      const from = Number(field(form, "from"));
      await moveLesson(actor, idParam(field(form, "lessonId")), Number.isInteger(from) ? from : -1, intent === "moveUp" ? "up" : "down");
      return data<ActionResult>({ intent, ok: "author.lessons.moved" });
    }
    case "deleteLesson": {
      await deleteLesson(actor, idParam(field(form, "lessonId")));
      return data<ActionResult>({ intent, ok: "author.lessons.deleted" });
    }
    case "publish": {
      const result = await publish(actor);
      const view: ActionResult["publish"] = result.ok ? { ok: true, created: result.created, number: result.number } : { ok: false, problems: result.problems };
      return result.ok ? data<ActionResult>({ intent, publish: view }) : fail({ intent, publish: view });
    }
    case "requestReview": {
      const result = await requestReview(actor, field(form, "note", 1000));
      const view: ActionResult["review"] = result.ok ? { ok: true, key: result.key } : { ok: false, error: result.error, problems: result.problems };
      return result.ok ? data<ActionResult>({ intent, review: view }) : fail({ intent, review: view });
    }
    default:
      return fail({ intent, errors: { _: "author.errors.invalid" } });
  }
}

export default function CourseEditor() {
  const { course, changes, review } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const publishing = navigation.state === "submitting" && ["publish", "requestReview"].includes(String(navigation.formData?.get("intent")));
  const t = useT();
  const errors: FieldErrors = result?.errors ?? {};
  return (
    <div className="space-y-8">
      <CourseHeader course={course} />

      {params.get("created") && !result ? <Notice tone="success">{t("author.create.created")}</Notice> : null}
      {result?.ok && result.intent !== "settings" ? <Notice tone="success">{t(result.ok)}</Notice> : null}
      {errors._ ? <Notice tone="error">{t(errors._)}</Notice> : null}
      {course.origin === "content" ? (
        <Notice tone="warning" announce={false}>
          {t("author.course.fromContent")}
        </Notice>
      ) : null}

      <PublishPanel course={course} changes={changes} outcome={result?.publish} busy={publishing} review={review} reviewOutcome={result?.review} />
      <LessonsSection course={course} result={result} unpublished={changes.lessons.map((l) => l.id)} />
      <QuizSummary course={course} />
      <SettingsForm course={course} result={result} />
      <VersionsTable course={course} />
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
