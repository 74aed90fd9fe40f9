import { Form } from "@remix-run/react";
import { FieldError } from "~/components/ui/Notice";
import { useT } from "~/utils/i18n";

/** The public look-up form. It submits with GET to /verify, so it works without JavaScript. */
export function VerifyCodeForm({ error, defaultValue }: { error?: string; defaultValue?: string }) {
  const t = useT();
  return (
    <Form method="get" action="/verify" className="card space-y-3" role="search" aria-label={t("verify.title")}>
      <div>
        <label htmlFor="code" className="label">
          {t("verify.code")}
        </label>
        <input
          id="code"
          name="code"
          defaultValue={defaultValue}
          className="input font-mono"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "code-hint code-error" : "code-hint"}
        />
        <p id="code-hint" className="mt-1 text-sm text-slate-600">
          {t("verify.codeHint")}
        </p>
        <FieldError id="code-error" message={error} />
      </div>
      <button type="submit" className="btn">
        {t("verify.submit")}
      </button>
    </Form>
  );
}
