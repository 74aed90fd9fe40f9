import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { ProblemList } from "~/components/author/ui";
import { FieldError, SelectField, TextareaField, TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { CATEGORIES, REVIEW_POLICIES } from "~/utils/course";
import { useT } from "~/utils/i18n";
import "~/locales/author";
import type { action, loader } from "./route";

type Editor = SerializeFrom<typeof loader>["course"];

const NUMBER_FIELDS = ["estimatedMinutes", "validityMonths", "passingScore", "quizSize", "maxAttempts", "retryWaitMinutes", "timeLimitMinutes"] as const;

/**
 * The course's descriptive fields and rules. After a refused save it shows what was typed, not
 * what is stored, so nothing the trainer wrote is lost.
 */
export function SettingsForm({ course, result }: { course: Editor; result: SerializeFrom<typeof action> | undefined }) {
  const t = useT();
  const settings = result?.intent === "settings" ? result : null;
  const errors = settings?.errors ?? {};
  const values = settings ? (settings.values ?? {}) : null;
  const value = (name: string, stored: string | number) => (values ? (values[name] ?? "") : String(stored));
  const checked = (name: string, stored: boolean) => (values ? values[name] === "on" : stored);
  const error = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  return (
    <section aria-labelledby="settings-heading" className="card">
      <h2 id="settings-heading" className="text-lg font-semibold">
        {t("author.settings.heading")}
      </h2>
      {settings?.ok ? (
        <div className="mt-3">
          <Notice tone="success">{t(settings.ok)}</Notice>
        </div>
      ) : null}
      {settings && !settings.ok ? (
        <div className="mt-3">
          <Notice tone="error">{t("author.errors.fixBelow")}</Notice>
        </div>
      ) : null}
      <Form method="post" className="mt-4 space-y-5" noValidate>
        <input type="hidden" name="intent" value="settings" />
        <fieldset className="grid gap-4 md:grid-cols-2">
          <legend className="mb-2 font-semibold">{t("author.settings.about")}</legend>
          {(["title", "titleEn"] as const).map((name) => (
            <TextField key={name} id={name} label={t(`author.fields.${name}`)} error={error(name)} name={name} maxLength={200} defaultValue={value(name, course[name])} />
          ))}
          {(["summary", "summaryEn"] as const).map((name) => (
            <TextareaField key={name} id={name} label={t(`author.fields.${name}`)} error={error(name)} name={name} rows={3} maxLength={600} defaultValue={value(name, course[name])} />
          ))}
          <SelectField id="category-setting" label={t("author.fields.category")} error={error("category")} name="category" defaultValue={value("category", course.category)}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`categories.${c}`)}
              </option>
            ))}
          </SelectField>
        </fieldset>
        <fieldset className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <legend className="mb-2 font-semibold">{t("author.settings.rules")}</legend>
          {NUMBER_FIELDS.map((name) => (
            <TextField
              key={name}
              id={name}
              label={t(`author.fields.${name}`)}
              hint={t(`author.settings.help.${name}`)}
              error={error(name)}
              name={name}
              inputMode="numeric"
              defaultValue={value(name, course[name])}
            />
          ))}
          <SelectField id="reviewPolicy" label={t("author.fields.reviewPolicy")} error={error("reviewPolicy")} name="reviewPolicy" defaultValue={value("reviewPolicy", course.reviewPolicy)}>
            {REVIEW_POLICIES.map((p) => (
              <option key={p} value={p}>
                {t(`author.settings.reviewPolicies.${p}`)}
              </option>
            ))}
          </SelectField>
          {(["sequential", "selfEnroll"] as const).map((name) => (
            <div key={name} className="flex items-start gap-2 sm:col-span-2 lg:col-span-3">
              <input id={name} name={name} type="checkbox" defaultChecked={checked(name, course[name])} className="mt-1 h-4 w-4 shrink-0" aria-describedby={`${name}-help`} />
              <div>
                <label htmlFor={name} className="font-medium">
                  {t(`author.fields.${name}`)}
                </label>
                <p id={`${name}-help`} className="text-xs text-slate-600">
                  {t(`author.settings.help.${name}`)}
                </p>
              </div>
            </div>
          ))}
        </fieldset>
        <div>
          <label htmlFor="intro" className="label">
            {t("author.fields.intro")}
          </label>
          <p id="intro-help" className="mb-1 text-sm text-slate-600">
            {t("author.settings.help.intro")}
          </p>
          {/* MDX: the checker's problems and a plain message share the one id the textarea names. */}
          <textarea
            id="intro"
            name="intro"
            rows={8}
            defaultValue={value("intro", course.intro)}
            className="input font-mono text-sm"
            spellCheck={false}
            aria-invalid={errors.intro ? true : undefined}
            aria-describedby={errors.intro ? "intro-help intro-error" : "intro-help"}
          />
          <div id="intro-error" className="mt-2">
            <ProblemList problems={settings?.introProblems ?? []} />
            {errors.intro && !settings?.introProblems?.length ? <FieldError id="intro-error-text" message={error("intro")} /> : null}
          </div>
        </div>
        <button type="submit" className="btn">
          {t("author.settings.submit")}
        </button>
      </Form>
    </section>
  );
}
