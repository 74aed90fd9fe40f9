// Every read and write of certificates, and the transactions that keep issuing and reissuing
// exactly once. The database row is the only truth: verification never reads anything from a PDF.
import { db, readRows, type DateValue } from "~/platform/db.server";
import { subtreeOf, type UnitFilter } from "~/utils/org-units";

/** The stored snapshot a PDF and a verification page are made from. */
export type CertificateRecord = {
  id: number;
  code: string;
  fullName: string;
  position: string;
  unitName: string;
  courseTitle: string;
  issuer: string;
  completedAt: Date;
  issuedAt: Date;
  expiresAt: Date | null;
  status: string;
  revokedAt: Date | null;
};

const recordSelect = {
  id: true,
  code: true,
  fullName: true,
  position: true,
  unitName: true,
  courseTitle: true,
  issuer: true,
  completedAt: true,
  issuedAt: true,
  expiresAt: true,
  status: true,
  revokedAt: true,
} as const;

const holderSelect = { fullName: true, position: true, orgUnitId: true, orgUnit: { select: { nameVi: true } } } as const;

// ---------------------------------------------------------------------------------------------
// Issue and renew

/** An enrolment with what its certificate copies: the holder now, and the published course. */
export function enrollmentToCertify(enrollmentId: number) {
  return db.enrollment.findUniqueOrThrow({
    where: { id: enrollmentId },
    select: {
      userId: true,
      courseId: true,
      completedAt: true,
      user: { select: holderSelect },
      course: { select: { title: true, publishedVersion: { select: { title: true, validityMonths: true } } } },
    },
  });
}

export type NewCertificate = {
  code: string;
  userId: number;
  courseId: number;
  orgUnitId: number;
  fullName: string;
  position: string;
  unitName: string;
  courseTitle: string;
  issuer: string;
  completedAt: Date;
  expiresAt: Date | null;
};

/** Creates the enrolment's certificate unless it has one: the existing one is returned then. */
export async function createCertificateOnce(enrollmentId: number, certificate: NewCertificate): Promise<{ id: number; code: string; created: boolean }> {
  return db.$transaction(async (tx) => {
    // A no-op write on the enrolment serialises concurrent issuers (a row lock in PostgreSQL,
    // the write lock in SQLite), so the check below always sees the other's certificate.
    await tx.enrollment.updateMany({ where: { id: enrollmentId }, data: { cycle: { increment: 0 } } });
    const existing = await tx.certificate.findFirst({ where: { enrollmentId }, orderBy: { id: "asc" }, select: { id: true, code: true } });
    if (existing) return { ...existing, created: false };
    // 100 random bits: a collision would need ~10^15 certificates, so no retry loop.
    const created = await tx.certificate.create({ data: { ...certificate, enrollmentId }, select: { id: true, code: true } });
    return { ...created, created: true };
  });
}

/** Valid certificates of active people expiring by `horizon`, for courses still published (and not withdrawn). */
export function expiringCertificates(horizon: Date) {
  return db.certificate.findMany({
    where: {
      status: "valid",
      expiresAt: { not: null, lte: horizon },
      user: { active: true },
      course: { publishedVersionId: { not: null }, unpublishedAt: null },
    },
    select: {
      expiresAt: true,
      userId: true,
      courseId: true,
      enrollment: { select: { cycle: true } },
      user: { select: { email: true, fullName: true, locale: true } },
      course: { select: { slug: true, title: true, titleEn: true } },
    },
  });
}

/** The latest enrolment cycle of each (user, course) among these people and courses. */
export function latestCycles(userIds: number[], courseIds: number[]) {
  return db.enrollment.groupBy({
    by: ["userId", "courseId"],
    where: { userId: { in: userIds }, courseId: { in: courseIds } },
    _max: { cycle: true },
  });
}

