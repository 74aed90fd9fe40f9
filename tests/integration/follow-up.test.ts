// Follow-up by name (/hr/progress), what HR does for one person (remind, extend, exempt, an extra
// attempt or extra time), the life of an assignment (edit, cancel), and the figures that follow
// from it: coverage, the monthly trend, reminders. On a known set of people, over real HTTP.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRenewals } from "~/certificates/issue.server";
import { getPublishedCourse } from "~/content/catalog.data.server";
import { syncContent } from "~/content/content-sync.server";
import { createAssignment, sendReminders } from "~/hr/assignments.server";
import { completionTrend, coverageByOrgUnit } from "~/hr/coverage.server";
import { readTable } from "~/hr/spreadsheet.server";
import { courseAndEnrollmentBySlug } from "~/learning/enrollments.data.server";
import { startAttempt } from "~/learning/quiz.server";
import { db } from "~/platform/db.server";
import { createUnit, createUser, PASSWORD } from "../support/factories";
import { Client, signedInClient } from "../support/http";
import { startServer, type RunningServer } from "../support/server";
import { startSmtpServer } from "../support/smtp";

const DAY = 86_400_000;
const run = promisify(execFile);
let server: RunningServer;
let courseId: number;
let assignmentId: number;
const people: Record<string, { id: number; enrolment: number }> = {};
let units: Record<string, Awaited<ReturnType<typeof createUnit>>>;

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

const list = (client: Client, query: Record<string, string>) => client.get(`/hr/progress?${new URLSearchParams({ unit: "P1", course: String(courseId), ...query })}`);
const enrolmentOf = (key: string) => db.enrollment.findUniqueOrThrow({ where: { id: people[key].enrolment } });

