// Training coverage and staffing per org unit, for a unit and its direct children (drill-down).
// Aggregates are computed in the database with parameterised SQL (staff, enrolments by unit
// and category, valid certificates), grouped by unit, then rolled up to the children in memory
// (units are few; staff are many).
import { db, dbProvider } from "./db.server";
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
export type CategoryRow = { category: string; enrolled: number; completed: number; overdue: number };

type UnitAgg = { unit: number; n: number | bigint };
type EnrolAgg = { unit: number; enrolled: number | bigint; completed: number | bigint; overdue: number | bigint };

/** SQLite stores instants as epoch milliseconds, PostgreSQL as timestamps. */
const at = (d: Date) => (dbProvider === "sqlite" ? d.getTime() : d);
const num = (v: number | bigint | null | undefined) => Number(v ?? 0);

function enrolmentFilter(f: CoverageFilters, params: unknown[]): string {
  const parts: string[] = [];
  if (f.courseId) {
    params.push(f.courseId);
    parts.push(`e."courseId" = $${params.length}`);
  }
  if (f.category) {
    params.push(f.category);
    parts.push(`c."category" = $${params.length}`);
  }
  if (f.from) {
    params.push(at(f.from));
    parts.push(`COALESCE(e."dueAt", e."createdAt") >= $${params.length}`);
  }
  if (f.to) {
    params.push(at(f.to));
    parts.push(`COALESCE(e."dueAt", e."createdAt") < $${params.length}`);
  }
  return parts.map((p) => ` AND ${p}`).join("");
}

/**
 * Runs parameterised SQL written with PostgreSQL's $n placeholders. For SQLite each $n becomes
 * a positional "?" and the values are passed in order of appearance.
 */
function query<T>(text: string, params: unknown[]): Promise<T[]> {
  if (dbProvider !== "sqlite") return db.$queryRawUnsafe<T[]>(text, ...params);
  const ordered: unknown[] = [];
  const positional = text.replace(/\$(\d+)/g, (_, n) => {
    ordered.push(params[Number(n) - 1]);
    return "?";
  });
  return db.$queryRawUnsafe<T[]>(positional, ...ordered);
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
  // Enrolments by unit and category in one pass: the unit rows honour the category filter, the
  // category breakdown shows every category (as before, with the other filters applied).
  const enrolParams: unknown[] = [true, at(now)];
  const enrolQuery = query<EnrolAgg & { category: string }>(
    `SELECT u."orgUnitId" AS unit, c."category" AS category, COUNT(*) AS enrolled,
       SUM(CASE WHEN e."completedAt" IS NOT NULL THEN 1 ELSE 0 END) AS completed,
       SUM(CASE WHEN e."completedAt" IS NULL AND e."dueAt" < $2 THEN 1 ELSE 0 END) AS overdue
     FROM "Enrollment" e JOIN "User" u ON u."id" = e."userId" JOIN "Course" c ON c."id" = e."courseId"
     WHERE u."active" = $1${inScope}${enrolmentFilter({ ...filters, category: null }, enrolParams)}
     GROUP BY u."orgUnitId", c."category"`,
    enrolParams,
  );
  const certParams: unknown[] = [true, "valid", at(now)];
  const certFilter = [
    filters.courseId ? ((certParams.push(filters.courseId), ` AND k."courseId" = $${certParams.length}`)) : "",
    filters.category ? ((certParams.push(filters.category), ` AND c."category" = $${certParams.length}`)) : "",
    filters.from ? ((certParams.push(at(filters.from)), ` AND k."completedAt" >= $${certParams.length}`)) : "",
    filters.to ? ((certParams.push(at(filters.to)), ` AND k."completedAt" < $${certParams.length}`)) : "",
  ].join("");
  const certQuery = query<UnitAgg>(
    `SELECT u."orgUnitId" AS unit, COUNT(*) AS n FROM "Certificate" k JOIN "User" u ON u."id" = k."userId"
     JOIN "Course" c ON c."id" = k."courseId"
     WHERE u."active" = $1${inScope} AND k."status" = $2 AND (k."expiresAt" IS NULL OR k."expiresAt" > $3)${certFilter}
     GROUP BY u."orgUnitId"`,
    certParams,
  );
  const [staffRows, enrolByCategory, certRows] = await Promise.all([staffQuery, enrolQuery, certQuery]);
  const enrolRows = filters.category ? enrolByCategory.filter((r) => r.category === filters.category) : enrolByCategory;
  const byCategory = new Map<string, { category: string; enrolled: number; completed: number; overdue: number }>();
  for (const r of enrolByCategory) {
    const c = byCategory.get(r.category) ?? { category: r.category, enrolled: 0, completed: 0, overdue: 0 };
    c.enrolled += num(r.enrolled);
    c.completed += num(r.completed);
    c.overdue += num(r.overdue);
    byCategory.set(r.category, c);
  }
  const categoryRows = [...byCategory.values()].sort((a, b) => (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));

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
  for (const u of units) rows.get(childOf.get(u.id)!)!.headcount += u.approvedHeadcount;
  for (const r of staffRows) rows.get(childOf.get(Number(r.unit))!)!.staff += num(r.n);
  for (const r of enrolRows) {
    const row = rows.get(childOf.get(Number(r.unit))!)!;
    row.enrolled += num(r.enrolled);
    row.completed += num(r.completed);
    row.overdue += num(r.overdue);
  }
  for (const r of certRows) rows.get(childOf.get(Number(r.unit))!)!.validCertificates += num(r.n);

  const finish = (r: CoverageRow) => ({ ...r, vacancies: Math.max(0, r.headcount - r.staff), completionRate: r.enrolled ? r.completed / r.enrolled : 0 });
  const direct = finish(rows.get(scope.id)!);
  const childRows = children
    .map((c) => finish(rows.get(c.id)!))
    .sort((a, b) => (a.kind === b.kind ? a.nameVi.localeCompare(b.nameVi, "vi") : a.kind < b.kind ? -1 : 1));
  const total = finish(
    [direct, ...childRows].reduce((acc, r) => ({
      ...acc,
      staff: acc.staff + r.staff,
      headcount: acc.headcount + r.headcount,
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

export type Coverage = Awaited<ReturnType<typeof coverageByOrgUnit>>;
