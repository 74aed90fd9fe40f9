import { Form } from "@remix-run/react";
import { TextField } from "~/components/ui/Field";
import { useT } from "~/utils/i18n";

/** The public look-up form. It submits with GET to /verify, so it works without JavaScript. */
export function VerifyCodeForm({ error, defaultValue }: { error?: string; defaultValue?: string }) {
  const t = useT();
  return (
    <Form method="get" action="/verify" className="card space-y-3" role="search" aria-label={t("verify.title")}>
      <TextField
        id="code"
        label={t("verify.code")}
        hint={t("verify.codeHint")}
        hintId="code-hint"
        hintSize="sm"
        error={error}
        name="code"
        defaultValue={defaultValue}
        className="input font-mono"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
      />
      <button type="submit" className="btn">
        {t("verify.submit")}
      </button>
    </Form>
  );
}
