// The trainer area's forms: what each accepts, and the values a trainer typed, read back so a
// refused form can be shown again as it was. Messages are translation keys.
import { z } from "zod";
import { MAX_LESSON_BYTES, questionSchema, type QuestionData } from "~/content/course-format.server";
import { checkbox, type FieldErrors } from "~/platform/forms.server";
import { MAX_CHOICES, RESERVED_COURSE_SLUGS } from "~/utils/authoring";
import { CATEGORIES, QUESTION_TYPES, REVIEW_POLICIES, SLUG, type Choice, type QuestionType } from "~/utils/course";
import "~/locales/author";

/** Browsers submit textarea line breaks as CRLF; lessons are stored with LF only. */
export function normaliseText(value: string): string {
  return value.replace(/\r\n?/g, "\n").normalize("NFC");
}

/** A whole number given as text, within [min, max]; the message key names the range. */
const wholeNumber = (min: number, max: number, key: string) =>
  z
    .string({ message: key })
    .trim()
    .regex(/^\d{1,6}$/, key)
    .transform(Number)
    .refine((n) => n >= min && n <= max, key);

/** A course's or lesson's address segment: lower case, checked, and not one of the reserved words. */
const slugField = (reserved: readonly string[], reservedMessage: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "author.errors.slugRequired")
    .max(80, "author.errors.slugTooLong")
    .regex(SLUG, "author.errors.slugFormat")
    .refine((s) => !reserved.includes(s), reservedMessage);
const titleField = z.string().trim().min(1, "author.errors.titleRequired").max(200, "author.errors.titleTooLong");

// ---------------------------------------------------------------------------------------
// Courses

export const createCourseForm = z.object({
  slug: slugField(RESERVED_COURSE_SLUGS, "author.errors.slugReserved"),
  title: titleField,
  category: z.enum(CATEGORIES, { message: "author.errors.category" }),
});

export const settingsForm = z.object({
  title: titleField,
  titleEn: z.string().trim().max(200, "author.errors.titleTooLong").default(""),
  summary: z.string().trim().max(600, "author.settings.errors.summary").default(""),
  summaryEn: z.string().trim().max(600, "author.settings.errors.summary").default(""),
  category: z.enum(CATEGORIES, { message: "author.errors.category" }),
  estimatedMinutes: wholeNumber(1, 10_000, "author.settings.errors.estimatedMinutes"),
  validityMonths: wholeNumber(0, 240, "author.settings.errors.validityMonths"),
  passingScore: wholeNumber(1, 100, "author.settings.errors.passingScore"),
  quizSize: wholeNumber(1, 100, "author.settings.errors.quizSize"),
  maxAttempts: wholeNumber(0, 100, "author.settings.errors.maxAttempts"),
  retryWaitMinutes: wholeNumber(0, 100_000, "author.settings.errors.retryWaitMinutes"),
  timeLimitMinutes: wholeNumber(0, 1_000, "author.settings.errors.timeLimitMinutes"),
  sequential: checkbox,
  selfEnroll: checkbox,
  reviewPolicy: z.enum(REVIEW_POLICIES, { message: "author.settings.errors.reviewPolicy" }),
  intro: z.string().max(MAX_LESSON_BYTES, "author.settings.errors.introTooLong").default(""),
});

// ---------------------------------------------------------------------------------------
// Lessons

const RESERVED_LESSON_SLUGS = ["quiz"]; // the quiz page's address

export const addLessonForm = z.object({
  slug: slugField(RESERVED_LESSON_SLUGS, "author.lessons.errors.slugReserved"),
  title: titleField,
});

export const lessonForm = z.object({
  title: z.string().trim().min(1, "author.errors.titleRequired").max(200, "author.errors.titleTooLong"),
  titleEn: z.string().trim().max(200, "author.errors.titleTooLong").default(""),
  minutes: wholeNumber(1, 600, "author.lesson.errors.minutes"),
  source: z.string().default(""),
});

export type LessonValues = { title: string; titleEn: string; minutes: string; source: string };

export function lessonValues(form: FormData): LessonValues {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  return { title: text("title"), titleEn: text("titleEn"), minutes: text("minutes"), source: normaliseText(text("source")) };
}

// ---------------------------------------------------------------------------------------
// Quiz bank

export type QuestionValues = {
  questionId: string;
  key: string;
  type: string;
  prompt: string;
  explanation: string;
  choices: { id: string; text: string; correct: boolean }[];
  /** A picture of the course's library shown with the prompt ("" for none), and its description. */
  image: string;
  imageAlt: string;
};

/** Rows read back from the form: the content format's most (an imported question may have more than the blank form shows). */
const CHOICE_ROWS = 8;