beforeAll(async () => {
  const p1 = await createUnit("P1", undefined, "province");
  const c1 = await createUnit("P1C1", p1, "commune");
  const c2 = await createUnit("P1C2", p1, "commune");
  const snv = await createUnit("P1.SNV", p1, "agency");
  const p2 = await createUnit("P2", undefined, "province");
  const p2c1 = await createUnit("P2C1", p2, "commune");
  units = { p1, c1, c2, snv, p2, p2c1 };
  await createUser("nhansu@p1.vn", snv, [{ role: "hr", unit: p1 }]);
  await createUser("nhansu-xa@p1.vn", c1, [{ role: "hr", unit: c1 }]);
  await createUser("quantri@p1.vn", snv, [{ role: "admin", unit: p1 }]);
  await createUser("nhansu@p2.vn", p2c1, [{ role: "hr", unit: p2 }]);
  await createUser("giangvien@p1.vn", snv, [{ role: "trainer", unit: p1 }]);
  await syncContent("tests/fixtures/content");
  const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" }, include: { lessons: { orderBy: { position: "asc" } } } });
  courseId = course.id;
  const names: [string, string, { id: number }][] = [
    ["an", "Nguyễn Văn An", c1],
    ["binh", "Trần Thị Bình", c1],
    ["cuc", "Lê Thị Cúc", c1],
    ["dung", "Phạm Văn Dũng", c2],
    ["em", "Hoàng Thị Em", c2],
  ];
  for (const [key, fullName, unit] of names) {
    const u = await createUser(`${key}@p1.vn`, unit, [], { fullName });
    await db.user.update({ where: { id: u.id }, data: { employeeCode: `P1-${key.toUpperCase()}`, position: "Chuyên viên" } });
    people[key] = { id: u.id, enrolment: 0 };
  }
  const outsider = await createUser("ngoai@p2.vn", p2c1, [], { fullName: "Người Tỉnh Khác" });
  await db.user.update({ where: { id: outsider.id }, data: { position: "Chuyên viên" } });
  // The assignment covers the "Chuyên viên" of the province: the five above, not its officers.
  const { id } = await createAssignment({ courseId, orgUnit: p1, positions: ["Chuyên viên"], dueAt: new Date(Date.now() + 20 * DAY), recurrence: "none", reminderDays: 7 }, { id: 1 }, "test");
  assignmentId = id;
  await createAssignment({ courseId, orgUnit: p2, positions: [], dueAt: new Date(Date.now() + 20 * DAY), recurrence: "none", reminderDays: 7 }, { id: 1 }, "test");
  for (const key of Object.keys(people)) {
    people[key].enrolment = (await db.enrollment.findFirstOrThrow({ where: { userId: people[key].id, courseId } })).id;
  }
  // An is overdue and has done nothing; Bình read a lesson; Cúc failed the quiz; Dũng completed.
  await db.enrollment.update({ where: { id: people.an.enrolment }, data: { dueAt: new Date(Date.now() - 2 * DAY) } });
  await db.lessonCompletion.create({ data: { enrollmentId: people.binh.enrolment, lessonId: course.lessons[0].id } });
  const version = course.publishedVersionId!;
  await db.quizAttempt.create({ data: { enrollmentId: people.cuc.enrolment, versionId: version, number: 1, status: "submitted", questionCount: 3, correctCount: 1, score: 33, passed: false, submittedAt: new Date() } });
  await db.enrollment.update({ where: { id: people.dung.enrolment }, data: { completedAt: new Date(Date.now() - 40 * DAY) } });
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

describe("the named list", () => {
  it("names who is behind, by status, within the unit's subtree only", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const page = await (await list(hr, {})).text();
    for (const name of ["Nguyễn Văn An", "Trần Thị Bình", "Lê Thị Cúc", "Phạm Văn Dũng", "Hoàng Thị Em"]) expect(page).toContain(name);
    expect(page).not.toContain("Người Tỉnh Khác");
    expect(page).toContain("Quá hạn: 1");
    expect(page).toContain("Chưa đạt bài kiểm tra: 1");
    expect(page).toContain("Đang học: 1");
    expect(page).toContain("Chưa bắt đầu: 1");
    expect(page).toContain("Đã hoàn thành: 1");
    const overdue = await (await list(hr, { status: "overdue" })).text();
    expect(overdue).toContain("Nguyễn Văn An");
    expect(overdue).not.toContain("Trần Thị Bình");
    // A commune below the province, a search by name, the course by its slug.
    const commune = await (await list(hr, { unit: "P1C2" })).text();
    expect(commune).toContain("Phạm Văn Dũng");
    expect(commune).not.toContain("Nguyễn Văn An");
    // Without a course: one row per person and course, naming the course; the same figures here.
    const every = await (await hr.get("/hr/progress?unit=P1")).text();
    expect(every).toContain("Đang xem mọi khóa học");
    expect(every).toContain("<td>Khóa học thử nghiệm</td>");
    expect(every).toContain("Quá hạn: 1");
    const found = await (await hr.get(`/hr/progress?unit=P1&course=khoa-thu&q=${encodeURIComponent("cúc")}`)).text();
    expect(found).toContain("Lê Thị Cúc");
    expect(found).not.toContain("Trần Thị Bình");
  });

  it("pages, sorts and downloads the same rows as CSV and XLSX", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    // Sixty more people in the second commune, not started.
    await db.user.createMany({ data: Array.from({ length: 60 }, (_, i) => ({ email: `them${i}@p1.vn`, fullName: `Cán bộ ${String(i).padStart(2, "0")}`, orgUnitId: units.c2.id, employeeCode: `P1-T${i}` })) });
    const extra = await db.user.findMany({ where: { email: { startsWith: "them" } }, select: { id: true } });
    await db.enrollment.createMany({ data: extra.map((u) => ({ userId: u.id, courseId, origin: "assigned", assignmentId, dueAt: new Date(Date.now() + 20 * DAY) })) });
    const first = await (await list(hr, { sort: "name", status: "not-started" })).text();
    expect(first).toContain("Hiển thị 1–50 trên 61 người");
    expect(first).toContain("Cán bộ 00");
    expect(first).not.toContain("Nguyễn Văn An");
    const second = await (await list(hr, { sort: "name", status: "not-started", page: "1" })).text();
    expect(second).toContain("Hiển thị 51–61 trên 61 người");
    expect(second).toContain("Hoàng Thị Em");
    const csv = await (await list(hr, { sort: "name", status: "not-started", format: "csv" })).text();
    const lines = csv.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toHaveLength(62);
    expect(lines[0]).toBe("Mã cán bộ,Họ và tên,Email,Mã đơn vị,Đơn vị,Chức vụ,Tình trạng,Bài đã học,Điểm cao nhất,Hạn hoàn thành,Ngày hoàn thành,\"Lý do (miễn, gia hạn)\"");
    expect(lines.at(-1)).toMatch(/^P1-EM,Hoàng Thị Em,em@p1\.vn,P1C2,Đơn vị P1C2,Chuyên viên,Chưa bắt đầu,0\/2,,/);
    const xlsx = new Uint8Array(await (await list(hr, { sort: "name", status: "not-started", format: "xlsx" })).arrayBuffer());
    expect(readTable("ds.xlsx", xlsx).rows.map((r) => r[1])).toEqual(lines.slice(1).map((l) => l.split(",")[1]));
    await db.enrollment.deleteMany({ where: { userId: { in: extra.map((u) => u.id) } } });
    await db.user.deleteMany({ where: { id: { in: extra.map((u) => u.id) } } });
  });

  it("refuses units, assignments and people outside the officer's scope, and learners", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    expect((await list(hr, { unit: "P2" })).status).toBe(404);
    const other = await db.trainingAssignment.findFirstOrThrow({ where: { orgUnitId: units.p2.id } });
    expect((await list(hr, { assignment: String(other.id) })).status).toBe(404);
    const outsider = await db.enrollment.findFirstOrThrow({ where: { user: { email: "ngoai@p2.vn" } } });
    expect((await hr.get(`/hr/enrolments/${outsider.id}`)).status).toBe(404);
    expect((await hr.post(`/hr/enrolments/${outsider.id}`, { intent: "exempt", reason: "Thử" })).status).toBe(404);
    expect((await db.enrollment.findUniqueOrThrow({ where: { id: outsider.id } })).exemptAt).toBeNull();
    const commune = await signedIn("nhansu-xa@p1.vn");
    expect((await commune.get(`/hr/enrolments/${people.dung.enrolment}`)).status).toBe(404);
    const learner = await signedIn("an@p1.vn");
    expect((await list(learner, {})).status).toBe(403);
    expect((await list(learner, { format: "csv" })).status).toBe(403);
  });
});

