// Course vocabulary shared by server and browser code.
export const CATEGORIES = ["egov", "security", "payment", "other"] as const;
export type Category = (typeof CATEGORIES)[number];
export const QUESTION_TYPES = ["single", "multiple", "truefalse"] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
/**
 * What a learner sees after a quiz: "guarded" (the default) marks wrong questions with their
 * explanations but keeps the right choices until the learner passes or has no attempt left, so
 * failing on purpose does not reveal the bank; "explain" shows everything at once; "score" the score only.
 */
export const REVIEW_POLICIES = ["guarded", "explain", "score"] as const;
export const DEFAULT_REVIEW_POLICY = "guarded";
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export type Choice = { id: string; text: string; correct: boolean };
