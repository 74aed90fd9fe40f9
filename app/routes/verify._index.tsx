import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { VerifyCodeForm } from "~/components/certificates/VerifyCodeForm";
import { groupCode, MAX_CODE_INPUT, normalizeCode } from "~/utils/certificates";
import { getT, isLang, useT } from "~/utils/i18n";
import type { RouteHandle } from "~/utils/route-handle";

// Opened by anyone holding a code, often from a phone scanning a certificate: plain HTML, no
// scripts to download. The look-up form is a GET form and works without them.
export const handle: RouteHandle = { scripts: false };

export const meta: MetaFunction = ({ matches }) => {
  const lang = (matches.find((m) => m.id === "root")?.data as { lang?: string } | undefined)?.lang;
  return [{ title: `${getT(isLang(lang) ? lang : "vi")("verify.title")} — Kỹ Năng Số` }];
};

/** Public, no sign-in: a typed code goes to its status page. */
export async function loader({ request }: LoaderFunctionArgs) {
  const typed = new URL(request.url).searchParams.get("code");
  if (typed === null) return { missing: false };
  const trimmed = typed.trim();
  if (!trimmed) return { missing: true };
  const code = normalizeCode(trimmed);
  // Input that cannot be a code goes to the same not-found page as an unknown code.
  return redirect(`/verify/${encodeURIComponent(code ? groupCode(code) : trimmed.slice(0, MAX_CODE_INPUT + 1))}`);
}

export default function VerifyPage() {
  const { missing } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <h1 className="text-2xl font-bold text-brand-800">{t("verify.title")}</h1>
      <p className="text-slate-700">{t("verify.intro")}</p>
      <VerifyCodeForm error={missing ? t("verify.required") : undefined} />
    </div>
  );
}
