// Training coverage and staffing per org unit, for a unit and its direct children (drill-down).
// Aggregates are computed in the database with parameterised SQL (staff, enrolments by unit
// and category, valid certificates), grouped by unit, then rolled up to the children in memory
// (units are few; staff are many). How each figure is counted: docs/decisions/009-coverage-figures.md.
import { db, dbProvider, query } from "~/platform/db.server";
import type { Category } from "~/utils/course";
import { subtreeOf } from "~/utils/org-units";

export type CoverageFilters = { courseId: number | null; category: Category | null; from: Date | null; to: Date | null };
export type CoverageRow = {
  code: string;
  nameVi: string;
  nameEn: string;
  kind: string;
  hasChildren: boolean;
  staff: number;
  headcount: number;
  vacancies: number;
  enrolled: number;
  completed: number;
  completionRate: number;
  overdue: number;
  validCertificates: number;
};
export type CategoryRow = { category: string; enrolled: number; completed: number; completionRate: number; overdue: number; validCertificates: number };

/** The categories the report always lists, even with nothing in them; others appear when used. */
const REPORTED_CATEGORIES = ["egov", "security", "payment"];

type UnitAgg = { unit: number; n: number | bigint };
type EnrolAgg = { unit: number; category: string; enrolled: number | bigint; completed: number | bigint; overdue: number | bigint };

/** SQLite stores instants as epoch milliseconds, PostgreSQL as timestamps. */
const at = (d: Date) => (dbProvider === "sqlite" ? d.getTime() : d);
const num = (v: number | bigint | null | undefined) => Number(v ?? 0);

/**
 * The period filter on an enrolment alias: an enrolment belongs to the period of its due date,
 * or of its enrolment date when it has none. Parameters are pushed once and shared by aliases.
 */
function periodFilter(f: CoverageFilters, params: unknown[]): (alias: string) => string {
  const from = f.from ? params.push(at(f.from)) : 0;
  const to = f.to ? params.push(at(f.to)) : 0;
  return (alias) =>
    (from ? ` AND COALESCE(${alias}."dueAt", ${alias}."createdAt") >= $${from}` : "") +
    (to ? ` AND COALESCE(${alias}."dueAt", ${alias}."createdAt") < $${to}` : "");
}

/** The whole country: every province is a child. Only tools and reports use this scope. */
export const NATIONAL_SCOPE = { id: 0, path: "/" } as const;
const NATION = { id: 0, code: "", nameVi: "Toàn quốc", nameEn: "Nationwide", kind: "country", path: "/", parentId: null, approvedHeadcount: 0 };