describe("reminders by hand", () => {
  it("mails the selected people once a day, whoever presses, even all at once", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const before = await db.outboxMail.count();
    const selection: [string, string][] = [["intent", "remind"], ["enrollmentId", String(people.an.enrolment)], ["enrollmentId", String(people.binh.enrolment)], ["enrollmentId", String(people.dung.enrolment)]];
    const query = `?unit=P1&course=${courseId}`;
    const first = await hr.postEntries(`/hr/progress${query}`, selection);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain("Đã xếp 2 thư nhắc để gửi");
    // Dũng completed: not reminded. The same selection again, ten times at once: nobody twice.
    await Promise.all(Array.from({ length: 10 }, () => hr.postEntries(`/hr/progress${query}`, selection)));
    const other = await signedIn("quantri@p1.vn");
    await other.postEntries(`/hr/progress${query}`, selection);
    expect(await db.outboxMail.count()).toBe(before + 2);
    const mail = await db.outboxMail.findFirstOrThrow({ where: { to: "an@p1.vn" }, orderBy: { id: "desc" } });
    expect(mail.subject).toBe("Nhắc học: Khóa học thử nghiệm");
    expect(mail.text).toContain("/courses/khoa-thu");
    expect(await db.personReminder.count({ where: { userId: people.an.id } })).toBe(1);
    const none = await hr.postEntries(`/hr/progress${query}`, [["intent", "remind"]]);
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Hãy chọn ít nhất một người.");
  });

  it("reminds everyone the filters select, without the people already reminded today", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const before = await db.outboxMail.count();
    await hr.postEntries(`/hr/progress?unit=P1&course=${courseId}`, [["intent", "remindAll"]]);
    // Cúc and Em were not reminded yet; An and Bình were, today; Dũng is done.
    const sent = await db.outboxMail.findMany({ where: { id: { gt: 0 } }, orderBy: { id: "desc" }, take: (await db.outboxMail.count()) - before, select: { to: true } });
    expect(sent.map((m) => m.to).sort()).toEqual(["cuc@p1.vn", "em@p1.vn"]);
  });
});

