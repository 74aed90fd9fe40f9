import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { VerifyCodeForm } from "~/components/certificates/VerifyCodeForm";
import { verifyCertificate } from "~/certificates/verification.server";
import { env } from "~/platform/env.server";
import { countRequest, limits } from "~/platform/rate-limit.server";
import { clientIp } from "~/platform/request.server";
import { MAX_CODE_INPUT } from "~/utils/certificates";
import { getT, isLang, useT } from "~/utils/i18n";
import type { RouteHandle } from "~/utils/route-handle";
import { formatDate } from "~/utils/vietnam-time";

// The answer may change at any moment (revocation): never cached, never indexed.
const NO_STORE = { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" };

// Opened by anyone holding a code, often from a phone scanning a certificate: plain HTML, no
// scripts to download. The look-up form is a GET form and works without them.
export const handle: RouteHandle = { scripts: false };

export const headers: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const lang = (matches.find((m) => m.id === "root")?.data as { lang?: string } | undefined)?.lang;
  const t = getT(isLang(lang) ? lang : "vi");
  const title = data && "result" in data ? t(`verify.status.${data.result.status}`) : t("verify.throttledTitle");
  return [{ title: `${title} — Kỹ Năng Số` }, { name: "robots", content: "noindex" }];
};

/**
 * Public status of a certificate. Every kind of miss (unknown, malformed, absurdly long)
 * gets the same 404 page; the typed code is shown back only when it is of a sane length.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const raw = params.code ?? "";
  const wait = await countRequest(limits.verifyIp, clientIp(context));
  if (wait > 0) return data({ throttled: wait }, { status: 429, headers: { ...NO_STORE, "Retry-After": String(wait) } });
  const found = await verifyCertificate(raw);
  const typed = raw.length <= MAX_CODE_INPUT ? raw : "";
  // Dates as dd/mm/yyyy with the full year: on a certificate the year must be unambiguous.
  const result =
    found.status === "notfound"
      ? found
      : {
          ...found,
          completedAt: formatDate(found.completedAt),
          expiresAt: found.expiresAt ? formatDate(found.expiresAt) : null,
          revokedAt: found.revokedAt ? formatDate(found.revokedAt) : null,
          erasedAt: found.erasedAt ? formatDate(found.erasedAt) : null,
        };
  // Whether the PDFs of this deployment carry a digital signature, and whose.
  const identity = env.SIGNING_P12_FILE ? (await import("~/certificates/pdf-signing.server")).signingIdentity() : null;
  const signing = identity ? { subject: identity.subject, demo: identity.demo } : null;
  return data({ typed, result, signing }, { status: found.status === "notfound" ? 404 : 200, headers: NO_STORE });
}

const TONE = {
  valid: { box: "border-green-700 bg-green-50 text-green-900", icon: "✓" },
  expired: { box: "border-amber-600 bg-amber-50 text-amber-900", icon: "!" },
  revoked: { box: "border-red-700 bg-red-50 text-red-900", icon: "✕" },
  replaced: { box: "border-red-700 bg-red-50 text-red-900", icon: "✕" },
  notfound: { box: "border-slate-500 bg-slate-100 text-slate-900", icon: "?" },
} as const;

export default function VerifyResult() {
  const loaded = useLoaderData<typeof loader>();
  const t = useT();
  if ("throttled" in loaded) {
    return (
      <div className="card mx-auto max-w-xl space-y-3">
        <h1 className="text-2xl font-bold text-brand-800">{t("verify.throttledTitle")}</h1>
        <p>{t("verify.throttled", { seconds: loaded.throttled })}</p>
      </div>
    );
  }
  const { result, typed } = loaded;
  const tone = TONE[result.status];
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <p className="text-sm font-medium text-slate-600">{t("verify.resultHeading")}</p>
      <section className={`rounded-lg border-l-8 p-5 shadow-sm ${tone.box}`} aria-labelledby="status-heading">
        <h1 id="status-heading" className="flex items-center gap-3 text-2xl font-bold">
          <span aria-hidden="true" className="grid h-9 w-9 shrink-0 place-items-center rounded-full border-2 border-current text-lg">
            {tone.icon}
          </span>
          {t(`verify.status.${result.status}`)}
        </h1>
        <p className="mt-2">{t(`verify.explain.${result.status}`)}</p>
        {result.status !== "notfound" ? (
          <dl className="mt-4 grid gap-x-6 gap-y-2 break-words text-slate-900 sm:grid-cols-[max-content_1fr]">
            <dt className="font-medium text-slate-700">{t("certificates.code")}</dt>
            <dd className="font-mono">{result.code}</dd>
            <dt className="font-medium text-slate-700">{t("verify.holder")}</dt>
            <dd className="text-lg font-semibold">{result.erasedAt ? t("verify.erasedHolder", { date: result.erasedAt }) : result.fullName}</dd>
            <dt className="font-medium text-slate-700">{t("verify.course")}</dt>
            <dd>{result.courseTitle}</dd>
            <dt className="font-medium text-slate-700">{t("verify.completedOn")}</dt>
            <dd>{result.completedAt}</dd>
            <dt className="font-medium text-slate-700">{t("verify.expiresOn")}</dt>
            <dd>{result.expiresAt ?? t("verify.noExpiry")}</dd>
            {result.revokedAt && result.status === "revoked" ? (
              <>
                <dt className="font-medium text-slate-700">{t("verify.revokedOn")}</dt>
                <dd>{result.revokedAt}</dd>
              </>
            ) : null}
            <dt className="font-medium text-slate-700">{t("verify.issuer")}</dt>
            <dd>{result.issuer}</dd>
          </dl>
        ) : null}
      </section>
      <p className="text-sm text-slate-600">{t("verify.source")}</p>
      {result.status !== "notfound" ? (
        <p className="text-sm text-slate-600">
          {loaded.signing ? t(loaded.signing.demo ? "verify.signedDemo" : "verify.signed", { subject: loaded.signing.subject }) : t("verify.unsigned")}
        </p>
      ) : null}
      <section aria-labelledby="another-heading" className="space-y-2">
        <h2 id="another-heading" className="text-lg font-semibold">
          {t("verify.another")}
        </h2>
        <VerifyCodeForm defaultValue={typed} />
      </section>
      <p className="text-sm">
        <Link to="/">{t("errors.goHome")}</Link>
      </p>
    </div>
  );
}
