// Two-step sign-in for one's own account: the authenticator app, recovery codes and passkeys.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { browserSupportsWebAuthn, startRegistration, type PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/browser";
import { useEffect, useState } from "react";
import { TextField } from "~/components/ui/Field";
import { Notice } from "~/components/ui/Notice";
import { currentSessionId, requireRecentAuth, requireUser } from "~/identity/auth.server";
import { addPasskey, passkeyRegistrationOptions, removePasskey } from "~/identity/passkeys.server";
import { confirmTotpSetup, pendingTotpSetup, regenerateRecoveryCodes, removeTotp, securityOverview, startTotpSetup } from "~/identity/second-factor.server";
import { clientIp, field } from "~/platform/request.server";
import { pageTitle, useFormat, useT } from "~/utils/i18n";
import "~/locales/two-step";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "twoStep.security.title");

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [overview, setup] = await Promise.all([securityOverview(user), pendingTotpSetup(user)]);
  return { ...overview, setup, confirmed: user.secondFactor !== null };
}

type Message = { tone: "success" | "error"; key: string; minutes?: number };
type ActionResult = { message?: Message; recoveryCodes?: string[]; passkeyOptions?: PublicKeyCredentialCreationOptionsJSON };

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = currentSessionId(request)!;
  const ip = clientIp(context);
  const form = await request.formData();
  const intent = field(form, "intent");
  const ok = (key: string, extra: ActionResult = {}) => data<ActionResult>({ message: { tone: "success", key }, ...extra });
  const refused = (key: string, status = 400, minutes?: number) => data<ActionResult>({ message: { tone: "error", key, minutes } }, { status });

  switch (intent) {
    case "startApp":
      return (await startTotpSetup(user)) ? data<ActionResult>({}) : refused("twoStep.security.app.noSetup");
    case "confirmApp": {
      const result = await confirmTotpSetup(user, sessionId, field(form, "code", 20), ip);
      if (result.ok) return ok("twoStep.security.app.enabled", { recoveryCodes: result.recoveryCodes });
      return result.error === "throttled" ? refused("twoStep.security.app.throttled", 429, result.minutes) : refused(`twoStep.security.app.${result.error}`);
    }
    case "passkeyOptions":
      return data<ActionResult>({ passkeyOptions: await passkeyRegistrationOptions(user, sessionId) });
    case "addPasskey": {
      let response: unknown = null;
      try {
        response = JSON.parse(field(form, "response", 16_000));
      } catch {
        // refused below like any response that does not verify
      }
      const name = field(form, "name", 60) || "";
      const result = await addPasskey(user, sessionId, response, name.normalize("NFC"), ip);
      return result.ok ? ok("twoStep.security.passkeys.added") : refused(`twoStep.security.passkeys.${result.error}`);
    }
  }
  // Taking a factor away, or replacing the recovery codes, needs the password typed just now.
  await requireRecentAuth(request, user);
  switch (intent) {
    case "removeApp": {
      const result = await removeTotp(user, ip);
      return result.ok ? ok("twoStep.security.app.removed") : refused("twoStep.security.lastRequired", 409);
    }
    case "regenerate": {
      const codes = await regenerateRecoveryCodes(user, ip);
      return codes ? data<ActionResult>({ recoveryCodes: codes }) : refused("twoStep.security.app.noSetup");
    }
    case "removePasskey": {
      const id = Number(field(form, "passkeyId", 12));
      const result = Number.isSafeInteger(id) ? await removePasskey(user, id, ip) : { ok: false as const, error: "notFound" as const };
      if (result.ok) return ok("twoStep.security.passkeys.removed");
      return result.error === "lastRequired" ? refused("twoStep.security.lastRequired", 409) : refused("twoStep.security.passkeys.notFound", 404);
    }
  }
  return refused("errors.badRequest");
}

