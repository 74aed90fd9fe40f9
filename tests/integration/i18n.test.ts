// Translations are kept per language once made (app/utils/i18n.ts): the kept text must always be
// what i18next itself gives for the same key and values, in the right language.
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
});
