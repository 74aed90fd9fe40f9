// Recording in-person classes and external courses: HR (or a trainer, for their own units) creates
// a class for a unit in their scope, then records attendees (typed employee codes, or a file with
// the roster's rules) and results. Attendees must be people HR manages; a list with any unknown
// or out-of-scope person records nothing and says which lines are wrong. A completed class
// satisfies the assignments that accept classes (class-credit.data.server.ts).
import type { SessionUser } from "~/identity/auth.server";
import { scopePaths } from "~/identity/authorize.server";
import { classById, recordAttendance, removeAttendance, staffByCodes } from "~/hr/classes.data.server";
import { refreshClassCredit } from "~/hr/class-credit.data.server";
import type { Table } from "~/hr/spreadsheet.server";
import { cellReader, foldHeader, matchColumns } from "~/hr/table-columns.server";
import { audit } from "~/platform/audit.server";
import { notFound } from "~/platform/request.server";
import type { ClassResult } from "~/utils/follow-up";

/** Attendee file headers, folded: the employee code, and optionally the result. */
export const ATTENDEE_HEADERS = new Map<string, "employeeCode" | "result">([
  ["ma can bo", "employeeCode"],
  ["employee code", "employeeCode"],
  ["ket qua", "result"],
  ["result", "result"],
]);

/** A result as offices write it: "hoàn thành"/"đạt", "không đạt", "vắng"; empty means completed. */
export function resultOf(text: string): ClassResult | null {
  const v = foldHeader(text);
  if (!v || ["hoan thanh", "dat", "completed", "passed"].includes(v)) return "completed";
  if (["khong dat", "chua dat", "failed"].includes(v)) return "failed";
  if (["vang", "vang mat", "absent"].includes(v)) return "absent";
  return null;
}

/** Where the user records classes: their HR or administrator scope, and their own trainer units. */
export function classScopePaths(user: SessionUser): string[] {
  return [...new Set([...scopePaths(user, "staff.manage"), ...user.roles.filter((r) => r.role === "trainer").map((r) => r.path)])];
}
export const mayRecordClassesIn = (user: SessionUser, unit: { path: string }) => classScopePaths(user).some((p) => unit.path.startsWith(p));

/**
 * Refuses (403, audited) someone who records classes nowhere, and (404, audited) a unit outside
 * where they do.
 */
export async function requireClassRecorder(user: SessionUser, unit: { id: number; path: string } | null, ip: string): Promise<void> {
  const allowed = unit ? mayRecordClassesIn(user, unit) : classScopePaths(user).length > 0;
  if (allowed) return;
  const status = classScopePaths(user).length ? 404 : 403;
  await audit({ action: "access.denied", outcome: "denied", actorId: user.id, orgUnitId: unit?.id ?? null, ip, detail: { capability: "class.record", status } });
  throw new Response(status === 404 ? "Not Found" : "Forbidden", { status });
}

/** The class, when the user may record classes of its organising unit; 404 (audited) otherwise. */
export async function classForUser(user: SessionUser, id: number, ip: string) {
  await requireClassRecorder(user, null, ip);
  const found = await classById(id);
  if (!found) throw notFound();
  await requireClassRecorder(user, found.orgUnit, ip);
  return found;
}

export type AttendeeLine = { line: number; code: string; result: string };
export type AttendeeError = { line: number; code: string; reason: "unknown" | "outOfScope" | "self" | "result" | "duplicate" };

/** "Mã cán bộ" per line, optionally followed by a result after a comma, semicolon or tab. */
export function linesFromText(text: string): AttendeeLine[] {
  return text
    .split(/\r?\n/)
    .map((raw, i) => ({ raw: raw.trim(), line: i + 1 }))
    .filter((l) => l.raw)
    .slice(0, 5_000)
    .map(({ raw, line }) => {
      const [code, result = ""] = raw.split(/[,;\t]/).map((s) => s.trim());
      return { line, code, result };
    });
}

export function linesFromTable(table: Table): AttendeeLine[] | null {
  const { columns } = matchColumns(table.headers, ATTENDEE_HEADERS);
  if (!columns.has("employeeCode")) return null;
  const get = cellReader(columns);
  return table.rows
    .map((cells, i) => ({ line: table.firstRow + i, code: get(cells, "employeeCode"), result: get(cells, "result") }))
    .filter((l) => l.code);
}

export async function addAttendees(user: SessionUser, cls: { id: number; orgUnit: { id: number } }, lines: AttendeeLine[], ip: string) {
  const people = new Map((await staffByCodes([...new Set(lines.map((l) => l.code))])).map((p) => [p.employeeCode!, p]));
  const errors: AttendeeError[] = [];
  const seen = new Set<string>();
  const entries: { userId: number; result: string }[] = [];
  for (const l of lines) {
    const person = people.get(l.code);
    const result = resultOf(l.result);
    if (!person) errors.push({ line: l.line, code: l.code, reason: "unknown" });
    else if (!mayRecordClassesIn(user, person.orgUnit)) errors.push({ line: l.line, code: l.code, reason: "outOfScope" });
    // Nobody records their own training: a result would complete their own assignments.
    else if (person.id === user.id) errors.push({ line: l.line, code: l.code, reason: "self" });
    else if (!result) errors.push({ line: l.line, code: l.code, reason: "result" });
    else if (seen.has(l.code)) errors.push({ line: l.line, code: l.code, reason: "duplicate" });
    else entries.push({ userId: person.id, result });
    seen.add(l.code);
  }
  if (errors.length || !entries.length) return { recorded: 0, errors };
  const recorded = await recordAttendance(cls.id, entries);
  await refreshClassCredit({ userIds: entries.map((e) => e.userId) });
  await audit({ action: "class.attendance", actorId: user.id, orgUnitId: cls.orgUnit.id, targetType: "class", targetId: cls.id, ip, detail: { recorded } });
  return { recorded, errors };
}

/** Takes one attendee off a class (what they were credited with by it is reconsidered); audited. */
export async function removeAttendee(user: SessionUser, cls: { id: number; orgUnit: { id: number } }, attendanceId: number | null, ip: string) {
  const userId = attendanceId ? await removeAttendance(cls.id, attendanceId) : null;
  if (userId !== null) await refreshClassCredit({ userIds: [userId] });
  await audit({ action: "class.attendance_remove", actorId: user.id, orgUnitId: cls.orgUnit.id, targetType: "class", targetId: cls.id, ip });
}