export default function SecurityPage() {
  const t = useT();
  const fmt = useFormat();
  const { totp, passkeys, recoveryLeft, required, setup, confirmed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const recovered = params.get("recovered");
  const on = totp !== null || passkeys.length > 0;
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <div className="card">
        <h1 className="text-2xl font-bold text-brand-800">{t("twoStep.security.title")}</h1>
        <p className="mt-2 text-slate-700">{t("twoStep.security.intro")}</p>
        <p className="mt-3 text-sm">
          {t("twoStep.security.status")}: <strong>{on ? t("twoStep.security.on") : t("twoStep.security.off")}</strong>
        </p>
        {required && !confirmed ? (
          <Notice tone="warning" className="mt-4">
            {t("twoStep.security.required")}
          </Notice>
        ) : null}
        {recovered !== null && !result ? (
          <Notice tone="warning" className="mt-4">
            {t("twoStep.verify.recoveryUsed", { count: Number(recovered) })}
          </Notice>
        ) : null}
        {result?.message ? (
          <Notice tone={result.message.tone} className="mt-4">
            {t(result.message.key, { minutes: result.message.minutes })}
          </Notice>
        ) : null}
        {result?.recoveryCodes ? <RecoveryCodes codes={result.recoveryCodes} /> : null}
      </div>

      <section aria-labelledby="app-heading" className="card">
        <h2 id="app-heading" className="text-lg font-semibold">
          {t("twoStep.security.app.heading")}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{t("twoStep.security.app.help")}</p>
        {totp ? (
          <>
            <p className="mt-3 text-sm">{t("twoStep.security.app.since", { date: fmt.date(totp.since) })}</p>
            <Form method="post" className="mt-3">
              <input type="hidden" name="intent" value="removeApp" />
              <button type="submit" className="btn-secondary" disabled={busy}>
                {t("twoStep.security.app.remove")}
              </button>
              <p className="mt-2 text-xs text-slate-600">{t("twoStep.security.needsPassword")}</p>
            </Form>
          </>
        ) : setup ? (
          <div className="mt-4 space-y-4">
            <p className="text-sm">{t("twoStep.security.app.scan")}</p>
            {/* The QR code is SVG made on the server from the otpauth:// address; it holds no script. */}
            <div className="h-56 w-56 rounded border border-slate-200 bg-white" dangerouslySetInnerHTML={{ __html: setup.qrSvg }} />
            <p className="text-sm">
              {t("twoStep.security.app.manual")} <code className="select-all break-all font-mono">{setup.key}</code>
            </p>
            <Form method="post" className="max-w-xs space-y-3">
              <input type="hidden" name="intent" value="confirmApp" />
              <TextField id="code" name="code" label={t("twoStep.security.app.confirmLabel")} inputMode="numeric" autoComplete="one-time-code" maxLength={7} required />
              <button type="submit" className="btn" disabled={busy}>
                {t("twoStep.security.app.confirm")}
              </button>
            </Form>
          </div>
        ) : (
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="startApp" />
            <button type="submit" className="btn" disabled={busy}>
              {t("twoStep.security.app.start")}
            </button>
          </Form>
        )}
      </section>

      {on ? (
        <section aria-labelledby="recovery-heading" className="card">
          <h2 id="recovery-heading" className="text-lg font-semibold">
            {t("twoStep.security.recovery.heading")}
          </h2>
          <p className="mt-1 text-sm">{t("twoStep.security.recovery.left", { count: recoveryLeft })}</p>
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="regenerate" />
            <button type="submit" className="btn-secondary" disabled={busy}>
              {t("twoStep.security.recovery.regenerate")}
            </button>
            <p className="mt-2 text-xs text-slate-600">
              {t("twoStep.security.recovery.regenerateHelp")} {t("twoStep.security.needsPassword")}
            </p>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="passkeys-heading" className="card">
        <h2 id="passkeys-heading" className="text-lg font-semibold">
          {t("twoStep.security.passkeys.heading")}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{t("twoStep.security.passkeys.help")}</p>
        {passkeys.length === 0 ? (
          <p className="mt-3 text-sm text-slate-600">{t("twoStep.security.passkeys.none")}</p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-200">
            {passkeys.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  <strong>{p.name || t("twoStep.security.passkeys.defaultName")}</strong>
                  <span className="block text-xs text-slate-600">
                    {t("twoStep.security.passkeys.meta", { created: fmt.date(p.createdAt), used: p.lastUsedAt ? fmt.dateTime(p.lastUsedAt) : t("twoStep.security.passkeys.never") })}
                  </span>
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="removePasskey" />
                  <input type="hidden" name="passkeyId" value={p.id} />
                  <button type="submit" className="btn-secondary" disabled={busy}>
                    {t("twoStep.security.passkeys.remove")}
                  </button>
                </Form>
              </li>
            ))}
          </ul>
        )}
        <AddPasskey />
      </section>
    </div>
  );
}

function RecoveryCodes({ codes }: { codes: string[] }) {
  const t = useT();
  return (
    <div className="mt-4 rounded border border-amber-300 bg-amber-50 p-4">
      <p className="text-sm font-semibold">{t("twoStep.security.recovery.showOnce")}</p>
      <ol className="mt-3 grid grid-cols-2 gap-2 font-mono text-base" aria-label={t("twoStep.security.recovery.heading")}>
        {codes.map((c) => (
          <li key={c} className="select-all">
            {c}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Asks the server for options, lets the browser create a passkey, and sends it to be kept. */
function AddPasskey() {
  const t = useT();
  const options = useFetcher<typeof action>();
  const save = useFetcher<typeof action>();
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [supported, setSupported] = useState(true);
  useEffect(() => setSupported(browserSupportsWebAuthn()), []);
  const offered = options.data?.passkeyOptions ?? null;
  useEffect(() => {
    if (!offered) return;
    startRegistration({ optionsJSON: offered as unknown as PublicKeyCredentialCreationOptionsJSON })
      .then((response) => save.submit({ intent: "addPasskey", name, response: JSON.stringify(response) }, { method: "post" }))
      .catch(() => setProblem("twoStep.security.passkeys.failed"));
    // Each new set of options starts one ceremony, with the name typed before it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [offered]);
  const message = save.data?.message;
  useEffect(() => {
    if (message?.tone === "success") setName("");
  }, [message]);
  if (!supported) return <p className="mt-3 text-sm text-slate-600">{t("twoStep.security.passkeys.unsupported")}</p>;
  return (
    <div className="mt-4 max-w-sm space-y-3">
      {problem ? <Notice tone="error">{t(problem)}</Notice> : message ? <Notice tone={message.tone}>{t(message.key)}</Notice> : null}
      <TextField id="passkey-name" label={t("twoStep.security.passkeys.name")} hint={t("twoStep.security.passkeys.nameHint")} hintId="passkey-name-hint" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} />
      <button
        type="button"
        className="btn"
        disabled={options.state !== "idle" || save.state !== "idle"}
        onClick={() => {
          setProblem(null);
          options.submit({ intent: "passkeyOptions" }, { method: "post" });
        }}
      >
        {t("twoStep.security.passkeys.add")}
      </button>
    </div>
  );
}