export async function coverageByOrgUnit(scope: { id: number; path: string }, filters: CoverageFilters, now = new Date()) {
  const national = scope.path === NATIONAL_SCOPE.path;
  const units = await db.orgUnit.findMany({
    where: national ? {} : { path: subtreeOf(scope.path) },
    select: { id: true, code: true, nameVi: true, nameEn: true, kind: true, path: true, parentId: true, approvedHeadcount: true },
  });
  // The units are already known, so people are filtered by their unit id (integers from the
  // database, written into the SQL) instead of joining OrgUnit and matching paths per person.
  const inScope = national ? "" : ` AND u."orgUnitId" IN (${units.map((u) => Number(u.id)).join(", ") || "NULL"})`;

  // Three aggregates over the scope's people. They are independent: on PostgreSQL they run on
  // separate pooled connections at the same time.
  const staffQuery = query<UnitAgg>(
    `SELECT u."orgUnitId" AS unit, COUNT(*) AS n FROM "User" u WHERE u."active" = $1${inScope} GROUP BY u."orgUnitId"`,
    [true],
  );
  // Each person counts once per course: their latest cycle of it within the period (a yearly
  // assignment's earlier cycles do not add to "enrolled"). The unit rows honour the category
  // filter; the category breakdown shows every category with the other filters applied.
  const enrolParams: unknown[] = [true, at(now)];
  const course = filters.courseId ? ` AND e."courseId" = $${enrolParams.push(filters.courseId)}` : "";
  const period = periodFilter(filters, enrolParams);
  const enrolQuery = query<EnrolAgg>(
    `SELECT u."orgUnitId" AS unit, c."category" AS category, COUNT(*) AS enrolled,
       SUM(CASE WHEN e."completedAt" IS NOT NULL THEN 1 ELSE 0 END) AS completed,
       SUM(CASE WHEN e."completedAt" IS NULL AND e."dueAt" < $2 THEN 1 ELSE 0 END) AS overdue
     FROM "Enrollment" e JOIN "User" u ON u."id" = e."userId" JOIN "Course" c ON c."id" = e."courseId"
     WHERE u."active" = $1${inScope}${course}${period("e")}
       AND NOT EXISTS (SELECT 1 FROM "Enrollment" l WHERE l."userId" = e."userId" AND l."courseId" = e."courseId" AND l."cycle" > e."cycle"${period("l")})
     GROUP BY u."orgUnitId", c."category"`,
    enrolParams,
  );
  // People holding a valid certificate of a course, once per person and course (an earlier
  // cycle's certificate that is still valid does not count twice).
  const certParams: unknown[] = [true, "valid", at(now)];
  const certFilter = [
    filters.courseId ? ` AND k."courseId" = $${certParams.push(filters.courseId)}` : "",
    filters.from ? ` AND k."completedAt" >= $${certParams.push(at(filters.from))}` : "",
    filters.to ? ` AND k."completedAt" < $${certParams.push(at(filters.to))}` : "",
  ].join("");
  const certQuery = query<UnitAgg & { category: string }>(
    `SELECT h.unit AS unit, h.category AS category, COUNT(*) AS n FROM (
       SELECT DISTINCT u."orgUnitId" AS unit, c."category" AS category, k."userId" AS person, k."courseId" AS course
       FROM "Certificate" k JOIN "User" u ON u."id" = k."userId" JOIN "Course" c ON c."id" = k."courseId"
       WHERE u."active" = $1${inScope} AND k."status" = $2 AND (k."expiresAt" IS NULL OR k."expiresAt" > $3)${certFilter}
     ) h GROUP BY h.unit, h.category`,
    certParams,
  );
  const [staffRows, enrolByCategory, certByCategory] = await Promise.all([staffQuery, enrolQuery, certQuery]);
  const inCategory = <T extends { category: string }>(rows: T[]) => (filters.category ? rows.filter((r) => r.category === filters.category) : rows);

  const byCategory = new Map<string, CategoryRow>();
  const category = (name: string) => {
    let c = byCategory.get(name);
    if (!c) byCategory.set(name, (c = { category: name, enrolled: 0, completed: 0, completionRate: 0, overdue: 0, validCertificates: 0 }));
    return c;
  };
  for (const name of REPORTED_CATEGORIES) category(name);
  for (const r of enrolByCategory) {
    const c = category(r.category);
    c.enrolled += num(r.enrolled);
    c.completed += num(r.completed);
    c.overdue += num(r.overdue);
  }
  for (const r of certByCategory) category(r.category).validCertificates += num(r.n);
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
    headcount: 0,
    vacancies: 0,
    enrolled: 0,
    completed: 0,
    completionRate: 0,
    overdue: 0,
    validCertificates: 0,
  });
  for (const c of [self, ...children]) rows.set(c.id, blank(c));
  const rowOf = (unit: number | bigint) => rows.get(childOf.get(Number(unit))!)!;
  // Vacancies are counted unit by unit: an overstaffed unit does not hide another's vacancies.
  const staffByUnit = new Map(staffRows.map((r) => [Number(r.unit), num(r.n)]));
  for (const u of units) {
    const row = rowOf(u.id);
    const staff = staffByUnit.get(u.id) ?? 0;
    row.staff += staff;
    row.headcount += u.approvedHeadcount;
    row.vacancies += Math.max(0, u.approvedHeadcount - staff);
  }
  for (const r of inCategory(enrolByCategory)) {
    const row = rowOf(r.unit);
    row.enrolled += num(r.enrolled);
    row.completed += num(r.completed);
    row.overdue += num(r.overdue);
  }
  for (const r of inCategory(certByCategory)) rowOf(r.unit).validCertificates += num(r.n);

  const finish = (r: CoverageRow) => ({ ...r, completionRate: r.enrolled ? r.completed / r.enrolled : 0 });
  const direct = finish(rows.get(scope.id)!);
  const childRows = children
    .map((c) => finish(rows.get(c.id)!))
    .sort((a, b) => (a.kind === b.kind ? a.nameVi.localeCompare(b.nameVi, "vi") : a.kind < b.kind ? -1 : 1));
  const total = finish(
    [direct, ...childRows].reduce((acc, r) => ({
      ...acc,
      staff: acc.staff + r.staff,
      headcount: acc.headcount + r.headcount,
      vacancies: acc.vacancies + r.vacancies,
      enrolled: acc.enrolled + r.enrolled,
      completed: acc.completed + r.completed,
      overdue: acc.overdue + r.overdue,
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
