import type { MetaDescriptor } from "@remix-run/node";
import { getT, isLang } from "~/utils/i18n";
import "~/locales/author";

type Match = { id: string; data: unknown };

/** A page title in the interface language, which the root loader decides. */
export function authorMeta(matches: Match[], title: (t: ReturnType<typeof getT>) => string): MetaDescriptor[] {
  const lang = (matches.find((m) => m.id === "root")?.data as { lang?: unknown } | undefined)?.lang;
  const t = getT(isLang(lang) ? lang : "vi");
  return [{ title: `${title(t)} — ${t("app.name")}` }];
}