describe("mail that does not arrive", () => {
  it("checks the SMTP settings from the command line: delivered, or the server's refusal", async () => {
    const smtp = await startSmtpServer({ refuse: (to) => to === "hong@p1.vn" });
    try {
      const env = { ...process.env, SMTP_URL: smtp.url, APP_URL: "https://kynangso.laocai.gov.vn" };
      const ok = await run("npx", ["tsx", "scripts/kns.ts", "mail-test", "kiemtra@p1.vn"], { env });
      expect(ok.stdout).toContain("kiemtra@p1.vn");
      expect(smtp.received.map((m) => m.to)).toContain("kiemtra@p1.vn");
      const refused = await run("npx", ["tsx", "scripts/kns.ts", "mail-test", "hong@p1.vn"], { env }).catch((e: { code: number; stderr: string }) => e);
      expect("code" in refused && refused.code).toBe(1);
      expect((refused as { stderr: string }).stderr).toContain("550 mailbox unavailable");
    } finally {
      await smtp.stop();
    }
  });

  it("shows the mail server's refusal in the outbox, with the next attempt", async () => {
    const smtp = await startSmtpServer({ refuse: (to) => to === "hong@p1.vn" });
    const mailing = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, SMTP_URL: smtp.url });
    try {
      const person = await createUser("hong@p1.vn", units.c1, [], { fullName: "Hộp Thư Hỏng" });
      const e = await db.enrollment.create({ data: { userId: person.id, courseId, origin: "self" } });
      const hr = new Client(mailing.url);
      expect((await hr.login("nhansu@p1.vn", PASSWORD)).status).toBe(302);
      await hr.postEntries(`/hr/progress?unit=P1&course=${courseId}`, [["intent", "remind"], ["enrollmentId", String(e.id)]]);
      let outbox = "";
      for (let i = 0; i < 50 && !outbox.includes("Máy chủ thư trả lời"); i++) {
        await new Promise((r) => setTimeout(r, 100));
        outbox = await (await hr.get("/hr/outbox")).text();
      }
      expect(outbox).toContain("Gửi không thành công; sẽ thử lại lúc");
      expect(outbox).toMatch(/Máy chủ thư trả lời: [^<]*550 mailbox unavailable/);
      const row = await db.outboxMail.findFirstOrThrow({ where: { to: "hong@p1.vn" } });
      expect([row.sentAt, row.attempts, row.nextAttemptAt !== null]).toEqual([null, 1, true]);
    } finally {
      await mailing.stop();
      await smtp.stop();
    }
  });
});

