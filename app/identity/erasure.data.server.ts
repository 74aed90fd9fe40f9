// Erasing a departed person's personal data, in one transaction: identifying fields become a
// pseudonym or nothing, sign-in material and mail to them go, and free text that repeats their
// identifiers (audit details, reasons) has them blanked. Enrolments, results and certificates
// stay, so every figure stays what it was and certificates stay verifiable.
import { db } from "~/platform/db.server";

export const ERASED_MARK = "[đã xóa]";
export const pseudonymOf = (id: number) => `Người đã xóa dữ liệu #${id}`;

export async function eraseUserData(id: number, now: Date): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const old = await tx.user.findUnique({ where: { id }, select: { fullName: true, email: true, employeeCode: true, nationalId: true, erasedAt: true } });
    if (!old || old.erasedAt) return false;
    const pseudonym = pseudonymOf(id);
    await tx.user.update({
      where: { id },
      data: { fullName: pseudonym, email: `da-xoa-${id}@erased.invalid`, employeeCode: null, nationalId: null, birthDate: null, position: "", passwordHash: null, locale: null, erasedAt: now, lockedAt: now },
    });
    for (const model of [tx.session, tx.accountToken, tx.totpFactor, tx.recoveryCode, tx.passkey, tx.authChallenge, tx.roleAssignment] as unknown as { deleteMany(a: { where: { userId: number } }): Promise<unknown> }[]) {
      await model.deleteMany({ where: { userId: id } });
    }
    await tx.certificate.updateMany({ where: { userId: id }, data: { fullName: pseudonym, position: "" } });
    await tx.outboxMail.deleteMany({ where: { to: old.email } });
    // Sign-in counters are keyed by the address typed.
    await tx.rateLimiterFlexible.deleteMany({ where: { key: { contains: old.email } } });
    // Identifiers repeated in free text; values are parameters, never spliced into the SQL.
    for (const value of [old.email, old.fullName, old.employeeCode, old.nationalId].filter((v): v is string => Boolean(v && v.length >= 3))) {
      const like = `%${value}%`;
      await tx.$executeRaw`UPDATE "AuditEvent" SET "detail" = REPLACE("detail", ${value}, ${ERASED_MARK}) WHERE "detail" LIKE ${like}`;
      await tx.$executeRaw`UPDATE "AuditEvent" SET "targetId" = ${ERASED_MARK} WHERE "targetId" = ${value}`;
      await tx.$executeRaw`UPDATE "Enrollment" SET "exemptReason" = REPLACE("exemptReason", ${value}, ${ERASED_MARK}) WHERE "exemptReason" LIKE ${like}`;
      await tx.$executeRaw`UPDATE "Enrollment" SET "dueReason" = REPLACE("dueReason", ${value}, ${ERASED_MARK}) WHERE "dueReason" LIKE ${like}`;
      await tx.$executeRaw`UPDATE "QuizAttempt" SET "overrideReason" = REPLACE("overrideReason", ${value}, ${ERASED_MARK}) WHERE "overrideReason" LIKE ${like}`;
    }
    return true;
  });
}
