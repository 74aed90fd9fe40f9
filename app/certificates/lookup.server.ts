// Looking certificates up: a learner's own, HR's search, one by any spelling of its code; each
// with what it means today.
import { groupCode, normalizeCode } from "~/utils/certificates";
import type { UnitFilter } from "~/utils/org-units";
import { certificateByCode, certificatePage, userCertificates, userCertificateByCode, type CertificateRecord } from "~/certificates/certificates.data.server";

export type CertificateStatus = "valid" | "expired" | "revoked" | "replaced";

/** What a certificate means today: the stored status, with expiry computed at read time. */
export function statusOf(cert: { status: string; expiresAt: Date | null }, now = new Date()): CertificateStatus {
  if (cert.status === "revoked") return "revoked";
  if (cert.status === "replaced") return "replaced";
  if (cert.expiresAt && cert.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}

/** The learner's own certificates, newest first. */
export async function myCertificates(userId: number, now = new Date()) {
  const rows = await userCertificates(userId);
  return rows.map((r) => ({ ...r, display: groupCode(r.code), state: statusOf(r, now) }));
}

/** The learner's current certificate for a course (valid, else the newest), for a link after passing; null if none. */
export async function myCertificateForCourse(userId: number, courseSlug: string) {
  const mine = (await myCertificates(userId)).filter((c) => c.course.slug === courseSlug);
  const chosen = mine.find((c) => c.state === "valid") ?? mine[0];
  return chosen ? { display: chosen.display, state: chosen.state } : null;
}

/** A learner's certificate by any spelling of its code, or null (the caller answers 404). */
export async function certificateOfUser(userId: number, input: string): Promise<CertificateRecord | null> {
  const code = normalizeCode(input);
  if (!code) return null;
  return userCertificateByCode(userId, code);
}

/** A certificate with the unit that decides who may manage it. */
export async function findCertificate(input: string) {
  const code = normalizeCode(input);
  if (!code) return null;
  return certificateByCode(code);
}

export type CertificateSearch = { q: string; unitPath: string | null; from: Date | null; to: Date | null };

/** Certificates within `scope` matching a name or code, a unit subtree and an issue period. */
export async function searchCertificates(scope: UnitFilter, search: CertificateSearch, now = new Date()) {
  const q = search.q.trim().normalize("NFC");
  const code = q ? normalizeCode(q) : null;
  const { rows, total } = await certificatePage(scope, { ...search, q, code });
  return { total, rows: rows.map((r) => ({ ...r, display: groupCode(r.code), state: statusOf(r, now) })) };
}