describe("one person's enrolment", () => {
  it("exempts with a reason (none: a translated error, nothing changed) and counts the exemption apart", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const path = `/hr/enrolments/${people.em.enrolment}`;
    const page = await hr.get(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Hoàng Thị Em: Khóa học thử nghiệm");
    const before = await coverageByOrgUnit(units.p1, { courseId, category: null, from: null, to: null });
    const missing = await hr.post(path, { intent: "exempt", reason: "  " });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("Hãy ghi lý do.");
    expect((await enrolmentOf("em")).exemptAt).toBeNull();
    expect((await hr.post(path, { intent: "exempt", reason: "Đã học lớp tập trung tại Học viện" })).status).toBe(200);
    const exempt = await enrolmentOf("em");
    expect(exempt.exemptReason).toBe("Đã học lớp tập trung tại Học viện");
    const after = await coverageByOrgUnit(units.p1, { courseId, category: null, from: null, to: null });
    expect(after.total.enrolled).toBe(before.total.enrolled - 1);
    expect(after.total.exempt).toBe(before.total.exempt + 1);
    expect(after.total.completionRate).toBeCloseTo(1 / (before.total.enrolled - 1));
    expect(await (await list(hr, { status: "exempt" })).text()).toContain("Hoàng Thị Em");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "followUp.exempt" } });
    expect(audit.targetId).toBe(String(people.em.enrolment));
    // Done people cannot be exempted.
    const done = await hr.post(`/hr/enrolments/${people.dung.enrolment}`, { intent: "exempt", reason: "Thử" });
    expect(done.status).toBe(400);
  });

  it("extends one person's due date with a reason: no longer overdue, and no overdue reminder", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const path = `/hr/enrolments/${people.an.enrolment}`;
    const bad = await hr.post(path, { intent: "extend", dueAt: "2027-02-30", reason: "Nghỉ ốm" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Ngày không hợp lệ.");
    const day = new Date(Date.now() + 30 * DAY + 7 * 3600_000).toISOString().slice(0, 10);
    expect((await hr.post(path, { intent: "extend", dueAt: day, reason: "Nghỉ ốm dài ngày" })).status).toBe(200);
    const an = await enrolmentOf("an");
    expect(an.dueReason).toBe("Nghỉ ốm dài ngày");
    expect(an.dueAt!.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
    expect(await (await list(hr, { status: "overdue" })).text()).not.toContain("Nguyễn Văn An");
    const reminders = await sendReminders();
    expect(reminders.overdue).toBe(0);
  });

  it("gives one learner an extra attempt (HR or the course's trainer), refused on oneself and on a wider role", async () => {
    const course = await getPublishedCourse("khoa-thu");
    // Cúc has used all three attempts.
    for (const number of [2, 3]) {
      await db.quizAttempt.create({ data: { enrollmentId: people.cuc.enrolment, versionId: course!.version.id, number, status: "submitted", questionCount: 3, correctCount: 1, score: 33, passed: false, submittedAt: new Date(Date.now() - 2 * 3600_000) } });
    }
    const ctx = { userId: people.cuc.id, ip: "test" };
    const state = async () => (await courseAndEnrollmentBySlug(people.cuc.id, "khoa-thu")).enrollment!;
    await expect(startAttempt(await state(), course!, ctx)).rejects.toBeDefined();
    const trainer = await signedIn("giangvien@p1.vn");
    // The trainer finds Cúc among the course's learners (of their province only).
    const learners = await (await trainer.get("/author/khoa-thu/learners")).text();
    expect(learners).toContain(`href="/hr/enrolments/${people.cuc.enrolment}"`);
    expect(learners).toContain("Chưa đạt bài kiểm tra: 1");
    expect(learners).not.toContain("Người Tỉnh Khác");
    expect(learners).not.toContain('name="enrollmentId"');
    const path = `/hr/enrolments/${people.cuc.enrolment}`;
    expect((await trainer.get(path)).status).toBe(200);
    // The trainer may grant, not exempt.
    expect((await trainer.post(path, { intent: "exempt", reason: "Thử" })).status).toBe(403);
    const tooMany = await trainer.post(path, { intent: "grant", extraAttempts: "9", extraMinutes: "0", reason: "Mất điện" });
    expect(tooMany.status).toBe(400);
    expect((await trainer.post(path, { intent: "grant", extraAttempts: "1", extraMinutes: "15", reason: "Mất điện khi đang làm bài" })).status).toBe(200);
    const granted = await state();
    expect([granted.extraAttempts, granted.extraMinutes]).toEqual([1, 15]);
    expect(await startAttempt(granted, course!, ctx)).toBeGreaterThan(0);
    await expect(startAttempt(await state(), course!, ctx)).rejects.toBeDefined();
    expect(await db.auditEvent.count({ where: { action: "followUp.grant", actorId: (await db.user.findUniqueOrThrow({ where: { email: "giangvien@p1.vn" } })).id } })).toBe(1);

    // HR acting on themselves or on the administrator: 404, audited, nothing changed.
    const hr = await signedIn("nhansu@p1.vn");
    const self = await db.user.findUniqueOrThrow({ where: { email: "nhansu@p1.vn" } });
    const admin = await db.user.findUniqueOrThrow({ where: { email: "quantri@p1.vn" } });
    for (const person of [self, admin]) {
      const e = await db.enrollment.create({ data: { userId: person.id, courseId, origin: "self" } });
      expect((await hr.post(`/hr/enrolments/${e.id}`, { intent: "grant", extraAttempts: "2", extraMinutes: "0", reason: "Thử" })).status).toBe(404);
      expect((await db.enrollment.findUniqueOrThrow({ where: { id: e.id } })).extraAttempts).toBe(0);
      await db.enrollment.delete({ where: { id: e.id } });
    }
  });
});

