// Everything the system keeps about one person, gathered for them to see and download (the
// right of access under the personal data law). Secrets are named, never shown: password and
// second-factor material, session keys.
import { db } from "~/platform/db.server";

export async function personalData(userId: number) {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      fullName: true,
      email: true,
      employeeCode: true,
      position: true,
      nationalId: true,
      birthDate: true,
      locale: true,
      active: true,
      createdAt: true,
      activatedAt: true,
      lockedAt: true,
      passwordHash: true,
      orgUnit: { select: { code: true, nameVi: true } },
      roles: { select: { role: true, orgUnit: { select: { code: true } } } },
      totp: { select: { confirmedAt: true } },
      passkeys: { select: { createdAt: true } },
    },
  });
  const [enrolments, certificates, sessions, events, mail] = await Promise.all([
    db.enrollment.findMany({
      where: { userId },
      orderBy: { createdAt: "asc" },
      select: {
        cycle: true,
        origin: true,
        createdAt: true,
        dueAt: true,
        completedAt: true,
        exemptAt: true,
        exemptReason: true,
        course: { select: { slug: true, title: true } },
        completions: { select: { completedAt: true } },
        attempts: {
          orderBy: { number: "asc" },
          select: {
            number: true,
            startedAt: true,
            submittedAt: true,
            score: true,
            passed: true,
          },
        },
      },
    }),
    db.certificate.findMany({
      where: { userId },
      orderBy: { issuedAt: "asc" },
      select: {
        code: true,
        courseTitle: true,
        fullName: true,
        position: true,
        unitName: true,
        issuedAt: true,
        expiresAt: true,
        status: true,
      },
    }),
    db.session.count({ where: { userId } }),
    db.auditEvent.findMany({
      where: { actorId: userId },
      orderBy: { at: "desc" },
      take: 200,
      select: { at: true, action: true, outcome: true, ip: true },
    }),
    db.outboxMail.findMany({
      where: { to: user.email },
      orderBy: { createdAt: "desc" },
      take: 100,
      select: { createdAt: true, subject: true, sentAt: true },
    }),
  ]);
  const { passwordHash, totp, passkeys, ...profile } = user;
  return {
    profile: {
      ...profile,
      roles: user.roles.map((r) => ({ role: r.role, unit: r.orgUnit.code })),
    },
    signIn: {
      password: passwordHash !== null,
      authenticatorApp: totp?.confirmedAt ?? null,
      passkeys: passkeys.map((p) => p.createdAt),
      openSessions: sessions,
    },
    learning: enrolments.map((e) => ({
      ...e,
      course: e.course.title,
      courseSlug: e.course.slug,
      lessonsCompleted: e.completions.length,
      completions: undefined,
    })),
    certificates,
    mail,
    activity: events,
  };
}
export type PersonalData = Awaited<ReturnType<typeof personalData>>;
