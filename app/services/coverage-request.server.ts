// Reads the report's query string (unit, course, category, period) the same way for the page
// and for its CSV/XLSX downloads, so both always show the same rows.
import type { SessionUser } from "./auth.server";
import { coverageByOrgUnit, type Coverage, type CoverageRow } from "./coverage.server";
import { hrUnit } from "./hr-scope.server";
import { MAX_ID } from "./request.server";
import { CATEGORIES, type Category } from "~/utils/course";
import { COVERAGE_COLUMNS } from "~/utils/coverage";
import { getT, type Lang } from "~/utils/i18n";

export function parseDay(value: string | null): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const d = new Date(`${value}T00:00:00+07:00`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export async function coverageForRequest(user: SessionUser, url: URL, ip: string) {
  const unit = await hrUnit(user, "report.view", url.searchParams.get("unit"), ip);
  const rawCourse = Number(url.searchParams.get("course"));
  const rawCategory = url.searchParams.get("category") ?? "";
  const to = parseDay(url.searchParams.get("to"));
  const filters = {
    courseId: Number.isInteger(rawCourse) && rawCourse > 0 && rawCourse <= MAX_ID ? rawCourse : null,
    category: (CATEGORIES as readonly string[]).includes(rawCategory) ? (rawCategory as Category) : null,
    from: parseDay(url.searchParams.get("from")),
    // The end date is inclusive.
    to: to ? new Date(to.getTime() + 86_400_000) : null,
  };
  return { unit, report: await coverageByOrgUnit(unit, filters) };
}


export function coverageTable(report: Coverage, lang: Lang) {
  const t = getT(lang);
  const direct = report.rows.length > 1 && report.rows[0].code === report.unit.code;
  const name = (r: CoverageRow, i: number) => {
    const base = lang === "vi" ? r.nameVi : r.nameEn;
    return direct && i === 0 ? t("hr.directStaff", { name: base }) : base;
  };
  const headers = [t("admin.unitCode"), t("hr.unit"), ...COVERAGE_COLUMNS.map((c) => t(`hr.${c}`))];
  const line = (r: CoverageRow, label: string) => [r.code, label, r.staff, r.headcount, r.vacancies, r.enrolled, r.completed, Math.round(r.completionRate * 1000) / 10, r.overdue, r.validCertificates];
  return { headers, rows: [...report.rows.map((r, i) => line(r, name(r, i))), line(report.total, t("hr.total"))] };
}
