// Certificates: issued once per completed enrolment, rendered as a Vietnamese PDF with a QR
// code, verified publicly by code, revoked or reissued by HR, renewed before they expire.
// The database row is the only truth: verification never reads anything from a PDF.
import crypto from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Zip, ZipPassThrough, strToU8 } from "fflate";
import { codeFromBytes, groupCode, normalizeCode, REASON_MAX, ZIP_LIMIT } from "~/utils/certificates";
import { subtreeOf, type UnitFilter } from "~/utils/org-units";
import { audit } from "~/platform/audit.server";
import { db, readRows, type DateValue } from "~/platform/db.server";
import { env } from "~/platform/env.server";

export type CertificateStatus = "valid" | "expired" | "revoked" | "replaced";

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

type Actor = { userId: number | null; ip?: string | null };

/** What a certificate means today: the stored status, with expiry computed at read time. */
export function statusOf(cert: { status: string; expiresAt: Date | null }, now = new Date()): CertificateStatus {
  if (cert.status === "revoked") return "revoked";
  if (cert.status === "replaced") return "replaced";
  if (cert.expiresAt && cert.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

export function newCode(): string {
  return codeFromBytes(crypto.randomBytes(20));
}

// Vietnam has no daylight saving time, so calendar arithmetic in UTC+7 is a fixed shift.
const VN_OFFSET_MS = 7 * 3600_000;

/** `date` plus whole calendar months in Vietnamese time; 31 January + 1 month is 28/29 February. */
export function addMonths(date: Date, months: number): Date {
  const local = new Date(date.getTime() + VN_OFFSET_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  local.setUTCFullYear(y, m, Math.min(local.getUTCDate(), lastDay));
  return new Date(local.getTime() - VN_OFFSET_MS);
}

const twoDigits = (n: number) => String(n).padStart(2, "0");

/** dd/mm/yyyy in Vietnamese time (UTC+7 all year: Viet Nam has no daylight saving). */
export function formatDate(date: Date): string {
  const local = new Date(date.getTime() + VN_OFFSET_MS);
  return `${twoDigits(local.getUTCDate())}/${twoDigits(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`;
}

// ---------------------------------------------------------------------------------------------
// Issue

/**
 * Issues the certificate of a completed enrolment, exactly once: a second call (or a second
 * server doing the same) returns the existing one. Name, position, unit and course title are
 * copied now, so the certificate states what was true when it was earned.
 */
export async function issueCertificate(enrollmentId: number, ctx: Actor): Promise<{ id: number; code: string; created: boolean }> {
  const e = await db.enrollment.findUniqueOrThrow({
    where: { id: enrollmentId },
    select: {
      userId: true,
      courseId: true,
      completedAt: true,
      user: { select: { fullName: true, position: true, orgUnitId: true, orgUnit: { select: { nameVi: true } } } },
      course: { select: { title: true, publishedVersion: { select: { title: true, validityMonths: true } } } },
    },
  });
  if (!e.completedAt) throw new Error(`enrolment ${enrollmentId} is not complete`);
  const completedAt = e.completedAt;
  const validityMonths = e.course.publishedVersion?.validityMonths ?? 0;
  const result = await db.$transaction(async (tx) => {
    // A no-op write on the enrolment serialises concurrent issuers (a row lock in PostgreSQL,
    // the write lock in SQLite), so the check below always sees the other's certificate.
    await tx.enrollment.updateMany({ where: { id: enrollmentId }, data: { cycle: { increment: 0 } } });
    const existing = await tx.certificate.findFirst({ where: { enrollmentId }, orderBy: { id: "asc" }, select: { id: true, code: true } });
    if (existing) return { ...existing, created: false };
    // 100 random bits: a collision would need ~10^15 certificates, so no retry loop.
    const created = await tx.certificate.create({
      data: {
        code: newCode(),
        enrollmentId,
        userId: e.userId,
        courseId: e.courseId,
        orgUnitId: e.user.orgUnitId,
        fullName: e.user.fullName.normalize("NFC"),
        position: e.user.position.normalize("NFC"),
        unitName: e.user.orgUnit.nameVi.normalize("NFC"),
        courseTitle: (e.course.publishedVersion?.title ?? e.course.title).normalize("NFC"),
        issuer: env.ISSUING_AUTHORITY,
        completedAt,
        expiresAt: validityMonths > 0 ? addMonths(completedAt, validityMonths) : null,
      },
      select: { id: true, code: true },
    });
    return { ...created, created: true };
  });
  if (result.created) {
    await audit({
      action: "certificate.issue",
      actorId: ctx.userId,
      orgUnitId: e.user.orgUnitId,
      targetType: "certificate",
      targetId: result.id,
      ip: ctx.ip,
      detail: { enrollmentId },
    });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The learner's own certificates, newest first. */
export async function myCertificates(userId: number, now = new Date()) {
  const rows = await db.certificate.findMany({
    where: { userId },
    orderBy: [{ issuedAt: "desc" }, { id: "desc" }],
    select: { ...recordSelect, course: { select: { slug: true } } },
  });
  return rows.map((r) => ({ ...r, display: groupCode(r.code), state: statusOf(r, now) }));
}

/** A learner's certificate by any spelling of its code, or null (the caller answers 404). */
export async function certificateOfUser(userId: number, input: string): Promise<CertificateRecord | null> {
  const code = normalizeCode(input);
  if (!code) return null;
  return db.certificate.findFirst({ where: { code, userId }, select: recordSelect });
}


/** A certificate with the unit that decides who may manage it. */
export async function findCertificate(input: string) {
  const code = normalizeCode(input);
  if (!code) return null;
  return db.certificate.findUnique({
    where: { code },
    select: {
      ...recordSelect,
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

export type CertificateSearch = { q: string; unitPath: string | null; from: Date | null; to: Date | null };

const PAGE_SIZE = 50;

/** Certificates within `scope` matching a name or code, a unit subtree and an issue period. */
export async function searchCertificates(scope: UnitFilter, search: CertificateSearch, now = new Date()) {
  const q = search.q.trim().normalize("NFC");
  const code = q ? normalizeCode(q) : null;
  const where = {
    AND: [
      { orgUnit: scope },
      search.unitPath ? { orgUnit: { path: subtreeOf(search.unitPath) } } : {},
      search.from || search.to ? { issuedAt: { ...(search.from ? { gte: search.from } : {}), ...(search.to ? { lt: search.to } : {}) } } : {},
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
  return { total, rows: rows.map((r) => ({ ...r, display: groupCode(r.code), state: statusOf(r, now) })) };
}

export type Verification =
  | { status: "notfound" }
  | {
      status: CertificateStatus;
      code: string;
      fullName: string;
      courseTitle: string;
      completedAt: Date;
      expiresAt: Date | null;
      issuer: string;
      revokedAt: Date | null;
    };

/**
 * The public answer for a typed or scanned code: the status and the minimum a verifier needs.
 * Malformed input (including anything over 64 characters) never reaches the database.
 */
export async function verifyCertificate(input: string, now = new Date()): Promise<Verification> {
  const code = normalizeCode(input);
  if (!code) return { status: "notfound" };
  // Straight to the driver (decision 013): public verification is the most requested page.
  type Row = { code: string; fullName: string; courseTitle: string; completedAt: DateValue; expiresAt: DateValue | null; issuer: string; status: string; revokedAt: DateValue | null };
  const [row] = await readRows<Row>`
    SELECT "code", "fullName", "courseTitle", "completedAt", "expiresAt", "issuer", "status", "revokedAt"
    FROM "Certificate" WHERE "code" = ${code}`;
  if (!row) return { status: "notfound" };
  const dateOrNull = (value: DateValue | null) => (value === null ? null : new Date(value));
  const certificate = {
    code: row.code,
    fullName: row.fullName,
    courseTitle: row.courseTitle,
    completedAt: new Date(row.completedAt),
    expiresAt: dateOrNull(row.expiresAt),
    issuer: row.issuer,
    status: row.status,
    revokedAt: dateOrNull(row.revokedAt),
  };
  return { ...certificate, status: statusOf(certificate, now), code: groupCode(certificate.code) };
}

// ---------------------------------------------------------------------------------------------
// Revoke and reissue

export type RevokeResult = "revoked" | "reasonRequired" | "reasonTooLong" | "notValid";

/** Revokes a valid certificate; the reason is required and kept with who did it. */
export async function revokeCertificate(id: number, reasonInput: string, actor: Actor & { orgUnitId: number }): Promise<RevokeResult> {
  const reason = reasonInput.trim().normalize("NFC");
  if (!reason) return "reasonRequired";
  if (reason.length > REASON_MAX) return "reasonTooLong";
  const updated = await db.certificate.updateMany({
    where: { id, status: "valid" },
    data: { status: "revoked", revokedAt: new Date(), revokedById: actor.userId, revokeReason: reason },
  });
  if (updated.count !== 1) return "notValid";
  await audit({
    action: "certificate.revoke",
    actorId: actor.userId,
    orgUnitId: actor.orgUnitId,
    targetType: "certificate",
    targetId: id,
    ip: actor.ip,
    detail: { reason },
  });
  return "revoked";
}

export type ReissueResult = { ok: true; id: number; code: string } | { ok: false; error: "reasonRequired" | "reasonTooLong" | "cannotReissue" };

/**
 * Replaces a valid or revoked certificate by a new one with a new code, with the learner's
 * current name, position and unit (the usual reason is a corrected roster) and the same
 * course, completion and expiry. The reason is required and audited with who did it. A valid
 * certificate becomes "replaced"; a revoked one stays revoked (its code keeps verifying as
 * revoked, with its date): a reissue never erases a revocation. Each certificate is reissued
 * at most once; the new one may be reissued in turn.
 */
export async function reissueCertificate(id: number, reasonInput: string, actor: Actor & { orgUnitId: number }): Promise<ReissueResult> {
  const reason = reasonInput.trim().normalize("NFC");
  if (!reason) return { ok: false, error: "reasonRequired" };
  if (reason.length > REASON_MAX) return { ok: false, error: "reasonTooLong" };
  const result = await db.$transaction(async (tx) => {
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
        user: { select: { fullName: true, position: true, orgUnitId: true, orgUnit: { select: { nameVi: true } } } },
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
        code: newCode(),
        enrollmentId: old.enrollmentId,
        userId: old.userId,
        courseId: old.courseId,
        orgUnitId: old.user.orgUnitId,
        fullName: old.user.fullName.normalize("NFC"),
        position: old.user.position.normalize("NFC"),
        unitName: old.user.orgUnit.nameVi.normalize("NFC"),
        courseTitle: old.courseTitle,
        issuer: env.ISSUING_AUTHORITY,
        completedAt: old.completedAt,
        expiresAt: old.expiresAt,
      },
      select: { id: true, code: true },
    });
    await tx.certificate.update({ where: { id }, data: { replacedById: created.id } });
    return created;
  });
  if (!result) return { ok: false, error: "cannotReissue" };
  await audit({
    action: "certificate.reissue",
    actorId: actor.userId,
    orgUnitId: actor.orgUnitId,
    targetType: "certificate",
    targetId: id,
    ip: actor.ip,
    detail: { reason, newCertificateId: result.id },
  });
  return { ok: true, ...result };
}

// ---------------------------------------------------------------------------------------------
// Bulk download

/**
 * All certificates issued in [from, to) to people of a unit's subtree, whatever their status
 * (the list in the ZIP states it), for the ZIP download. Null when the unit is outside `scope`.
 */
export async function certificatesForZip(scope: UnitFilter, unitCode: string, from: Date, to: Date) {
  const unit = await db.orgUnit.findFirst({ where: { AND: [{ code: unitCode }, scope] }, select: { id: true, code: true, path: true, nameVi: true } });
  if (!unit) return null;
  const rows = await db.certificate.findMany({
    where: { orgUnit: { path: subtreeOf(unit.path) }, issuedAt: { gte: from, lt: to } },
    orderBy: [{ unitName: "asc" }, { fullName: "asc" }, { id: "asc" }],
    take: ZIP_LIMIT + 1,
    select: recordSelect,
  });
  return { unit, certificates: rows.slice(0, ZIP_LIMIT), tooMany: rows.length > ZIP_LIMIT };
}

/** A file-name-safe ASCII form of a Vietnamese name: "Nguyễn Thị Ánh" → "Nguyen-Thi-Anh". */
export function asciiName(value: string): string {
  return (
    value
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "chung-nhan"
  );
}

// A spreadsheet would run a cell that starts with these as a formula.
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * A ZIP of the certificates' PDFs plus a list (danh-sach.csv), produced one PDF at a time as
 * the client reads, so memory stays flat however many certificates there are. PDFs are
 * already compressed: they are stored, not deflated again.
 */
export function zipCertificates(certificates: CertificateRecord[], origin: string): ReadableStream<Uint8Array> {
  let index = 0;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const zip = new Zip((err, chunk, final) => {
    if (err) return controller.error(err);
    controller.enqueue(chunk);
    if (final) controller.close();
  });
  const add = (name: string, bytes: Uint8Array) => {
    const file = new ZipPassThrough(name);
    file.mtime = new Date();
    zip.add(file);
    file.push(bytes, true);
  };
  const header = ["Mã chứng nhận", "Họ và tên", "Chức vụ", "Đơn vị", "Khoá học", "Ngày hoàn thành", "Giá trị đến", "Trạng thái", "Ngày thu hồi", "Tệp"];
  const now = new Date();
  const lines = [header.map(csvCell).join(",")];
  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    async pull() {
      if (index < certificates.length) {
        const cert = certificates[index++];
        const name = `${asciiName(cert.fullName)}_${groupCode(cert.code)}.pdf`;
        add(name, await renderCertificatePdf(cert, { origin }));
        lines.push(
          [
            groupCode(cert.code),
            cert.fullName,
            cert.position,
            cert.unitName,
            cert.courseTitle,
            formatDate(cert.completedAt),
            cert.expiresAt ? formatDate(cert.expiresAt) : NO_EXPIRY,
            STATUS_LABEL[statusOf(cert, now)],
            cert.revokedAt ? formatDate(cert.revokedAt) : "",
            name,
          ]
            .map(csvCell)
            .join(","),
        );
        return;
      }
      // The list opens correctly in Excel thanks to the byte-order mark.
      add("danh-sach.csv", strToU8(`\ufeff${lines.join("\r\n")}\r\n`));
      zip.end();
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Recertification

/**
 * Enrols again everyone whose certificate expires within `leadDays` (or has expired without a
 * renewal): a new cycle of the same course, origin "renewal", due when the certificate
 * expires. Running it again creates nothing new: the (user, course, cycle) key is unique.
 */
export async function createRenewals(now = new Date(), leadDays = env.RENEWAL_LEAD_DAYS): Promise<{ candidates: number; created: number }> {
  const horizon = new Date(now.getTime() + leadDays * 86_400_000);
  const expiring = await db.certificate.findMany({
    where: {
      status: "valid",
      expiresAt: { not: null, lte: horizon },
      user: { active: true },
      course: { publishedVersionId: { not: null } },
    },
    select: { expiresAt: true, userId: true, courseId: true, enrollment: { select: { cycle: true } } },
  });
  if (expiring.length === 0) return { candidates: 0, created: 0 };
  // The latest cycle per (user, course): only a certificate of the latest cycle needs renewing.
  const latest = await db.enrollment.groupBy({
    by: ["userId", "courseId"],
    where: { userId: { in: [...new Set(expiring.map((c) => c.userId))] }, courseId: { in: [...new Set(expiring.map((c) => c.courseId))] } },
    _max: { cycle: true },
  });
  const maxCycle = new Map(latest.map((l) => [`${l.userId}:${l.courseId}`, l._max.cycle ?? 0]));
  let created = 0;
  for (const cert of expiring) {
    if ((maxCycle.get(`${cert.userId}:${cert.courseId}`) ?? 0) > cert.enrollment.cycle) continue;
    try {
      await db.enrollment.create({
        data: { userId: cert.userId, courseId: cert.courseId, cycle: cert.enrollment.cycle + 1, origin: "renewal", dueAt: cert.expiresAt },
      });
      maxCycle.set(`${cert.userId}:${cert.courseId}`, cert.enrollment.cycle + 1);
      created++;
    } catch (e) {
      // Another run created it first.
      if ((e as { code?: string } | null)?.code !== "P2002") throw e;
    }
  }
  if (created > 0) await audit({ action: "certificate.renewals", detail: { created, leadDays } });
  return { candidates: expiring.length, created };
}

// ---------------------------------------------------------------------------------------------
// PDF

// The certificate is a Vietnamese administrative document: its wording is fixed here, in
// Vietnamese whatever the interface language, not taken from the translation files.
const NO_EXPIRY = "Không thời hạn";
const STATUS_LABEL: Record<CertificateStatus, string> = { valid: "Còn hiệu lực", expired: "Hết hạn", revoked: "Đã thu hồi", replaced: "Đã thay thế" };
const COLORS = { red: "#9b1c1c", gold: "#b08a3e", navy: "#1e3a8a", ink: "#1f2937", muted: "#4b5563", paper: "#fffdf7" };

type FontSource = Buffer | object;
type Fonts = { regular: FontSource; italic: FontSource; medium: FontSource; bold: FontSource };
let fonts: Fonts | undefined;

/**
 * pdfkit and qrcode are loaded on the first certificate, not at start-up: together they are
 * some 30 MB of memory that a server answering lesson pages never needs.
 */
type PdfLibraries = { PDFDocument: typeof import("pdfkit"); QRCode: typeof import("qrcode") };
let pdfLibraries: Promise<PdfLibraries> | undefined;
function loadPdfLibraries(): Promise<PdfLibraries> {
  pdfLibraries ??= Promise.all([import("pdfkit"), import("qrcode")]).then(([pdfkit, qrcode]) => ({
    PDFDocument: pdfkit.default,
    QRCode: qrcode.default,
  }));
  return pdfLibraries;
}

/**
 * Be Vietnam Pro, read and parsed once per process. pdfkit 0.20 accepts an already parsed
 * fontkit font, which makes each certificate several times faster than reparsing the TTF;
 * a throwaway document does the parsing, and the raw bytes are the fallback if that changes.
 */
function loadFonts(PDFDocument: PdfLibraries["PDFDocument"]): Fonts {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@expo-google-fonts/be-vietnam-pro/package.json"));
    const probe = new PDFDocument({ autoFirstPage: false });
    const parse = (name: string): FontSource => {
      const bytes = fs.readFileSync(path.join(dir, name, `BeVietnamPro_${name}.ttf`));
      probe.registerFont(name, bytes);
      const parsed = (probe.font(name) as unknown as { _font?: { font?: { layout?: unknown } } })._font?.font;
      return parsed && typeof parsed.layout === "function" ? parsed : bytes;
    };
    fonts = { regular: parse("400Regular"), italic: parse("400Regular_Italic"), medium: parse("500Medium"), bold: parse("700Bold") };
  }
  return fonts;
}

/** The public address of the verification page for a code, as printed and encoded in the QR. */
export function verifyUrl(code: string, origin: string): string {
  const base = (env.APP_URL ?? origin).replace(/\/+$/, "");
  return `${base}/verify/${groupCode(code)}`;
}

function vietnameseDateLine(date: Date): string {
  const [d, m, y] = formatDate(date).split("/");
  return `Ngày ${d} tháng ${m} năm ${y}`;
}

/**
 * The certificate as an A4 landscape PDF. A revoked or replaced certificate still renders, for
 * the record, but crossed by a large "ĐÃ THU HỒI" / "ĐÃ THAY THẾ" mark.
 */
export async function renderCertificatePdf(cert: CertificateRecord, options: { origin: string }): Promise<Buffer> {
  const { PDFDocument, QRCode } = await loadPdfLibraries();
  const f = loadFonts(PDFDocument);
  const url = verifyUrl(cert.code, options.origin);
  const qr = QRCode.create(url, { errorCorrectionLevel: "M" }).modules;
  const display = groupCode(cert.code);
  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 0,
    lang: "vi-VN",
    // Our own font from the start, so pdfkit does not parse its built-in Helvetica each time.
    font: f.regular as unknown as string,
    displayTitle: true,
    info: {
      Title: `Giấy chứng nhận ${display}`,
      Author: cert.issuer,
      Subject: `${cert.fullName} — ${cert.courseTitle}`,
      Creator: "Kỹ Năng Số",
      CreationDate: cert.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  for (const [name, src] of Object.entries(f)) doc.registerFont(name, src as Buffer);

  const W = doc.page.width;
  const H = doc.page.height;
  const cx = W / 2;

  // Paper, frame and corner ornaments.
  doc.rect(0, 0, W, H).fill(COLORS.paper);
  doc.lineWidth(4).strokeColor(COLORS.red).rect(18, 18, W - 36, H - 36).stroke();
  doc.lineWidth(0.8).strokeColor(COLORS.gold).rect(27, 27, W - 54, H - 54).stroke();
  doc.lineWidth(0.4).strokeColor(COLORS.gold).rect(31, 31, W - 62, H - 62).stroke();
  for (const [x, y] of [[27, 27], [W - 27, 27], [27, H - 27], [W - 27, H - 27]]) {
    doc.save().translate(x, y).rotate(45).rect(-6, -6, 12, 12).fill(COLORS.red).restore();
    doc.save().translate(x, y).rotate(45).rect(-2.5, -2.5, 5, 5).fill(COLORS.gold).restore();
  }

  // A faint five-pointed star behind the text.
  const star = (r: number) =>
    Array.from({ length: 10 }, (_, i) => {
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      const radius = i % 2 === 0 ? r : r * 0.382;
      return [cx + radius * Math.cos(a), H / 2 + 20 + radius * Math.sin(a)] as [number, number];
    });
  doc.save().polygon(...star(190)).fillOpacity(0.045).fill(COLORS.gold).restore();
  doc.save().lineWidth(1).circle(cx, H / 2 + 20, 205).strokeOpacity(0.12).stroke(COLORS.gold).restore();

  const centered = (text: string, y: number, font: string, size: number, color: string, opts: { x?: number; width?: number } = {}) => {
    const width = opts.width ?? W - 160;
    const x = opts.x !== undefined ? opts.x - width / 2 : cx - width / 2;
    doc.font(font).fontSize(size).fillColor(color).text(text, x, y, { width, align: "center", lineGap: 2 });
    return doc.y;
  };
  /** The largest size (down to `min`) at which the text fits on `lines` lines of `width`. */
  const fit = (text: string, font: string, size: number, min: number, width: number, lines = 1) => {
    doc.font(font);
    let s = size;
    while (s > min && doc.fontSize(s).heightOfString(text, { width, lineGap: 2 }) > lines * (doc.currentLineHeight(true) + 2) + 0.5) s -= 1;
    return s;
  };

  // Header: the issuing authority on the left, the national motto on the right.
  const leftX = 215;
  const rightX = W - 245;
  centered(cert.issuer.toUpperCase(), 52, "bold", 11.5, COLORS.ink, { x: leftX, width: 300 });
  const issuerBottom = doc.y;
  doc.lineWidth(0.8).strokeColor(COLORS.ink).moveTo(leftX - 35, issuerBottom + 3).lineTo(leftX + 35, issuerBottom + 3).stroke();
  centered(`Số: ${display}`, issuerBottom + 9, "regular", 9.5, COLORS.muted, { x: leftX, width: 300 });

  centered("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", 52, "bold", 11.5, COLORS.ink, { x: rightX, width: 380 });
  const motto = "Độc lập - Tự do - Hạnh phúc";
  centered(motto, doc.y, "bold", 12.5, COLORS.ink, { x: rightX, width: 380 });
  const mottoWidth = doc.font("bold").fontSize(12.5).widthOfString(motto);
  doc.lineWidth(0.8).strokeColor(COLORS.ink).moveTo(rightX - mottoWidth / 2, doc.y + 2).lineTo(rightX + mottoWidth / 2, doc.y + 2).stroke();

  // Title.
  centered("GIẤY CHỨNG NHẬN", 116, "bold", 40, COLORS.red);
  centered("HOÀN THÀNH KHOÁ BỒI DƯỠNG KỸ NĂNG SỐ", doc.y + 2, "medium", 13, COLORS.navy);
  const ruleY = doc.y + 10;
  doc.lineWidth(0.8).strokeColor(COLORS.gold).moveTo(cx - 150, ruleY).lineTo(cx - 10, ruleY).moveTo(cx + 10, ruleY).lineTo(cx + 150, ruleY).stroke();
  doc.save().translate(cx, ruleY).rotate(45).rect(-3.5, -3.5, 7, 7).fill(COLORS.gold).restore();

  // The holder.
  centered("Chứng nhận ông/bà", ruleY + 16, "italic", 13, COLORS.ink);
  const nameWidth = W - 200;
  centered(cert.fullName, doc.y + 2, "bold", fit(cert.fullName, "bold", 30, 16, nameWidth), COLORS.navy, { width: nameWidth });
  const where = [cert.position && `Chức vụ: ${cert.position}`, cert.unitName && `Đơn vị: ${cert.unitName}`].filter(Boolean).join("   ·   ");
  if (where) centered(where, doc.y + 4, "regular", fit(where, "regular", 12, 9, W - 180, 2), COLORS.ink, { width: W - 180 });

  // The course.
  centered("Đã hoàn thành chương trình bồi dưỡng", doc.y + 12, "italic", 13, COLORS.ink);
  const courseWidth = W - 220;
  centered(cert.courseTitle, doc.y + 3, "bold", fit(cert.courseTitle, "bold", 19, 11, courseWidth, 2), COLORS.ink, { width: courseWidth });
  const dates = `Ngày hoàn thành: ${formatDate(cert.completedAt)}        Giá trị đến: ${cert.expiresAt ? formatDate(cert.expiresAt) : NO_EXPIRY}`;
  centered(dates, doc.y + 10, "medium", 12, COLORS.ink);
  // Long unit names and course titles wrap; the date line of the signature block then moves
  // down rather than touching the dates (the signature space above the dotted line shrinks).
  const bodyBottom = doc.y;

  // Footer left: the QR code and how to verify.
  const qrSize = 84;
  const qrX = 62;
  const qrY = H - 62 - qrSize;
  doc.rect(qrX - 4, qrY - 4, qrSize + 8, qrSize + 8).fill("#ffffff");
  // Drawn as vector squares (runs of dark modules per row): sharp at any print size, and
  // several times faster than encoding a PNG and having pdfkit decode it again.
  const cell = qrSize / qr.size;
  for (let y = 0; y < qr.size; y++) {
    for (let x = 0; x < qr.size; x++) {
      if (!qr.get(y, x)) continue;
      let run = 1;
      while (x + run < qr.size && qr.get(y, x + run)) run++;
      doc.rect(qrX + x * cell, qrY + y * cell, run * cell + 0.05, cell + 0.05);
      x += run - 1;
    }
  }
  doc.fill("#111827");
  const textX = qrX + qrSize + 14;
  const textW = 240;
  doc.font("medium").fontSize(9.5).fillColor(COLORS.ink).text("Xác thực giấy chứng nhận", textX, qrY + 4, { width: textW });
  doc.font("regular").fontSize(8.5).fillColor(COLORS.muted).text("Quét mã QR hoặc nhập mã tại", textX, doc.y + 2, { width: textW });
  doc.font("regular").fontSize(8.5).fillColor(COLORS.navy).text(url.replace(/\/verify\/.*$/, "/verify"), textX, doc.y + 1, { width: textW });
  doc.font("regular").fontSize(8.5).fillColor(COLORS.muted).text("Mã xác thực:", textX, doc.y + 6, { width: textW });
  doc.font("bold").fontSize(10).fillColor(COLORS.ink).text(display, textX, doc.y + 1, { width: textW });

  // Footer right: date, signature line and the issuing authority.
  const signX = W - 215;
  const signW = 300;
  centered(vietnameseDateLine(cert.issuedAt), Math.max(H - 178, bodyBottom + 8), "italic", 11.5, COLORS.ink, { x: signX, width: signW });
  centered("THỦ TRƯỞNG CƠ QUAN", doc.y + 3, "bold", 11.5, COLORS.ink, { x: signX, width: signW });
  centered("(Ký, ghi rõ họ tên và đóng dấu)", doc.y, "italic", 9, COLORS.muted, { x: signX, width: signW });
  const lineY = H - 82;
  doc.lineWidth(0.6).strokeColor(COLORS.muted).dash(2, { space: 2 }).moveTo(signX - 100, lineY).lineTo(signX + 100, lineY).stroke().undash();
  centered(cert.issuer, lineY + 6, "bold", 11, COLORS.navy, { x: signX, width: signW });

  const status = statusOf(cert);
  if (status === "revoked" || status === "replaced") {
    const mark = status === "revoked" ? "ĐÃ THU HỒI" : "ĐÃ THAY THẾ";
    doc.save().rotate(-22, { origin: [cx, H / 2] });
    doc.font("bold").fontSize(96).fillColor(COLORS.red, 0.28).text(mark, 0, H / 2 - 60, { width: W, align: "center", lineBreak: false });
    doc.lineWidth(6).strokeColor(COLORS.red, 0.28).rect(cx - 330, H / 2 - 75, 660, 140).stroke();
    doc.restore();
  }

  doc.end();
  return done;
}

/** The PDF as a download; the request's origin is the QR link's base when APP_URL is unset. */
export async function certificatePdfResponse(cert: CertificateRecord, request: Request): Promise<Response> {
  const pdf = await renderCertificatePdf(cert, { origin: new URL(request.url).origin });
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${groupCode(cert.code)}.pdf"`,
      "Content-Length": String(pdf.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Midnight in Vietnam at the start of a yyyy-mm-dd day, or null when it is not a real date. */
export function vnDayStart(value: string): Date | null {
  if (!DAY.test(value)) return null;
  const date = new Date(`${value}T00:00:00+07:00`);
  if (Number.isNaN(date.getTime()) || formatDate(date) !== value.split("-").reverse().join("/")) return null;
  return date;
}

export type Period = { from: Date | null; to: Date | null; error: "periodInvalid" | null };

/** An inclusive day range from a form (either end may be empty) as [from, to) instants. */
export function parsePeriod(fromInput: string, toInput: string): Period {
  const from = fromInput ? vnDayStart(fromInput) : null;
  const toDay = toInput ? vnDayStart(toInput) : null;
  const to = toDay ? new Date(toDay.getTime() + 86_400_000) : null;
  if ((fromInput && !from) || (toInput && !toDay) || (from && to && to <= from)) return { from: null, to: null, error: "periodInvalid" };
  return { from, to, error: null };
}
