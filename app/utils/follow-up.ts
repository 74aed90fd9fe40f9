// The follow-up list's statuses and orders, shared by the server and the page.
export const PROGRESS_STATUSES = ["overdue", "failed", "not-started", "in-progress", "done", "exempt"] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];
export const PROGRESS_SORTS = ["status", "name", "unit", "due", "progress"] as const;
export type ProgressSort = (typeof PROGRESS_SORTS)[number];
/** What became of an attendee of an in-person class or external course. */
export const CLASS_RESULTS = ["completed", "failed", "absent"] as const;
export type ClassResult = (typeof CLASS_RESULTS)[number];
