// Issuing: one certificate per completed enrolment, and the renewal cycle before it expires.
import crypto from "node:crypto";
import { codeFromBytes } from "~/utils/certificates";
import { addMonths, DAY_MS } from "~/utils/vietnam-time";
import { audit } from "~/platform/audit.server";
import { env, publicOrigin } from "~/platform/env.server";
import { queueMail, type Mail } from "~/platform/mail.server";
import { getT, INTL_LOCALE, isLang, type Lang } from "~/utils/i18n";
import { createCertificateOnce, createRenewalEnrollment, enrollmentToCertify, expiringCertificates, latestCycles } from "~/certificates/certificates.data.server";

type Actor = { userId: number | null; ip?: string | null };

/** Tells the holder that their certificate expires and the course is open to take again. */
function renewalMail(cert: { expiresAt: Date | null; user: { email: string; fullName: string; locale: string | null }; course: { slug: string; title: string; titleEn: string } }): Mail {
  const lang: Lang = isLang(cert.user.locale) ? cert.user.locale : "vi";
  const t = getT(lang);
  const course = lang === "en" && cert.course.titleEn ? cert.course.titleEn : cert.course.title;
  const due = new Intl.DateTimeFormat(INTL_LOCALE[lang], { timeZone: "Asia/Ho_Chi_Minh" }).format(cert.expiresAt ?? new Date());
  const text = [
    t("reminderMail.greeting", { name: cert.user.fullName }),
    "",
    t("reminderMail.renewal", { course, due }),
    "",
    t("reminderMail.link", { url: `${publicOrigin()}/courses/${cert.course.slug}` }),
    "",
    t("app.name"),
  ].join("\n");
  return { to: cert.user.email, subject: t("reminderMail.subjectRenewal", { course }), text };
}

export function newCode(): string {
  return codeFromBytes(crypto.randomBytes(20));
}

/**
 * Issues the certificate of a completed enrolment, exactly once: a second call (or a second
 * server doing the same) returns the existing one. Name, position, unit and course title are
 * copied now, so the certificate states what was true when it was earned.
 */
export async function issueCertificate(enrollmentId: number, ctx: Actor): Promise<{ id: number; code: string; created: boolean }> {
  const e = await enrollmentToCertify(enrollmentId);
  if (!e.completedAt) throw new Error(`enrolment ${enrollmentId} is not complete`);
  const completedAt = e.completedAt;
  const validityMonths = e.course.publishedVersion?.validityMonths ?? 0;
  const result = await createCertificateOnce(enrollmentId, {
    code: newCode(),
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

/**
 * Enrols again everyone whose certificate expires within `leadDays` (or has expired without a
 * renewal): a new cycle of the same course, origin "renewal", due when the certificate
 * expires. Running it again creates nothing new: the (user, course, cycle) key is unique.
 */
export async function createRenewals(now = new Date(), leadDays = env.RENEWAL_LEAD_DAYS): Promise<{ candidates: number; created: number }> {
  const expiring = await expiringCertificates(new Date(now.getTime() + leadDays * DAY_MS));
  if (expiring.length === 0) return { candidates: 0, created: 0 };
  // The latest cycle per (user, course): only a certificate of the latest cycle needs renewing.
  const latest = await latestCycles([...new Set(expiring.map((c) => c.userId))], [...new Set(expiring.map((c) => c.courseId))]);
  const maxCycle = new Map(latest.map((l) => [`${l.userId}:${l.courseId}`, l._max.cycle ?? 0]));
  let created = 0;
  const mails: Mail[] = [];
  for (const cert of expiring) {
    if ((maxCycle.get(`${cert.userId}:${cert.courseId}`) ?? 0) > cert.enrollment.cycle) continue;
    const cycle = cert.enrollment.cycle + 1;
    if (!(await createRenewalEnrollment({ userId: cert.userId, courseId: cert.courseId, cycle, dueAt: cert.expiresAt }))) continue;
    maxCycle.set(`${cert.userId}:${cert.courseId}`, cycle);
    created++;
    // Only the run that created the renewal mails it, so each person is told once.
    mails.push(renewalMail(cert));
  }
  await queueMail(mails, now);
  if (created > 0) await audit({ action: "certificate.renewals", detail: { created, leadDays } });
  return { candidates: expiring.length, created };
}
