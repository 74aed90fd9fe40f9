// Calendar days as people in Viet Nam read them. The country keeps UTC+7 all year (no daylight
// saving), so local calendar arithmetic is a fixed shift from UTC: no time-zone database needed,
// and the same on the server and in the browser.
export const VIETNAM_OFFSET_MS = 7 * 3600_000;
export const DAY_MS = 86_400_000;

const twoDigits = (n: number) => String(n).padStart(2, "0");
const local = (date: Date) => new Date(date.getTime() + VIETNAM_OFFSET_MS);

/** `date` plus whole calendar months in Vietnamese time; 31 January + 1 month is 28/29 February. */
export function addMonths(date: Date, months: number): Date {
  const shifted = local(date);
  const y = shifted.getUTCFullYear();
  const m = shifted.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  shifted.setUTCFullYear(y, m, Math.min(shifted.getUTCDate(), lastDay));
  return new Date(shifted.getTime() - VIETNAM_OFFSET_MS);
}

/** dd/mm/yyyy in Vietnamese time, with the full year (on a certificate the year must be unambiguous). */
export function formatDate(date: Date): string {
  const d = local(date);
  return `${twoDigits(d.getUTCDate())}/${twoDigits(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

/** hh:mm (24-hour) in Vietnamese time, as both languages of the app write a time of day. */
export function formatTime(date: Date): string {
  const d = local(date);
  return `${twoDigits(d.getUTCHours())}:${twoDigits(d.getUTCMinutes())}`;
}

/** A calendar day given as numbers, or null when no such day exists (31/02, month 13). */
function calendarDay(y: number, month: number, d: number): Date | null {
  const utc = new Date(Date.UTC(y, month - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== d) return null;
  return utc;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The first instant of a yyyy-mm-dd day in Viet Nam, or null when it is not a real day. */
export function dayStart(value: string): Date | null {
  const m = ISO_DAY.exec(value);
  const day = m ? calendarDay(Number(m[1]), Number(m[2]), Number(m[3])) : null;
  return day ? new Date(day.getTime() - VIETNAM_OFFSET_MS) : null;
}

/** The last second of a yyyy-mm-dd day in Viet Nam (a due date "on" that day), or null. */
export function dayEnd(value: string): Date | null {
  const start = dayStart(value);
  return start ? new Date(start.getTime() + DAY_MS - 1000) : null;
}

export type Period = { from: Date | null; to: Date | null; error: "periodInvalid" | null };

/** An inclusive day range from a form (either end may be empty) as [from, to) instants. */
export function parsePeriod(fromInput: string, toInput: string): Period {
  const from = fromInput ? dayStart(fromInput) : null;
  const toDay = toInput ? dayStart(toInput) : null;
  const to = toDay ? new Date(toDay.getTime() + DAY_MS) : null;
  if ((fromInput && !from) || (toInput && !toDay) || (from && to && to <= from)) return { from: null, to: null, error: "periodInvalid" };
  return { from, to, error: null };
}

/**
 * A calendar date without a time of day (a birth date) written dd/mm/yyyy or yyyy-mm-dd, as
 * midnight UTC of that date; null when empty, "invalid" when it is no real date or before 1900.
 */
export function parseCalendarDate(value: string): Date | null | "invalid" {
  if (!value) return null;
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
  let day: Date | null = null;
  if (m) day = calendarDay(Number(m[3]), Number(m[2]), Number(m[1]));
  else if ((m = ISO_DAY.exec(value))) day = calendarDay(Number(m[1]), Number(m[2]), Number(m[3]));
  return day && day.getUTCFullYear() >= 1900 ? day : "invalid";
}
