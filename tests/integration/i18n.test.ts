// Translations are kept per language once made (app/utils/i18n.ts): the kept text must always be
// what i18next itself gives for the same key and values, in the right language.
import fs from "node:fs";
import path from "node:path";
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { en } from "~/locales/en";
import { vi } from "~/locales/vi";
import { getT, translate } from "~/utils/i18n";

const reference = (lng: "vi" | "en") => {
  const instance = i18next.createInstance();
  void instance.init({ lng, fallbackLng: "vi", resources: { vi: { translation: vi }, en: { translation: en } }, interpolation: { escapeValue: false }, initAsync: false, showSupportNotice: false });
  return instance.t.bind(instance) as unknown as (key: string, options?: Record<string, unknown>) => string;
};

describe("translations", () => {
  it("give the same text as i18next, call after call, for bare keys and plain values", () => {
    for (const lng of ["vi", "en"] as const) {
      const t = getT(lng) as unknown as (key: string, options?: Record<string, unknown>) => string;
      const direct = reference(lng);
      for (let round = 0; round < 3; round++) {
        expect(t("lesson.lessonOf", { n: 2, total: 5 })).toBe(direct("lesson.lessonOf", { n: 2, total: 5 }));
        expect(t("lesson.lessonOf", { n: 3, total: 5 })).toBe(direct("lesson.lessonOf", { n: 3, total: 5 }));
        expect(t("me.greeting", { name: "Nguyễn Thị Hoà" })).toBe(direct("me.greeting", { name: "Nguyễn Thị Hoà" }));
        expect(t("me.greeting", { name: "Lê Văn An" })).toBe(direct("me.greeting", { name: "Lê Văn An" }));
        expect(t("lesson.lockedTitle")).toBe(direct("lesson.lockedTitle"));
      }
    }
    expect((getT("vi") as unknown as (k: string, o: object) => string)("me.greeting", { name: "Lê Văn An" })).toBe("Xin chào, Lê Văn An");
    expect((getT("vi") as unknown as (k: string) => string)("lesson.lockedTitle")).toBe("Bài học chưa mở");
    expect((getT("vi") as unknown as (k: string, o: object) => string)("lesson.lessonOf", { n: 2, total: 5 })).toBe("Bài 2/5");
    expect((getT("en") as unknown as (k: string, o: object) => string)("lesson.lessonOf", { n: 2, total: 5 })).toBe("Lesson 2 of 5");
  });

  it("translate nested messages each time, in the reader's language", () => {
    const message = { key: "lesson.lessonOf", params: { n: 1, total: 4 } };
    expect(translate(getT("vi"), message)).toBe("Bài 1/4");
    expect(translate(getT("en"), message)).toBe("Lesson 1 of 4");
  });

  it("keep the trainer area's texts in their own group, loaded by every module that names them", async () => {
    const t = (lang: "vi" | "en") => getT(lang) as unknown as (key: string) => string;
    const files = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [path.join(dir, e.name)] : []));
    const naming = files("app").filter((f) => !f.startsWith(path.join("app", "locales")) && /["'`]author\.[a-zA-Z]/.test(fs.readFileSync(f, "utf8")));
    expect(naming.length).toBeGreaterThan(5);
    const missing = naming.filter((f) => !fs.readFileSync(f, "utf8").includes('import "~/locales/author";'));
    expect(missing).toEqual([]);
    // Not part of the shared texts every page downloads; there once the group is loaded, in both languages.
    expect("author" in vi).toBe(false);
    await import("~/locales/author");
    expect(t("vi")("author.guideLink")).toBe("Hướng dẫn soạn bài");
    expect(t("en")("author.title")).toBe("Authoring");
    expect(t("vi")("lesson.lockedTitle")).toBe("Bài học chưa mở");
  });
});