describe("the life of an assignment", () => {
  it("moves the due date for everyone but personal extensions, and cancels once, keeping the history", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const outsider = await signedIn("nhansu@p2.vn");
    const day = new Date(Date.now() + 60 * DAY + 7 * 3600_000).toISOString().slice(0, 10);
    expect((await outsider.post("/hr/assignments", { intent: "edit", assignmentId: String(assignmentId), dueAt: day, reminderDays: "3" })).status).toBe(404);
    const edited = await hr.post("/hr/assignments", { intent: "edit", assignmentId: String(assignmentId), dueAt: day, reminderDays: "3" });
    expect(edited.status).toBe(200);
    const assignment = await db.trainingAssignment.findUniqueOrThrow({ where: { id: assignmentId } });
    expect([assignment.reminderDays, assignment.dueAt.toISOString().slice(0, 10)]).toEqual([3, new Date(Date.now() + 60 * DAY).toISOString().slice(0, 10)]);
    expect((await enrolmentOf("binh")).dueAt).toEqual(assignment.dueAt);
    // An's personal extension stands; Dũng's finished enrolment is not touched.
    expect((await enrolmentOf("an")).dueAt).not.toEqual(assignment.dueAt);

    const outsiderCancel = await outsider.post("/hr/assignments", { intent: "cancel", assignmentId: String(assignmentId) });
    expect(outsiderCancel.status).toBe(404);
    const results = await Promise.all([1, 2, 3].map(() => hr.post("/hr/assignments", { intent: "cancel", assignmentId: String(assignmentId) })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await db.auditEvent.count({ where: { action: "assignment.cancel" } })).toBe(1);
    const cancelled = await db.trainingAssignment.findUniqueOrThrow({ where: { id: assignmentId } });
    expect([cancelled.active, cancelled.cancelledAt !== null]).toEqual([false, true]);
    const binh = await enrolmentOf("binh");
    expect([binh.dueAt, binh.origin, binh.assignmentId]).toEqual([null, "self", assignmentId]);
    expect((await enrolmentOf("dung")).completedAt).not.toBeNull();
    // Nobody new is enrolled by it, and it reminds nobody.
    const newcomer = await createUser("moi@p1.vn", units.c1);
    const admin = await signedIn("quantri@p1.vn");
    await admin.post(`/admin/users/${newcomer.id}`, { intent: "save", fullName: "Người Mới", email: "moi@p1.vn", position: "Chuyên viên", unitCode: "P1C2", active: "on" });
    expect(await db.enrollment.count({ where: { userId: newcomer.id } })).toBe(0);
    await sendReminders(new Date(Date.now() + 90 * DAY));
    expect(await db.reminderLog.count({ where: { assignmentId, kind: "overdue" } })).toBe(0);
  });

  it("enrols people created or moved on the administration pages in the assignments that now cover them", async () => {
    const { id } = await createAssignment({ courseId, orgUnit: units.c2, positions: ["Kế toán"], dueAt: new Date(Date.now() + 10 * DAY), recurrence: "none", reminderDays: 7 }, { id: 1 }, "test");
    const admin = await signedIn("quantri@p1.vn");
    const created = await admin.post("/admin/users", { fullName: "Vũ Thị Kế", email: "ke@p1.vn", position: "Kế toán", unitCode: "P1C2", password: "MatKhau-Rat-Dai-2026" });
    expect(created.status).toBe(302);
    const ke = await db.user.findUniqueOrThrow({ where: { email: "ke@p1.vn" } });
    expect(await db.enrollment.findMany({ where: { userId: ke.id }, select: { assignmentId: true } })).toEqual([{ assignmentId: id }]);
    const moved = await db.user.findUniqueOrThrow({ where: { email: "moi@p1.vn" } });
    await admin.post(`/admin/users/${moved.id}`, { intent: "save", fullName: "Người Mới", email: "moi@p1.vn", position: "Kế toán viên", unitCode: "P1C2", active: "on" });
    expect(await db.enrollment.findMany({ where: { userId: moved.id }, select: { assignmentId: true } })).toEqual([{ assignmentId: id }]);
  });
});

