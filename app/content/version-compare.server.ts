// Compares two states of a course (two versions, or a version and the draft): settings, lessons
// and questions. Lessons are matched by their id (stable across versions), questions by key.
// Bodies are compared line by line on their MDX source; a version published before sources
// were kept compares by the text of its HTML, and so does the other side then.
import { diffArrays } from "diff";
import { VERSIONED_SETTINGS } from "~/content/content-sync.server";

export type ComparableLesson = { id: number; slug: string; title: string; titleEn: string; minutes: number; sourceHash: string; source: string | null; html: string };
export type ComparableQuestion = { key: string; type: string; prompt: string; choices: string; explanation: string; image?: string | null };
export type Comparable = Record<(typeof VERSIONED_SETTINGS)[number], string | number | boolean> & {
  intro: string | null;
  introHtml: string;
  lessons: ComparableLesson[]; // in order
  questions: ComparableQuestion[];
};

/** A line diff: unchanged runs longer than the context are folded into a count. */
export type DiffLine = { kind: "same" | "added" | "removed"; text: string } | { kind: "skipped"; count: number };
export type TextDiff = { byText: boolean; lines: DiffLine[] };

export type SettingChange = { field: string; before: string | number | boolean; after: string | number | boolean };
export type LessonChange =
  | { change: "added" | "removed"; id: number; title: string }
  | { change: "changed"; id: number; title: string; moved: boolean; fields: SettingChange[]; body: TextDiff | null }
  | { change: "moved"; id: number; title: string; from: number; to: number };
type Choice = { id: string; text: string; correct: boolean };
export type QuestionChange =
  | { change: "added" | "removed"; key: string; prompt: string }
  | {
      change: "changed";
      key: string;
      prompt: string;
      type: { before: string; after: string } | null;
      promptBefore: string | null;
      choices: { kind: "same" | "added" | "removed"; text: string; correct: boolean }[] | null;
      explanation: { before: string; after: string } | null;
      /** The picture's file name in the course's library ("" for none). */
      image: { before: string; after: string } | null;
    };

export type Comparison = { settings: SettingChange[]; intro: TextDiff | null; lessons: LessonChange[]; questions: QuestionChange[]; unchanged: boolean };

const CONTEXT = 2;

/** The readable text of rendered lesson HTML, one block per line. */
export function textOfHtml(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<img\b[^>]*\balt="([^"]*)"[^>]*>/gi, "[$1]")
    .replace(/<\/(p|h[1-6]|li|tr|div|pre|blockquote|figcaption|table|ul|ol)>|<br\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .join("\n");
}

/** Lines added and removed between two texts, with a little unchanged context around each change. */
export function lineDiff(before: string, after: string): DiffLine[] {
  // A final newline ends the last line; it does not start an empty one.
  const toLines = (text: string) => (text === "" ? [] : text.replace(/\r?\n$/, "").split(/\r?\n/));
  const parts = diffArrays(toLines(before), toLines(after));
  const lines: DiffLine[] = [];
  parts.forEach((part, i) => {
    if (part.added || part.removed) {
      for (const text of part.value) lines.push({ kind: part.added ? "added" : "removed", text });
      return;
    }
    const value = part.value;
    const head = i === 0 ? 0 : CONTEXT; // context after the previous change
    const tail = i === parts.length - 1 ? 0 : CONTEXT; // context before the next change
    if (value.length <= head + tail + 1) {
      for (const text of value) lines.push({ kind: "same", text });
      return;
    }
    for (const text of value.slice(0, head)) lines.push({ kind: "same", text });
    lines.push({ kind: "skipped", count: value.length - head - tail });
    for (const text of value.slice(value.length - tail)) lines.push({ kind: "same", text });
  });
  return lines;
}

/** The text a side shows: its rendered HTML's text, or its source when not rendered yet (the draft's introduction). */
const shownText = (side: { source: string | null; html: string }) => (side.html ? textOfHtml(side.html) : (side.source ?? ""));

function bodyDiff(a: { source: string | null; html: string }, b: { source: string | null; html: string }): TextDiff {
  if (a.source !== null && b.source !== null) return { byText: false, lines: lineDiff(a.source, b.source) };
  return { byText: true, lines: lineDiff(shownText(a), shownText(b)) };
}

