// Course vocabulary shared by server and browser code.
export const CATEGORIES = ["egov", "security", "payment", "other"] as const;
export type Category = (typeof CATEGORIES)[number];
export const QUESTION_TYPES = ["single", "multiple", "truefalse"] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
export const REVIEW_POLICIES = ["score", "explain"] as const;
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export type Choice = { id: string; text: string; correct: boolean };