describe("figures over time and renewal mail", () => {
  it("gives the completion trend month by month, as counted by hand", async () => {
    const now = new Date("2026-12-15T05:00:00Z");
    const unit = await createUnit("P3", undefined, "province");
    const ward = await createUnit("P3C1", unit, "commune");
    const at = (iso: string) => new Date(iso);
    const rows: [string, string | null][] = [
      ["2026-09-10T03:00:00Z", "2026-10-05T03:00:00Z"],
      ["2026-09-12T03:00:00Z", "2026-11-20T03:00:00Z"],
      ["2026-10-01T03:00:00Z", null],
      ["2026-11-30T18:00:00Z", "2026-12-02T03:00:00Z"], // 1 December in Viet Nam
    ];
    for (const [i, [created, completed]] of rows.entries()) {
      const u = await createUser(`xu${i}@p3.vn`, ward);
      await db.enrollment.create({ data: { userId: u.id, courseId, createdAt: at(created), completedAt: completed ? at(completed) : null } });
    }
    const trend = await completionTrend(unit, courseId, now, 4);
    expect(trend).toEqual([
      { month: "2026-09", completedInMonth: 0, enrolled: 2, completed: 0, rate: 0 },
      { month: "2026-10", completedInMonth: 1, enrolled: 3, completed: 1, rate: 1 / 3 },
      { month: "2026-11", completedInMonth: 1, enrolled: 3, completed: 2, rate: 2 / 3 },
      { month: "2026-12", completedInMonth: 1, enrolled: 4, completed: 3, rate: 3 / 4 },
    ]);
    const hr = await signedIn("nhansu@p1.vn");
    expect(await (await hr.get(`/hr/coverage?course=${courseId}`)).text()).toContain("Tỷ lệ hoàn thành theo tháng");
  });

  it("mails the holder when a renewal enrolment is created, once", async () => {
    const dung = await db.user.findUniqueOrThrow({ where: { email: "dung@p1.vn" } });
    await db.certificate.create({
      data: { code: "RENEWTEST000000000001", enrollmentId: people.dung.enrolment, userId: dung.id, courseId, orgUnitId: units.c2.id, fullName: dung.fullName, position: "", unitName: "", courseTitle: "", issuer: "", completedAt: new Date(), expiresAt: new Date(Date.now() + 10 * DAY) },
    });
    expect((await createRenewals(new Date(), 30)).created).toBe(1);
    expect((await createRenewals(new Date(), 30)).created).toBe(0);
    const mails = await db.outboxMail.findMany({ where: { to: "dung@p1.vn", subject: { startsWith: "Giấy chứng nhận sắp hết hạn" } } });
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain("Khóa học thử nghiệm");
  });
});

describe("the national roll-up", () => {
  it("gives an administrator of every province the whole country, with drill-down; nobody else", async () => {
    const roots = await db.orgUnit.findMany({ where: { parentId: null } });
    const national = await createUser("quantri@bo.gov.vn", units.snv, roots.map((r) => ({ role: "admin", unit: r })));
    expect(national.id).toBeGreaterThan(0);
    const admin = await signedIn("quantri@bo.gov.vn");
    const page = await (await admin.get(`/hr/coverage?course=${courseId}`)).text();
    expect(page).toMatch(/Toàn quốc(<!-- -->)? — /);
    expect(page).toContain('href="/hr/coverage?unit=P1&amp;');
    expect(page).toContain('href="/hr/coverage?unit=P2&amp;');
    const csv = await admin.get(`/hr/coverage?format=csv&course=${courseId}`);
    expect(csv.headers.get("content-disposition")).toContain("bao-cao-dao-tao-toan-quoc.csv");
    const rows = (await csv.text()).split("\r\n").map((l) => l.split(",")[0]);
    expect(rows).toEqual(expect.arrayContaining(["P1", "P2", "P3"]));
    // From a province, the way back up to the country.
    expect(await (await admin.get("/hr/coverage?unit=P2")).text()).toContain('href="/hr/coverage?unit=*');
    const everyone = await (await admin.get(`/hr/progress?unit=*&course=${courseId}`)).text();
    expect(everyone).toContain("Người Tỉnh Khác");
    expect(everyone).toContain("Lê Thị Cúc");
    // A province's officer asking for the country: 404, audited.
    const hr = await signedIn("nhansu@p1.vn");
    expect((await hr.get("/hr/coverage?unit=*")).status).toBe(404);
    expect((await hr.get(`/hr/progress?unit=*&course=${courseId}`)).status).toBe(404);
    expect(await (await hr.get("/hr/coverage")).text()).not.toContain('href="/hr/coverage?unit=*');
  });
});
