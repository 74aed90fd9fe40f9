// Reads the hours report's query string (unit, year) the same way for the page and its downloads.
import type { SessionUser } from "~/identity/auth.server";
import { hrUnit } from "~/hr/hr-scope.server";
import { currentYear, hoursReport, type HoursReport } from "~/hr/hours.server";
import { getT, type Lang } from "~/utils/i18n";

export async function hoursForRequest(user: SessionUser, url: URL, ip: string) {
  const unit = await hrUnit(user, "report.view", url.searchParams.get("unit"), ip);
  const now = currentYear();
  const raw = Number(url.searchParams.get("year"));
  const year = Number.isInteger(raw) && raw >= 2000 && raw <= now + 1 ? raw : now;
  return { unit, report: await hoursReport(unit, year) };
}

const hoursText = (minutes: number) => Math.round((minutes / 60) * 10) / 10;

/** Everyone of the report, one row each, for CSV and XLSX. */
export function hoursTable(report: HoursReport, lang: Lang) {
  const t = getT(lang);
  const headers = ["employeeCode", "fullName", "unitCode", "unit", "position", "online", "inPerson", "hours", "required", "met"].map((k) => t(`hours.columns.${k}`));
  const rows = report.people.map((p) => [
    p.employeeCode,
    p.fullName,
    p.unitCode,
    lang === "vi" ? p.unitVi : p.unitEn,
    p.position,
    hoursText(p.onlineMinutes),
    hoursText(p.inPersonMinutes),
    hoursText(p.minutes),
    p.required ?? "",
    p.required === null ? "" : p.met ? t("hours.yes") : t("hours.no"),
  ]);
  return { headers, rows };
}
