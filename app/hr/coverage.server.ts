// Training coverage and staffing per org unit, for a unit and its direct children (drill-down).
// The database aggregates per unit (staff, enrolments by unit and category, valid certificates:
// coverage.data.server.ts); the figures are rolled up to the children here, in memory (units are
// few; staff are many). How each figure is counted: docs/decisions/009-coverage-figures.md.
import { completionsBefore, enrolmentsByUnit, staffByUnit, unitsUnder, validCertificatesByUnit } from "~/hr/coverage.data.server";
import { addMonths, VIETNAM_OFFSET_MS } from "~/utils/vietnam-time";
import type { Category } from "~/utils/course";

export type CoverageFilters = { courseId: number | null; category: Category | null; from: Date | null; to: Date | null };
export type CoverageRow = {
  code: string;
  nameVi: string;
  nameEn: string;
  kind: string;
  hasChildren: boolean;
  staff: number;
  activated: number;
  headcount: number;
  vacancies: number;
  enrolled: number;
  completed: number;
  completionRate: number;
  overdue: number;
  exempt: number;
  validCertificates: number;
};
export type CategoryRow = { category: string; enrolled: number; completed: number; completionRate: number; overdue: number; exempt: number; validCertificates: number };

/** The categories the report always lists, even with nothing in them; others appear when used. */
const REPORTED_CATEGORIES = ["egov", "security", "payment"];

/** The whole country: every province is a child. Only tools and reports use this scope. */
export const NATIONAL_SCOPE = { id: 0, path: "/" } as const;
const NATION = { id: 0, code: "", nameVi: "Toàn quốc", nameEn: "Nationwide", kind: "country", path: "/", parentId: null, approvedHeadcount: 0 };

export async function coverageByOrgUnit(scope: { id: number; path: string }, filters: CoverageFilters, now = new Date()) {
  const national = scope.path === NATIONAL_SCOPE.path;
  const units = await unitsUnder(national ? null : scope.path);
  const unitIds = national ? null : units.map((u) => u.id);
  // Three independent aggregates over the scope's people: on PostgreSQL they run on separate
  // pooled connections at the same time.
  const [staffRows, enrolByCategory, certByCategory] = await Promise.all([
    staffByUnit(unitIds),
    enrolmentsByUnit(unitIds, filters, now),
    validCertificatesByUnit(unitIds, filters, now),
  ]);
  // The unit rows honour the category filter; the category breakdown shows every category with
  // the other filters applied.
  const inCategory = <T extends { category: string }>(rows: T[]) => (filters.category ? rows.filter((r) => r.category === filters.category) : rows);

  const byCategory = new Map<string, CategoryRow>();
  const category = (name: string) => {
    let c = byCategory.get(name);
    if (!c) byCategory.set(name, (c = { category: name, enrolled: 0, completed: 0, completionRate: 0, overdue: 0, exempt: 0, validCertificates: 0 }));
    return c;
  };
  for (const name of REPORTED_CATEGORIES) category(name);
  for (const r of enrolByCategory) {
    const c = category(r.category);
    c.enrolled += r.enrolled;
    c.completed += r.completed;
    c.overdue += r.overdue;
    c.exempt += r.exempt;
  }
  for (const r of certByCategory) category(r.category).validCertificates += r.validCertificates;
  const categoryRows = [...byCategory.values()]
    .map((c) => ({ ...c, completionRate: c.enrolled ? c.completed / c.enrolled : 0 }))
    .sort((a, b) => rank(a.category) - rank(b.category) || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));

  // Each unit's figures go to the child of `scope` it lies under (or to the scope itself).
  const rows = new Map<number, CoverageRow>();
  const self = national ? NATION : units.find((u) => u.id === scope.id)!;
  const childOf = new Map<number, number>();
  const children = units.filter((u) => (national ? u.parentId === null : u.parentId === scope.id));
  const childByCode = new Map(children.map((c) => [c.code, c.id]));
  for (const u of units) {
    const first = u.path.slice(scope.path.length).split("/")[0];
    childOf.set(u.id, first ? (childByCode.get(first) ?? scope.id) : scope.id);
  }
  const hasChildren = new Set(units.map((u) => u.parentId));
  const blank = (u: typeof self): CoverageRow => ({
    code: u.code,
    nameVi: u.nameVi,
    nameEn: u.nameEn,
    kind: u.kind,
    hasChildren: hasChildren.has(u.id),
    staff: 0,
    activated: 0,
    headcount: 0,
    vacancies: 0,
    enrolled: 0,
    completed: 0,
    completionRate: 0,
    overdue: 0,
    exempt: 0,
    validCertificates: 0,
  });
  for (const c of [self, ...children]) rows.set(c.id, blank(c));
  const rowOf = (unit: number) => rows.get(childOf.get(unit)!)!;
  // Vacancies are counted unit by unit: an overstaffed unit does not hide another's vacancies.
  const staffOf = new Map(staffRows.map((r) => [r.unit, r]));
  for (const u of units) {
    const row = rowOf(u.id);
    const staff = staffOf.get(u.id)?.staff ?? 0;
    row.staff += staff;
    row.activated += staffOf.get(u.id)?.activated ?? 0;
    row.headcount += u.approvedHeadcount;
    row.vacancies += Math.max(0, u.approvedHeadcount - staff);
  }
  for (const r of inCategory(enrolByCategory)) {
    const row = rowOf(r.unit);
    row.enrolled += r.enrolled;
    row.completed += r.completed;
    row.overdue += r.overdue;
    row.exempt += r.exempt;
  }
  for (const r of inCategory(certByCategory)) rowOf(r.unit).validCertificates += r.validCertificates;

  const finish = (r: CoverageRow) => ({ ...r, completionRate: r.enrolled ? r.completed / r.enrolled : 0 });
  const direct = finish(rows.get(scope.id)!);
  const childRows = children
    .map((c) => finish(rows.get(c.id)!))
    .sort((a, b) => (a.kind === b.kind ? a.nameVi.localeCompare(b.nameVi, "vi") : a.kind < b.kind ? -1 : 1));
  const total = finish(
    [direct, ...childRows].reduce((acc, r) => ({
      ...acc,
      staff: acc.staff + r.staff,
      activated: acc.activated + r.activated,
      headcount: acc.headcount + r.headcount,
      vacancies: acc.vacancies + r.vacancies,
      enrolled: acc.enrolled + r.enrolled,
      completed: acc.completed + r.completed,
      overdue: acc.overdue + r.overdue,
      exempt: acc.exempt + r.exempt,
      validCertificates: acc.validCertificates + r.validCertificates,
    }), { ...blank(self), hasChildren: children.length > 0 }),
  );
  // Staff attached to the unit itself (not to a child) form their own row when there are any.
  const showDirect = children.length > 0 && (direct.staff > 0 || direct.enrolled > 0 || self.approvedHeadcount > 0);
  return {
    unit: { code: self.code, nameVi: self.nameVi, nameEn: self.nameEn, path: self.path },
    filters,
    rows: showDirect ? [{ ...direct, hasChildren: false }, ...childRows] : childRows.length ? childRows : [direct],
    total,
    categories: categoryRows,
  };
}