function parseChoices(json: string): Choice[] {
  try {
    const value = JSON.parse(json) as Choice[];
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}

export function compareCourses(a: Comparable, b: Comparable): Comparison {
  const settings: SettingChange[] = VERSIONED_SETTINGS.filter((k) => a[k] !== b[k]).map((k) => ({ field: k, before: a[k], after: b[k] }));
  const introA = { source: a.intro, html: a.introHtml };
  const introB = { source: b.intro, html: b.introHtml };
  const introChanged = a.intro !== null && b.intro !== null ? a.intro !== b.intro : shownText(introA) !== shownText(introB);
  const intro = introChanged ? bodyDiff(introA, introB) : null;

  // Moved: lessons on both sides whose relative order changed (outside the longest common order).
  const commonA = a.lessons.filter((l) => b.lessons.some((m) => m.id === l.id)).map((l) => l.id);
  const commonB = b.lessons.filter((l) => a.lessons.some((m) => m.id === l.id)).map((l) => l.id);
  const moved = new Set(diffArrays(commonA, commonB).filter((p) => p.added).flatMap((p) => p.value));

  const lessons: LessonChange[] = [];
  for (const [index, l] of b.lessons.entries()) {
    const old = a.lessons.find((o) => o.id === l.id);
    if (!old) {
      lessons.push({ change: "added", id: l.id, title: l.title });
      continue;
    }
    const fields: SettingChange[] = (["slug", "title", "titleEn", "minutes"] as const).filter((k) => old[k] !== l[k]).map((k) => ({ field: k, before: old[k], after: l[k] }));
    const body = old.sourceHash !== l.sourceHash ? bodyDiff(old, l) : null;
    if (fields.length || body) lessons.push({ change: "changed", id: l.id, title: l.title, moved: moved.has(l.id), fields, body });
    else if (moved.has(l.id)) lessons.push({ change: "moved", id: l.id, title: l.title, from: a.lessons.indexOf(old) + 1, to: index + 1 });
  }
  for (const old of a.lessons) if (!b.lessons.some((l) => l.id === old.id)) lessons.push({ change: "removed", id: old.id, title: old.title });

  const questions: QuestionChange[] = [];
  for (const q of b.questions) {
    const old = a.questions.find((o) => o.key === q.key);
    if (!old) {
      questions.push({ change: "added", key: q.key, prompt: q.prompt });
      continue;
    }
    const [oldImage, newImage] = [old.image ?? "", q.image ?? ""];
    if (old.type === q.type && old.prompt === q.prompt && old.choices === q.choices && old.explanation === q.explanation && oldImage === newImage) continue;
    let choices: Extract<QuestionChange, { change: "changed" }>["choices"] = null;
    if (old.choices !== q.choices) {
      // A choice is the same when its text and whether it is right are both the same.
      const label = (c: Choice) => `${c.correct ? "1" : "0"}${c.text}`;
      choices = diffArrays(parseChoices(old.choices).map(label), parseChoices(q.choices).map(label)).flatMap((p) =>
        p.value.map((v) => ({ kind: p.added ? ("added" as const) : p.removed ? ("removed" as const) : ("same" as const), text: v.slice(1), correct: v[0] === "1" })),
      );
      if (!choices.some((c) => c.kind !== "same")) choices = null; // only choice ids changed
    }
    questions.push({
      change: "changed",
      key: q.key,
      prompt: q.prompt,
      type: old.type !== q.type ? { before: old.type, after: q.type } : null,
      promptBefore: old.prompt !== q.prompt ? old.prompt : null,
      choices,
      explanation: old.explanation !== q.explanation ? { before: old.explanation, after: q.explanation } : null,
      image: oldImage !== newImage ? { before: oldImage, after: newImage } : null,
    });
  }
  for (const old of a.questions) if (!b.questions.some((q) => q.key === old.key)) questions.push({ change: "removed", key: old.key, prompt: old.prompt });

  return { settings, intro, lessons, questions, unchanged: !settings.length && !intro && !lessons.length && !questions.length };
}