/** Enrols for a renewal cycle; false when that cycle exists already (another run created it). */
export async function createRenewalEnrollment(renewal: { userId: number; courseId: number; cycle: number; dueAt: Date | null }): Promise<boolean> {
  try {
    await db.enrollment.create({ data: { ...renewal, origin: "renewal" } });
    return true;
  } catch (e) {
    if ((e as { code?: string } | null)?.code !== "P2002") throw e;
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The learner's own certificates, newest first. */
export function userCertificates(userId: number) {
  return db.certificate.findMany({
    where: { userId },
    orderBy: [{ issuedAt: "desc" }, { id: "desc" }],
    select: { ...recordSelect, course: { select: { slug: true } } },
  });
}

export function userCertificateByCode(userId: number, code: string): Promise<CertificateRecord | null> {
  return db.certificate.findFirst({ where: { code, userId }, select: recordSelect });
}

/** A certificate with the unit that decides who may manage it. */
export function certificateByCode(code: string) {
  return db.certificate.findUnique({
    where: { code },
    select: {
      ...recordSelect,
      userId: true,
      revokeReason: true,
      replacedById: true,
      orgUnit: { select: { id: true, path: true, code: true, nameVi: true, nameEn: true } },
    },
  });
}

export async function codeOf(id: number | null): Promise<string | null> {
  if (!id) return null;
  const row = await db.certificate.findUnique({ where: { id }, select: { code: true } });
  return row?.code ?? null;
}

const PAGE_SIZE = 50;

/** `q` is the searched name (NFC), `code` its reading as a certificate code if it is one. */
export type CertificateFilter = { q: string; code: string | null; unitPath: string | null; from: Date | null; to: Date | null };

/** The first page of certificates within `scope` matching the filter, and how many match. */
export async function certificatePage(scope: UnitFilter, filter: CertificateFilter) {
  const { q, code } = filter;
  const where = {
    AND: [
      { orgUnit: scope },
      filter.unitPath ? { orgUnit: { path: subtreeOf(filter.unitPath) } } : {},
      filter.from || filter.to ? { issuedAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {},
      q ? { OR: [{ fullName: { contains: q } }, ...(code ? [{ code }] : [])] } : {},
    ],
  };
  const [rows, total] = await Promise.all([
    db.certificate.findMany({
      where,
      orderBy: [{ issuedAt: "desc" }, { id: "desc" }],
      take: PAGE_SIZE,
      select: { ...recordSelect, orgUnit: { select: { code: true } } },
    }),
    db.certificate.count({ where }),
  ]);
  return { rows, total };
}

/** What public verification shows of a certificate, or null. */
export async function verificationRecord(code: string) {
  // Straight to the driver (decision 013): public verification is the most requested page.
  type Row = { code: string; fullName: string; courseTitle: string; completedAt: DateValue; expiresAt: DateValue | null; issuer: string; status: string; revokedAt: DateValue | null; erasedAt: DateValue | null };
  const [row] = await readRows<Row>`
    SELECT c."code", c."fullName", c."courseTitle", c."completedAt", c."expiresAt", c."issuer", c."status", c."revokedAt", u."erasedAt"
    FROM "Certificate" c JOIN "User" u ON u."id" = c."userId" WHERE c."code" = ${code}`;
  if (!row) return null;
  const dateOrNull = (value: DateValue | null) => (value === null ? null : new Date(value));
  return {
    code: row.code,
    fullName: row.fullName,
    courseTitle: row.courseTitle,
    completedAt: new Date(row.completedAt),
    expiresAt: dateOrNull(row.expiresAt),
    issuer: row.issuer,
    status: row.status,
    revokedAt: dateOrNull(row.revokedAt),
    /** The holder's personal data was erased: the certificate stands, without a name. */
    erasedAt: dateOrNull(row.erasedAt),
  };
}

// ---------------------------------------------------------------------------------------------
// Bulk download

/** The unit with this code if it lies within `scope`. */
export function unitInScope(scope: UnitFilter, unitCode: string) {
  return db.orgUnit.findFirst({ where: { AND: [{ code: unitCode }, scope] }, select: { id: true, code: true, path: true, nameVi: true } });
}

/** Certificates issued in [from, to) to people of the subtree at `unitPath`, at most `take`. */
export function certificatesIssuedInSubtree(unitPath: string, from: Date, to: Date, take: number): Promise<CertificateRecord[]> {
  return db.certificate.findMany({
    where: { orgUnit: { path: subtreeOf(unitPath) }, issuedAt: { gte: from, lt: to } },
    orderBy: [{ unitName: "asc" }, { fullName: "asc" }, { id: "asc" }],
    take,
    select: recordSelect,
  });
}

// ---------------------------------------------------------------------------------------------
// Revoke and reissue

/** Revokes the certificate if it is valid; false when it is not (or no longer). */
export async function revokeIfValid(id: number, revocation: { revokedById: number | null; revokeReason: string }): Promise<boolean> {
  const updated = await db.certificate.updateMany({
    where: { id, status: "valid" },
    data: { status: "revoked", revokedAt: new Date(), ...revocation },
  });
  return updated.count === 1;
}

/**
 * Replaces a valid or revoked certificate that was never reissued by a new one with `code`,
 * stating the holder as they are now and the old one's course, completion and expiry; null
 * when it cannot be reissued. A valid one becomes "replaced"; a revoked one stays revoked.
 */
export async function replaceCertificate(id: number, code: string, issuer: string): Promise<{ id: number; code: string } | null> {
  return db.$transaction(async (tx) => {
    const old = await tx.certificate.findUnique({
      where: { id },
      select: {
        status: true,
        replacedById: true,
        enrollmentId: true,
        userId: true,
        courseId: true,
        courseTitle: true,
        completedAt: true,
        expiresAt: true,
        user: { select: holderSelect },
      },
    });
    if (!old || old.replacedById || (old.status !== "valid" && old.status !== "revoked")) return null;
    // Conditional on the status just read, so a revocation that lands in between is never
    // overwritten; for a revoked certificate this write changes nothing but takes the lock.
    const claimed = await tx.certificate.updateMany({
      where: { id, status: old.status, replacedById: null },
      data: { status: old.status === "revoked" ? "revoked" : "replaced" },
    });
    if (claimed.count !== 1) return null;
    const created = await tx.certificate.create({
      data: {
        code,
        enrollmentId: old.enrollmentId,
        userId: old.userId,
        courseId: old.courseId,
        orgUnitId: old.user.orgUnitId,
        fullName: old.user.fullName.normalize("NFC"),
        position: old.user.position.normalize("NFC"),
        unitName: old.user.orgUnit.nameVi.normalize("NFC"),
        courseTitle: old.courseTitle,
        issuer,
        completedAt: old.completedAt,
        expiresAt: old.expiresAt,
      },
      select: { id: true, code: true },
    });
    await tx.certificate.update({ where: { id }, data: { replacedById: created.id } });
    return created;
  });
}