const rank = (category: string) => {
  const i = REPORTED_CATEGORIES.indexOf(category);
  return i < 0 ? REPORTED_CATEGORIES.length : i;
};

export type Coverage = Awaited<ReturnType<typeof coverageByOrgUnit>>;

/** The first instant of the month `date` falls in, in Vietnamese time. */
function monthStart(date: Date): Date {
  const local = new Date(date.getTime() + VIETNAM_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - VIETNAM_OFFSET_MS);
}

export type TrendPoint = { month: string; completedInMonth: number; enrolled: number; completed: number; rate: number };

/**
 * Completion over the last `months` months for a unit's subtree (and a course): at the end of each
 * month, the share of enrolments existing by then that were completed by then, and how many
 * completed during the month. Exempt enrolments are left out, as in the report.
 */
export async function completionTrend(scope: { path: string }, courseId: number | null, now = new Date(), months = 12): Promise<TrendPoint[]> {
  const national = scope.path === NATIONAL_SCOPE.path;
  const unitIds = national ? null : (await unitsUnder(scope.path)).map((u) => u.id);
  const current = monthStart(now);
  // Boundaries: the start of the first month shown, then the start of each next month; the last is now.
  const starts = Array.from({ length: months }, (_, i) => addMonths(current, i - months + 1));
  const boundaries = [...starts.slice(1), now];
  const [before, ...rest] = await completionsBefore(unitIds, courseId, [starts[0], ...boundaries]);
  let previous = before.completed;
  return rest.map((r, i) => {
    const local = new Date(starts[i].getTime() + VIETNAM_OFFSET_MS);
    const point = {
      month: `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, "0")}`,
      completedInMonth: r.completed - previous,
      enrolled: r.enrolled,
      completed: r.completed,
      rate: r.enrolled ? r.completed / r.enrolled : 0,
    };
    previous = r.completed;
    return point;
  });
}
