// Reads the report's query string (unit, course, category, period) the same way for the page
// and for its CSV/XLSX downloads, so both always show the same rows.
import type { SessionUser } from "~/identity/auth.server";
import { limitConcurrency } from "~/platform/concurrency.server";
import { statementsOnEventLoop } from "~/hr/coverage.data.server";
import type { CategoryRow, Coverage, CoverageRow } from "~/hr/coverage.server";
import { createCoverageSnapshots, type CoverageSnapshots } from "~/hr/coverage-snapshots.server";
import { hrUnit } from "~/hr/hr-scope.server";
import { MAX_ID } from "~/platform/request.server";
import { CATEGORIES, type Category } from "~/utils/course";
import { CATEGORY_COLUMNS, COVERAGE_COLUMNS } from "~/utils/coverage";
import { getT, type Lang } from "~/utils/i18n";
import { formatDate, formatTime, parsePeriod } from "~/utils/vietnam-time";

/**
 * Reports being computed, the rest queued in arrival order (limitConcurrency says why the queue
 * also frees the event loop between two). A report is about 80 ms of aggregate scans for a
 * province of 40,000 staff; on SQLite its statements run on the event loop, so one at a time,
 * while PostgreSQL runs several on its own cores. Before the queue, fifty HR officers asking at
 * once waited anywhere from 2 to 17 s.
 */
export const reportTurn = limitConcurrency(statementsOnEventLoop ? 1 : 4);

/** This process's snapshots of large reports; every computation waits for its turn above. */
const snapshots = createCoverageSnapshots({ turn: reportTurn });

type RequestOptions = { signal?: AbortSignal; snapshots?: CoverageSnapshots };

/**
 * The report for the page's query string, and when it was computed if it comes from a snapshot
 * (null: computed for this request). A period that is not a real pair of days (a date that does
 * not exist, an end before the start) is reported back as `periodError` and the report is not
 * filtered by period, as the certificate download reads periods (parsePeriod).
 */
export async function coverageForRequest(user: SessionUser, url: URL, ip: string, { signal, snapshots: from = snapshots }: RequestOptions = {}) {
  // Authorisation comes first: a snapshot only saves computing a scope the user may already see.
  const unit = await hrUnit(user, "report.view", url.searchParams.get("unit"), ip, { nation: true });
  const rawCourse = Number(url.searchParams.get("course"));
  const rawCategory = url.searchParams.get("category") ?? "";
  // The end date is inclusive.
  const period = parsePeriod(url.searchParams.get("from") ?? "", url.searchParams.get("to") ?? "");
  const filters = {
    courseId: Number.isInteger(rawCourse) && rawCourse > 0 && rawCourse <= MAX_ID ? rawCourse : null,
    category: (CATEGORIES as readonly string[]).includes(rawCategory) ? (rawCategory as Category) : null,
    from: period.from,
    to: period.to,
  };
  const { value: report, computedAt } = await from.report(unit, filters, signal);
  return { unit, report, computedAt, periodError: period.error };
}

/**
 * The page's figures: the report, then the monthly trend of the same unit and course, each with
 * the instant of its snapshot (null: live). The trend runs after the report, not beside it: on
 * two cores side by side was no faster (docs/performance.md).
 */
export async function coveragePageForRequest(user: SessionUser, url: URL, ip: string, options: RequestOptions = {}) {
  const coverage = await coverageForRequest(user, url, ip, options);
  const trend = await (options.snapshots ?? snapshots).trend(coverage.unit, coverage.report.filters.courseId, options.signal);
  return { ...coverage, trend: trend.value, trendComputedAt: trend.computedAt };
}

/** The line that says a report comes from a snapshot, and when it was computed. */
export function snapshotNote(computedAt: Date, lang: Lang) {
  return getT(lang)("hr.snapshotAt", { time: formatTime(computedAt), date: formatDate(computedAt) });
}

/** Completion as the page shows it: a whole percent. */
const percent = (rate: number) => Math.round(rate * 100);

/**
 * The report as the page shows it, for CSV and XLSX: the unit table with its total, an empty
 * row, then the table by category with its own header row.
 */
export function coverageTable(report: Coverage, lang: Lang, computedAt: Date | null = null) {
  const t = getT(lang);
  const direct = report.rows.length > 1 && report.rows[0].code === report.unit.code;
  const name = (r: CoverageRow, i: number) => {
    const base = lang === "vi" ? r.nameVi : r.nameEn;
    return direct && i === 0 ? t("hr.directStaff", { name: base }) : base;
  };
  const headers = [t("admin.unitCode"), t("hr.unit"), ...COVERAGE_COLUMNS.map((c) => t(`hr.${c}`))];
  const line = (r: CoverageRow, label: string) => [r.code, label, r.staff, r.activated, r.headcount, r.vacancies, r.enrolled, r.completed, percent(r.completionRate), r.overdue, r.exempt, r.validCertificates];
  const categoryHeader = [t("catalog.category"), ...CATEGORY_COLUMNS.map((c) => t(`hr.${c}`))];
  const categoryLine = (c: CategoryRow) => [t(`categories.${c.category}`), c.enrolled, c.completed, percent(c.completionRate), c.overdue, c.exempt, c.validCertificates];
  return {
    headers,
    rows: [
      ...report.rows.map((r, i) => line(r, name(r, i))),
      line(report.total, t("hr.total")),
      [],
      categoryHeader,
      ...report.categories.map(categoryLine),
      // Figures from a snapshot say when they were computed, as the page does.
      ...(computedAt ? [[], [snapshotNote(computedAt, lang)]] : []),
    ],
  };
}
