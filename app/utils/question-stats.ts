// Where a question's figures earn it a flag on the question statistics page (decision 029).
// The bands are Moodle's ("Quiz report statistics"): facility 11–20 is "difficult" and below
// that "very/extremely difficult", 90–94 "very easy" and 95–100 "extremely easy"; a negative
// discrimination index means "question probably invalid".

/** At or below this facility (percent right) a question is flagged as too hard. */
export const TOO_HARD_AT_MOST = 20;
/** At or above this facility a question is flagged as too easy (it may give its answer away). */
export const TOO_EASY_AT_LEAST = 90;

export const QUESTION_FLAGS = ["tooEasy", "tooHard", "negative"] as const;
export type QuestionFlag = (typeof QUESTION_FLAGS)[number];

export const ATTEMPT_SETS = ["all", "first"] as const;
