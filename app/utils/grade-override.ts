/** Bounds of the reason HR must give when correcting a quiz score (form and server alike). */
export const OVERRIDE_REASON_MIN = 10;
export const OVERRIDE_REASON_MAX = 500;
