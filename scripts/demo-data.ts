// Demo data for trying the product: one real province, its departments, ~300 staff and the
// four demo accounts. Only the demo set-up calls this; production never does.
import fs from "node:fs";
import { db } from "~/platform/db.server";
import { hashPassword } from "~/identity/auth.server";
import { childPath } from "~/hr/org-units.data.server";
import { importOfficialUnits } from "~/hr/org-units.server";
import { createAssignment, sendReminders } from "~/hr/assignments.server";
import { issueCertificate } from "~/certificates/issue.server";
import { createClass, recordAttendance } from "~/hr/classes.data.server";
import { refreshClassCredit } from "~/hr/class-credit.data.server";

export const DEMO_PASSWORD = "KyNangSo@2026";
export const DEMO_PROVINCE = "15";

const DEPARTMENTS: [string, string, string][] = [
  ["VP", "Văn phòng Ủy ban nhân dân tỉnh", "Office of the Provincial People's Committee"],
  ["SNV", "Sở Nội vụ", "Department of Home Affairs"],
  ["STC", "Sở Tài chính", "Department of Finance"],
  ["STP", "Sở Tư pháp", "Department of Justice"],
  ["SKHCN", "Sở Khoa học và Công nghệ", "Department of Science and Technology"],
  ["SYT", "Sở Y tế", "Department of Health"],
  ["SGDDT", "Sở Giáo dục và Đào tạo", "Department of Education and Training"],
  ["SXD", "Sở Xây dựng", "Department of Construction"],
  ["SNNMT", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment"],
  ["SCT", "Sở Công Thương", "Department of Industry and Trade"],
  ["TTHCC", "Trung tâm Phục vụ hành chính công tỉnh", "Provincial Public Administration Service Centre"],
];

const SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Giàng", "Lò", "Vàng", "Hà", "Triệu", "Nông", "Sùng"];
const MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Kim"];
const MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Công", "Thành"];
const GIVEN_F = ["Lan", "Hương", "Mai", "Hoa", "Thảo", "Trang", "Linh", "Ngọc", "Huyền", "Dung", "Hạnh", "Yến", "Nhung", "Vân", "Hà", "Phượng"];
const GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Sơn", "Hải", "Long", "Cường", "Thắng", "Phong", "Quân", "Trung", "Khánh", "Tài", "Vinh"];

const DEPT_POSITIONS = ["Giám đốc", "Phó Giám đốc", "Trưởng phòng", "Phó Trưởng phòng", "Chuyên viên", "Chuyên viên", "Chuyên viên chính", "Chuyên viên", "Văn thư", "Kế toán"];
const COMMUNE_POSITIONS = [
  "Chủ tịch Ủy ban nhân dân",
  "Phó Chủ tịch Ủy ban nhân dân",
  "Công chức Văn phòng - Thống kê",
  "Công chức Tư pháp - Hộ tịch",
  "Công chức Tài chính - Kế toán",
  "Công chức Địa chính - Xây dựng",
  "Công chức Văn hóa - Xã hội",
  "Viên chức Bộ phận Một cửa",
];

// A small deterministic generator, so every demo database has the same people.
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** The demo's administrator: a database with people but without this account is not a demo. */
const DEMO_MARKER_EMAIL = "quantri@kynangso.vn";

/** Refused: the database already holds real people (see loadDemoData). */
export class DemoRefused extends Error {}

export async function loadDemoData(log: (line: string) => void = () => {}) {
  // Demo accounts have a published password and the demo sends reminders: never into a
  // database that holds anyone but the demo's own people, whatever NODE_ENV says.
  if ((await db.user.count()) > 0 && !(await db.user.findUnique({ where: { email: DEMO_MARKER_EMAIL }, select: { id: true } }))) {
    throw new DemoRefused("the database already holds people who are not demo data");
  }
  const units = JSON.parse(fs.readFileSync(new URL("../prisma/demo/lao-cai-units.json", import.meta.url), "utf8"));
  const imported = await importOfficialUnits(units);
  log(`units: ${imported.created} created, ${imported.updated} updated, ${imported.unchanged} unchanged`);

  const province = await db.orgUnit.findUniqueOrThrow({ where: { code: DEMO_PROVINCE } });
  for (const [suffix, nameVi, nameEn] of DEPARTMENTS) {
    const code = `${DEMO_PROVINCE}.${suffix}`;
    await db.orgUnit.upsert({
      where: { code },
      create: {
        code,
        kind: "agency",
        unitType: suffix === "VP" || suffix === "TTHCC" ? "Cơ quan" : "Sở",
        nameVi,
        nameEn,
        parentId: province.id,
        path: childPath(province.path, code),
        depth: province.depth + 1,
        approvedHeadcount: 18,
      },
      update: {},
    });
  }

  const next = random(2026);
  const pick = <T,>(list: T[]) => list[Math.floor(next() * list.length)];
  const communes = await db.orgUnit.findMany({ where: { parentId: province.id, kind: "commune" }, orderBy: { code: "asc" } });
  const departments = await db.orgUnit.findMany({ where: { parentId: province.id, kind: "agency" }, orderBy: { code: "asc" } });
  type Person = { unitId: number; position: string };
  const people: Person[] = [];
  for (const d of departments) {
    const n = 12 + Math.floor(next() * 6);
    for (let i = 0; i < n; i++) people.push({ unitId: d.id, position: i < DEPT_POSITIONS.length ? DEPT_POSITIONS[i] : "Chuyên viên" });
  }
  for (const c of communes.slice(0, 40)) {
    for (const position of COMMUNE_POSITIONS.slice(0, 3 + Math.floor(next() * 3))) people.push({ unitId: c.id, position });
  }
  for (const c of communes) {
    await db.orgUnit.update({ where: { id: c.id }, data: { approvedHeadcount: 22 } });
  }

  let created = 0;
  for (const [i, p] of people.entries()) {
    const female = next() < 0.5;
    const fullName = `${pick(SURNAMES)} ${pick(female ? MIDDLE_F : MIDDLE_M)} ${pick(female ? GIVEN_F : GIVEN_M)}`;
    const employeeCode = `LC${String(i + 1).padStart(5, "0")}`;
    const email = `cb${String(i + 1).padStart(5, "0")}@laocai.gov.vn`;
    const exists = await db.user.findUnique({ where: { employeeCode }, select: { id: true } });
    if (exists) continue;
    const year = 1968 + Math.floor(next() * 32);
    await db.user.create({
      data: {
        employeeCode,
        email,
        fullName,
        position: p.position,
        orgUnitId: p.unitId,
        birthDate: new Date(Date.UTC(year, Math.floor(next() * 12), 1 + Math.floor(next() * 28))),
      },
    });
    created++;
  }
  log(`staff: ${created} created (${people.length} in the demo roster)`);

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const snv = departments.find((d) => d.code === `${DEMO_PROVINCE}.SNV`)!;
  const ward = communes[0];
  const accounts = [
    { email: "hocvien@kynangso.vn", fullName: "Nguyễn Thị Hồng Nhung", position: "Công chức Văn phòng - Thống kê", unit: ward, employeeCode: "LC90001", roles: [] as string[] },
    { email: "giangvien@kynangso.vn", fullName: "Trần Minh Đức", position: "Chuyên viên chính", unit: snv, employeeCode: "LC90002", roles: ["trainer"] },
    { email: "nhansu@kynangso.vn", fullName: "Lê Thu Hà", position: "Trưởng phòng Tổ chức cán bộ", unit: snv, employeeCode: "LC90003", roles: ["hr"] },
    { email: "quantri@kynangso.vn", fullName: "Phạm Quang Huy", position: "Chuyên viên công nghệ thông tin", unit: snv, employeeCode: "LC90004", roles: ["admin"] },
  ];
  for (const a of accounts) {
    const user = await db.user.upsert({
      where: { email: a.email },
      create: { email: a.email, fullName: a.fullName, position: a.position, orgUnitId: a.unit.id, employeeCode: a.employeeCode, passwordHash, activatedAt: new Date(), secondFactorExempt: true },
      update: { passwordHash, active: true, lockedAt: null, secondFactorExempt: true },
    });
    for (const role of a.roles) {
      await db.roleAssignment.upsert({
        where: { userId_role_orgUnitId: { userId: user.id, role, orgUnitId: province.id } },
        create: { userId: user.id, role, orgUnitId: province.id },
        update: {},
      });
    }
  }
  log(`demo accounts: ${accounts.map((a) => a.email).join(", ")} (password ${DEMO_PASSWORD})`);
  await loadDemoLearning(province, next, log);
  // The reminders due for this history, so the outbox shows real mail. The demo's addresses are
  // invented, so the command line runs this without SMTP_URL: the mail is only recorded.
  const reminders = await sendReminders();
  log(`reminders: ${reminders.dueSoon} due soon, ${reminders.overdue} overdue (outbox: /hr/outbox)`);
}

/**
 * A plausible training history, so the reports have something to show: two mandatory courses
 * (one already overdue for commune leaders) and self-enrolments, some completed with
 * certificates. Runs once: skipped when assignments already exist.
 */
async function loadDemoLearning(province: { id: number; path: string }, next: () => number, log: (line: string) => void) {
  if (await db.trainingAssignment.count()) return;
  const courses = await db.course.findMany({ where: { publishedVersionId: { not: null } }, include: { publishedVersion: { include: { lessons: true } } } });
  const security = courses.find((c) => c.slug === "an-toan-thong-tin");
  const egov = courses.find((c) => c.slug === "dich-vu-cong-truc-tuyen");
  if (!security || !egov) {
    log("learning history: skipped (run content-sync first)");
    return;
  }
  const hr = await db.user.findUniqueOrThrow({ where: { email: "nhansu@kynangso.vn" } });
  const day = 86_400_000;
  await createAssignment({ courseId: security.id, orgUnit: province, positions: [], dueAt: new Date(Date.now() + 45 * day), recurrence: "yearly", reminderDays: 14, acceptsClasses: true }, hr, "demo");
  // Every civil servant of the province owes four hours of digital-skills training a year.
  await db.trainingHoursRule.upsert({ where: { orgUnitId_position: { orgUnitId: province.id, position: "" } }, create: { orgUnitId: province.id, position: "", hours: 4 }, update: {} });
  await createAssignment({ courseId: egov.id, orgUnit: province, positions: ["Chủ tịch", "Bộ phận Một cửa"], dueAt: new Date(Date.now() - 10 * day), recurrence: "none", reminderDays: 7 }, hr, "demo");
  const demoEmails = ["hocvien@kynangso.vn", "giangvien@kynangso.vn", "nhansu@kynangso.vn", "quantri@kynangso.vn"];
  const enrolments = await db.enrollment.findMany({ where: { user: { email: { notIn: demoEmails } } }, include: { course: { include: { publishedVersion: { include: { lessons: true } } } } } });
  let completed = 0;
  let failed = 0;
  // The attempts' questions and answers, so that the trainer's question statistics have figures:
  // a random generator of their own, so the rest of the demo data stays as it was.
  const answerRng = random(7);
  const banks = new Map<number, { id: number; choices: { id: string; correct: boolean }[] }[]>();
  const drawn = async (versionId: number, size: number, correctCount: number) => {
    if (!banks.has(versionId)) {
      const rows = await db.versionQuestion.findMany({ where: { versionId }, select: { id: true, choices: true }, orderBy: { id: "asc" } });
      banks.set(versionId, rows.map((q) => ({ id: q.id, choices: JSON.parse(q.choices) as { id: string; correct: boolean }[] })));
    }
    const bank = banks.get(versionId)!;
    const byKey = <T,>(items: T[], key: (item: T, i: number) => number) =>
      items.map((item, i) => ({ item, key: key(item, i) })).sort((a, b) => a.key - b.key).map((x) => x.item);
    const questions = byKey(bank, () => answerRng()).slice(0, size);
    // Earlier questions of the bank are the easier ones (with some noise): the learner gets those right.
    const easiest = byKey(questions, (q) => bank.indexOf(q) + answerRng() * 6);
    const right = new Set(easiest.slice(0, correctCount).map((q) => q.id));
    return questions.map((q, i) => {
      const ok = right.has(q.id);
      const wrong = q.choices.filter((c) => !c.correct);
      const answer = ok ? q.choices.filter((c) => c.correct).map((c) => c.id) : [wrong[Math.floor(answerRng() * wrong.length)]?.id ?? q.choices[0].id];
      return { position: i + 1, questionId: q.id, choiceOrder: JSON.stringify(q.choices.map((c) => c.id)), answer: JSON.stringify(answer.sort()), correct: ok };
    });
  };
  for (const e of enrolments) {
    const lessons = e.course.publishedVersion!.lessons;
    const roll = next();
    const done = roll < 0.45 ? lessons.length : roll < 0.75 ? Math.floor(next() * lessons.length) : 0;
    for (const l of lessons.slice(0, done)) await db.lessonCompletion.create({ data: { enrollmentId: e.id, lessonId: l.lessonId } });
    if (done === lessons.length) {
      const v = e.course.publishedVersion!;
      const finished = new Date(Date.now() - Math.floor(next() * 60) * day);
      // Enrolled two weeks before finishing, so records and the monthly trend read as history.
      await db.enrollment.update({ where: { id: e.id }, data: { createdAt: new Date(finished.getTime() - 14 * day) } });
      if (e.id % 9 === 0) {
        // Some learners failed their first attempt and have not retaken it yet: what HR sees on
        // a person's page, and may correct when a question or the connection was at fault.
        const correctCount = Math.floor(v.quizSize * 0.4);
        await db.quizAttempt.create({
          data: { enrollmentId: e.id, versionId: v.id, number: 1, status: "submitted", startedAt: finished, submittedAt: finished, questionCount: v.quizSize, correctCount, score: Math.round((100 * correctCount) / v.quizSize), passed: false,
            questions: { create: await drawn(v.id, v.quizSize, correctCount) } },
        });
        failed++;
        continue;
      }
      await db.quizAttempt.create({
        data: { enrollmentId: e.id, versionId: v.id, number: 1, status: "submitted", startedAt: finished, submittedAt: finished, questionCount: v.quizSize, correctCount: v.quizSize - 1, score: Math.round((100 * (v.quizSize - 1)) / v.quizSize), passed: true,
          questions: { create: await drawn(v.id, v.quizSize, v.quizSize - 1) } },
      });
      await db.enrollment.update({ where: { id: e.id }, data: { completedAt: finished } });
      await issueCertificate(e.id, { userId: e.userId, ip: "demo" });
      completed++;
    }
  }
  log(`learning history: ${enrolments.length} enrolments, ${completed} completed with certificates, ${failed} failed the quiz once`);
  await demoClass(security.id, hr.id, demoEmails, log);
}

/**
 * An in-person class held three weeks ago for the commune with the most people yet to finish the
 * security course: those who completed it count for the yearly assignment, which accepts classes.
 */
async function demoClass(courseId: number, hrId: number, demoEmails: string[], log: (line: string) => void) {
  const open = await db.enrollment.findMany({
    where: { courseId, completedAt: null, user: { email: { notIn: demoEmails }, orgUnit: { kind: "commune" } } },
    select: { userId: true, user: { select: { orgUnitId: true } } },
    orderBy: { userId: "asc" },
  });
  const byUnit = new Map<number, number[]>();
  for (const e of open) byUnit.set(e.user.orgUnitId, [...(byUnit.get(e.user.orgUnitId) ?? []), e.userId]);
  const [unitId, people] = [...byUnit.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? [];
  if (!unitId || !people) return;
  const ended = new Date(Date.now() - 21 * 86_400_000);
  const { id } = await createClass(
    {
      title: "Tập huấn an toàn thông tin cho cán bộ, công chức cấp xã",
      provider: "Sở Khoa học và Công nghệ tỉnh Lào Cai",
      startsOn: new Date(ended.getTime() - 86_400_000),
      endsOn: ended,
      minutes: 420,
      category: "security",
      orgUnitId: unitId,
    },
    hrId,
  );
  const results = people.map((userId, i) => ({ userId, result: i === 0 ? "absent" : i === 1 ? "failed" : "completed" }));
  await recordAttendance(id, results);
  const { credited } = await refreshClassCredit({ userIds: people });
  log(`in-person class: ${results.length} attendees, ${credited} of them now count for the security assignment`);
}
