import { BoundedCache } from "./bounded-cache";
import { createContext, useContext } from "react";
import { en } from "~/locales/en";
import { vi } from "~/locales/vi";

export const LANGUAGES = ["vi", "en"] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = "vi";
export const LANG_COOKIE = "kns_lang";

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

type Texts = Record<string, unknown>;
/** Every text a translator knows, by language: the shared texts, then groups added by pages. */
const resources: Record<Lang, Texts> = { vi: { ...vi }, en: { ...en } };
const translators = new Map<Lang, TFunction>();

/**
 * Adds a group of texts that only some pages use (the trainer area's, under `author`), so that
 * other pages' scripts do not carry them. Modules that name such keys import the group's module,
 * which calls this once when it loads.
 */
export function provideTexts(group: string, texts: Record<Lang, Texts>) {
  for (const lang of LANGUAGES) resources[lang][group] = texts[lang];
  // Translators made before this know nothing of the group (and may have kept a missing key).
  translators.clear();
}

/**
 * Translates a key, e.g. `t("lesson.lessonOf", { n: 2, total: 5 })` → "Bài 2/5". Values fill
 * `{{name}}` placeholders (`{{name, number}}` formats a number for the language); a missing value
 * leaves its placeholder. A key missing in the language falls back to Vietnamese, then to
 * `defaultValue`, then to the key itself.
 */
export type TFunction = (key: string, values?: Record<string, unknown>) => string;

const PLACEHOLDER = /{{\s*(\w+)\s*(?:,\s*(\w+)\s*)?}}/g;
/** Keys are written in code, but some are built from stored values: the cache is bounded. */
const MAX_KEPT_TEMPLATES = 10_000;

function lookup(texts: Texts, key: string): string | undefined {
  let node: unknown = texts;
  for (const part of key.split(".")) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Texts)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** A translator for one language; made once per language and reused. */
export function getT(lang: Lang): TFunction {
  let t = translators.get(lang);
  if (!t) {
    const { number } = formattersFor(lang);
    const templates = new BoundedCache<string, string | null>({ maxEntries: MAX_KEPT_TEMPLATES });
    const template = (key: string): string | null => {
      let found = templates.get(key);
      if (found === undefined) {
        found = lookup(resources[lang], key) ?? lookup(resources[DEFAULT_LANG], key) ?? null;
        templates.set(key, found);
      }
      return found;
    };
    t = (key, values) => {
      const text = template(key) ?? (typeof values?.defaultValue === "string" ? values.defaultValue : key);
      if (!values || !text.includes("{{")) return text;
      // React escapes what it renders; nothing is escaped here.
      return text.replace(PLACEHOLDER, (placeholder, name: string, format: string | undefined) => {
        const value = values[name];
        if (value === undefined || value === null) return placeholder;
        return format === "number" && typeof value === "number" ? number(value) : String(value);
      });
    };
    translators.set(lang, t);
  }
  return t;
}

/**
 * Text decided on the server and shown later in the reader's language: a translation key and
 * its values. A value may itself be a Message, translated first (a detail inside a sentence).
 */
export type Message = { key: string; params?: Record<string, string | number | Message> };

export function translate(t: TFunction, message: Message): string {
  const values: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.params ?? {})) values[name] = typeof value === "object" ? translate(t, value) : value;
  return t(message.key, values);
}

/**
 * The language chosen with the switch (a cookie), else Vietnamese. The browser's
 * Accept-Language is ignored on purpose: many officials use English-language browsers.
 */
export function langFromRequest(request: Request): Lang {
  const cookie = request.headers.get("Cookie") ?? "";
  const match = cookie.match(new RegExp(`(?:^|;\\s*)${LANG_COOKIE}=(vi|en)`));
  return match && isLang(match[1]) ? match[1] : DEFAULT_LANG;
}

export const LangContext = createContext<Lang>(DEFAULT_LANG);

export function useLang(): Lang {
  return useContext(LangContext);
}

export function useT(): TFunction {
  return getT(useLang());
}

export const INTL_LOCALE: Record<Lang, string> = { vi: "vi-VN", en: "en-GB" };

type Formatters = {
  date: (value: Date | string | number) => string;
  dateTime: (value: Date | string | number) => string;
  number: (value: number) => string;
  percent: (value: number) => string;
};

// Building an Intl formatter costs far more than using one: one set per language, made once.
const formattersByLang = new Map<Lang, Formatters>();

function formattersFor(lang: Lang): Formatters {
  let formatters = formattersByLang.get(lang);
  if (!formatters) {
    const locale = INTL_LOCALE[lang];
    const timeZone = "Asia/Ho_Chi_Minh";
    const date = new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric", timeZone });
    const dateTime = new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone });
    const number = new Intl.NumberFormat(locale);
    const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
    formatters = {
      date: (value) => date.format(new Date(value)),
      dateTime: (value) => dateTime.format(new Date(value)),
      number: (value) => number.format(value),
      percent: (value) => percent.format(value),
    };
    formattersByLang.set(lang, formatters);
  }
  return formatters;
}

/** Dates and numbers formatted by Intl for the current language (vi-VN by default). */
export function useFormat(): Formatters {
  return formattersFor(useLang());
}

/**
 * A page's <title> in the reader's language. Route `meta` functions run outside React, so they
 * read the language from the root loader's data.
 */
export function pageTitle(matches: readonly { id: string; data?: unknown }[], key: string, options: Record<string, unknown> = {}): { title: string }[] {
  const lang = (matches.find((m) => m.id === "root")?.data as { lang?: unknown } | undefined)?.lang;
  const t = getT(isLang(lang) ? lang : DEFAULT_LANG);
  return [{ title: `${t(key, options)} — Kỹ Năng Số` }];
}
