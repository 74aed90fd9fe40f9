// The translator (app/utils/i18n.ts): keys, values, fallbacks, and the texts groups.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { vi } from "~/locales/vi";
import { getT, provideTexts, translate } from "~/utils/i18n";

describe("translations", () => {
  it("fill values into the right language's text, call after call", () => {
    for (let round = 0; round < 3; round++) {
      expect(getT("vi")("lesson.lessonOf", { n: 2, total: 5 })).toBe("Bài 2/5");
      expect(getT("vi")("lesson.lessonOf", { n: 3, total: 5 })).toBe("Bài 3/5");
      expect(getT("en")("lesson.lessonOf", { n: 2, total: 5 })).toBe("Lesson 2 of 5");
      expect(getT("vi")("me.greeting", { name: "Nguyễn Thị Hòa" })).toBe("Xin chào, Nguyễn Thị Hòa");
      expect(getT("vi")("me.greeting", { name: "Lê Văn An" })).toBe("Xin chào, Lê Văn An");
      expect(getT("vi")("lesson.lockedTitle")).toBe("Bài học chưa mở");
    }
    // Values are text, never markup to interpret or placeholders to fill again.
    expect(getT("vi")("me.greeting", { name: "<b>{{name}}</b>" })).toBe("Xin chào, <b>{{name}}</b>");
  });

  it("format numbers for the language, keep a placeholder without a value, and fall back", () => {
    provideTexts("sample", {
      vi: { lines: "{{lines, number}} dòng", only: "Chỉ có tiếng Việt", pair: "{{a}} và {{b}}" },
      en: { lines: "{{lines, number}} lines", pair: "{{a}} and {{b}}" },
    });
    expect(getT("vi")("sample.lines", { lines: 12345 })).toBe("12.345 dòng");
    expect(getT("en")("sample.lines", { lines: 12345 })).toBe("12,345 lines");
    expect(getT("en")("sample.pair", { a: 1 })).toBe("1 and {{b}}");
    expect(getT("en")("sample.pair", { a: 0, b: "x" })).toBe("0 and x");
    expect(getT("en")("sample.only")).toBe("Chỉ có tiếng Việt");
    expect(getT("en")("sample.missing")).toBe("sample.missing");
    expect(getT("en")("sample.missing", { defaultValue: "draft" })).toBe("draft");
    // A key naming a group rather than a text is not a text.
    expect(getT("vi")("sample")).toBe("sample");
  });

  it("translate nested messages each time, in the reader's language", () => {
    const message = { key: "lesson.lessonOf", params: { n: 1, total: 4 } };
    expect(translate(getT("vi"), message)).toBe("Bài 1/4");
    expect(translate(getT("en"), message)).toBe("Lesson 1 of 4");
  });

  it("keep the trainer area's texts in their own group, loaded by every module that names them", async () => {
    const t = getT;
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