/** The question form as submitted, padded to MAX_CHOICES rows so it can be shown again. */
export function questionValues(form: FormData): QuestionValues {
  const text = (name: string, max = 3000) => {
    const v = form.get(name);
    return typeof v === "string" ? normaliseText(v).slice(0, max) : "";
  };
  const choices = Array.from({ length: Math.max(MAX_CHOICES, CHOICE_ROWS) }, (_, i) => ({
    id: text(`choice${i}Id`, 20).trim(),
    text: text(`choice${i}Text`, 1000),
    correct: form.get(`choice${i}Correct`) === "on",
  }));
  return {
    questionId: text("questionId", 12).trim(),
    key: text("key", 40).trim(),
    type: text("type", 20).trim(),
    prompt: text("prompt"),
    explanation: text("explanation"),
    choices,
    image: text("image", 100).trim(),
    imageAlt: text("imageAlt", 400).trim(),
  };
}

/**
 * The question the form describes, checked by the content format's rules (questionSchema), or
 * what is wrong with it in terms a trainer can act on.
 */
export function parseQuestion(values: QuestionValues): { ok: true; question: QuestionData } | { ok: false; errors: FieldErrors; problems: string[] } {
  const candidate = {
    id: values.key,
    type: (QUESTION_TYPES as readonly string[]).includes(values.type) ? (values.type as QuestionType) : values.type,
    prompt: values.prompt.trim(),
    choices: choicesFrom(values),
    explanation: values.explanation.trim(),
  };
  const parsed = questionSchema.safeParse(candidate);
  if (!parsed.success) return { ok: false, ...questionErrors(candidate, parsed.error.issues) };
  return { ok: true, question: parsed.data as QuestionData };
}

/**
 * Turns the form's rows into choices. Blank rows are skipped. A true/false question's two rows
 * are "true" and "false" in that order; other rows keep the id they had, or get the next letter.
 */
function choicesFrom(values: QuestionValues): Choice[] {
  const rows = values.choices.filter((c) => c.text.trim() !== "" || c.correct);
  const used = new Set<string>();
  const letters = "abcdefghijklmnopqrstuvwxyz".split("");
  return rows.map((row, i) => {
    let id = values.type === "truefalse" ? (["true", "false"][i] ?? "") : /^[A-Za-z0-9_-]{1,20}$/.test(row.id) ? row.id : "";
    if (!id || used.has(id)) id = letters.find((l) => !used.has(l)) ?? `c${i}`;
    used.add(id);
    return { id, text: row.text.trim(), correct: row.correct };
  });
}

/** Maps the content format's question rules to messages a trainer can act on. */
function questionErrors(candidate: { id: string; type: string; choices: Choice[] }, issues: z.ZodIssue[]): { errors: FieldErrors; problems: string[] } {
  const errors: FieldErrors = {};
  const problems = new Set<string>();
  const FIELD_KEYS: Record<string, string> = {
    id: "author.quiz.errors.key",
    type: "author.quiz.errors.type",
    prompt: "author.quiz.errors.prompt",
    explanation: "author.quiz.errors.explanation",
  };
  let custom = false;
  for (const issue of issues) {
    const [first, , leaf] = issue.path;
    if (issue.code === "custom" && issue.path.length === 0) custom = true;
    else if (typeof first === "string" && FIELD_KEYS[first]) errors[first === "id" ? "key" : first] ??= FIELD_KEYS[first];
    else if (first === "choices" && leaf === "text") problems.add("author.quiz.errors.choiceText");
    else if (first === "choices") problems.add(candidate.choices.length < 2 ? "author.quiz.errors.tooFewChoices" : "author.quiz.errors.tooManyChoices");
    else problems.add("author.errors.invalid");
  }
  if (custom) {
    // The same rules as questionSchema, each with its own explanation.
    const correct = candidate.choices.filter((c) => c.correct).length;
    const ids = candidate.choices.map((c) => c.id);
    if (new Set(ids).size !== ids.length) problems.add("author.quiz.errors.duplicateChoice");
    if (correct === 0) problems.add("author.quiz.errors.noCorrect");
    else if (candidate.type === "multiple" && correct < 2) problems.add("author.quiz.errors.multipleNeedsTwo");
    else if (candidate.type !== "multiple" && correct > 1) problems.add("author.quiz.errors.oneCorrect");
    if (candidate.type === "truefalse" && (ids.length !== 2 || !ids.includes("true") || !ids.includes("false"))) problems.add("author.quiz.errors.trueFalseShape");
    if (problems.size === 0) problems.add("author.errors.invalid");
  }
  return { errors, problems: [...problems] };
}
