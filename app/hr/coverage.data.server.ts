// The coverage report's statements: the units of a scope, and three aggregates over their people
// grouped by unit (and category), computed in the database (what each figure counts:
// docs/decisions/009-coverage-figures.md). Tagged templates (decision 011): every value is a
// parameter, the list of unit ids included. Dates are `Date` parameters: the SQLite adapter binds
// them as epoch milliseconds, the form the ORM stores there; the PostgreSQL one as UTC timestamps.
import { Prisma } from "~/generated/sqlite/client";
import type { CoverageFilters } from "~/hr/coverage.server";
import { db, dbProvider } from "~/platform/db.server";
import { subtreeOf } from "~/utils/org-units";

/** SQLite runs statements on this process's event loop, one at a time; PostgreSQL on its own cores. */
export const statementsOnEventLoop = dbProvider === "sqlite";

/** Every unit of the subtree at `path`, or of the whole country when `path` is null. */
export function unitsUnder(path: string | null) {
  return db.orgUnit.findMany({
    where: path === null ? {} : { path: subtreeOf(path) },
    select: { id: true, code: true, nameVi: true, nameEn: true, kind: true, path: true, parentId: true, approvedHeadcount: true },
  });
}

/**
 * People of the listed units, or everyone when `unitIds` is null. The units are already known,
 * so people are filtered by their unit id instead of joining OrgUnit and matching paths per person.
 */
const ofUnits = (unitIds: number[] | null) =>
  unitIds === null ? Prisma.empty : Prisma.sql` AND u."orgUnitId" IN (${Prisma.join(unitIds.length ? unitIds : [null])})`;

/** An enrolment belongs to the period of its due date, or of its enrolment date when it has none. */
function inPeriod(day: Prisma.Sql, { from, to }: CoverageFilters) {
  return Prisma.sql`${from ? Prisma.sql` AND ${day} >= ${from}` : Prisma.empty}${to ? Prisma.sql` AND ${day} < ${to}` : Prisma.empty}`;
}

type Count = number | bigint;

/** Active staff per unit, and how many of them have activated their account. */
export async function staffByUnit(unitIds: number[] | null): Promise<{ unit: number; staff: number; activated: number }[]> {
  const rows = await db.$queryRaw<{ unit: number | bigint; n: number | bigint; activated: number | bigint | null }[]>`
    SELECT u."orgUnitId" AS unit, COUNT(*) AS n, SUM(CASE WHEN u."activatedAt" IS NULL THEN 0 ELSE 1 END) AS activated
    FROM "User" u WHERE u."active" = ${true}${ofUnits(unitIds)} GROUP BY u."orgUnitId"`;
  return rows.map((r) => ({ unit: Number(r.unit), staff: Number(r.n), activated: Number(r.activated ?? 0) }));
}

/**
 * Enrolments of active staff per unit and course category. Each person counts once per course:
 * their latest cycle of it within the period (a yearly assignment's earlier cycles do not add to
 * "enrolled"). The category filter is not applied here: the breakdown by category shows them all.
 */
export async function enrolmentsByUnit(
  unitIds: number[] | null,
  filters: CoverageFilters,
  now: Date,
): Promise<{ unit: number; category: string; enrolled: number; completed: number; overdue: number; exempt: number }[]> {
  const course = filters.courseId ? Prisma.sql` AND e."courseId" = ${filters.courseId}` : Prisma.empty;
  const rows = await db.$queryRaw<{ unit: Count; category: string; enrolled: Count | null; completed: Count | null; overdue: Count | null; exempt: Count | null }[]>`
    SELECT u."orgUnitId" AS unit, c."category" AS category,
       SUM(CASE WHEN e."exemptAt" IS NULL THEN 1 ELSE 0 END) AS enrolled,
       SUM(CASE WHEN e."exemptAt" IS NULL AND e."completedAt" IS NOT NULL THEN 1 ELSE 0 END) AS completed,
       SUM(CASE WHEN e."exemptAt" IS NULL AND e."completedAt" IS NULL AND e."dueAt" < ${now} THEN 1 ELSE 0 END) AS overdue,
       SUM(CASE WHEN e."exemptAt" IS NOT NULL THEN 1 ELSE 0 END) AS exempt
     FROM "Enrollment" e JOIN "User" u ON u."id" = e."userId" JOIN "Course" c ON c."id" = e."courseId"
     WHERE u."active" = ${true}${ofUnits(unitIds)}${course}${inPeriod(Prisma.sql`COALESCE(e."dueAt", e."createdAt")`, filters)}
       AND NOT EXISTS (SELECT 1 FROM "Enrollment" l WHERE l."userId" = e."userId" AND l."courseId" = e."courseId" AND l."cycle" > e."cycle"${inPeriod(Prisma.sql`COALESCE(l."dueAt", l."createdAt")`, filters)})
     GROUP BY u."orgUnitId", c."category"`;
  return rows.map((r) => ({
    unit: Number(r.unit),
    category: r.category,
    enrolled: Number(r.enrolled ?? 0),
    completed: Number(r.completed ?? 0),
    overdue: Number(r.overdue ?? 0),
    exempt: Number(r.exempt ?? 0),
  }));
}

/**
 * The completion trend: for each boundary (the start of a month), how many of the scope's latest
 * enrolments (not exempt) existed before it (created, or completed: an enrolment recorded later
 * for training finished earlier counts from its completion) and how many were completed before it. One scan, with
 * one pair of conditional sums per boundary, the same SQL on both databases.
 */
export async function completionsBefore(
  unitIds: number[] | null,
  courseId: number | null,
  boundaries: Date[],
): Promise<{ enrolled: number; completed: number }[]> {
  if (!boundaries.length) return [];
  const course = courseId ? Prisma.sql` AND e."courseId" = ${courseId}` : Prisma.empty;
  const sums = Prisma.join(
    boundaries.map((b, i) => Prisma.sql`SUM(CASE WHEN e."createdAt" < ${b} OR e."completedAt" < ${b} THEN 1 ELSE 0 END) AS ${Prisma.raw(`"e${i}"`)}, SUM(CASE WHEN e."completedAt" < ${b} THEN 1 ELSE 0 END) AS ${Prisma.raw(`"c${i}"`)}`),
    ", ",
  );
  const [row] = await db.$queryRaw<Record<string, Count | null>[]>`
    SELECT ${sums}
    FROM "Enrollment" e JOIN "User" u ON u."id" = e."userId"
    WHERE u."active" = ${true}${ofUnits(unitIds)}${course} AND e."exemptAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "Enrollment" l WHERE l."userId" = e."userId" AND l."courseId" = e."courseId" AND l."cycle" > e."cycle")`;
  return boundaries.map((_, i) => ({ enrolled: Number(row?.[`e${i}`] ?? 0), completed: Number(row?.[`c${i}`] ?? 0) }));
}

/**
 * Active staff holding a valid certificate of a course, per unit and course category: once per
 * person and course (an earlier cycle's certificate that is still valid does not count twice).
 */
export async function validCertificatesByUnit(
  unitIds: number[] | null,
  filters: CoverageFilters,
  now: Date,
): Promise<{ unit: number; category: string; validCertificates: number }[]> {
  const course = filters.courseId ? Prisma.sql` AND k."courseId" = ${filters.courseId}` : Prisma.empty;
  const from = filters.from ? Prisma.sql` AND k."completedAt" >= ${filters.from}` : Prisma.empty;
  const to = filters.to ? Prisma.sql` AND k."completedAt" < ${filters.to}` : Prisma.empty;
  const rows = await db.$queryRaw<{ unit: Count; category: string; n: Count }[]>`
    SELECT h.unit AS unit, h.category AS category, COUNT(*) AS n FROM (
       SELECT DISTINCT u."orgUnitId" AS unit, c."category" AS category, k."userId" AS person, k."courseId" AS course
       FROM "Certificate" k JOIN "User" u ON u."id" = k."userId" JOIN "Course" c ON c."id" = k."courseId"
       WHERE u."active" = ${true}${ofUnits(unitIds)} AND k."status" = ${"valid"} AND (k."expiresAt" IS NULL OR k."expiresAt" > ${now})${course}${from}${to}
     ) h GROUP BY h.unit, h.category`;
  return rows.map((r) => ({ unit: Number(r.unit), category: r.category, validCertificates: Number(r.n) }));
}
