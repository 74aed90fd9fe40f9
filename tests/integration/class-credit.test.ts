// In-person classes satisfying assignments that accept them: coverage, the follow-up list,
// reminders, hours and the learner's page read one completion, counted by hand on four people.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncContent } from "~/content/content-sync.server";
import { sendReminders } from "~/hr/assignments.server";
import { currentYear } from "~/hr/hours.server";
import { db } from "~/platform/db.server";
import { createUnit, createUser, PASSWORD } from "../support/factories";
import { Client, signedInClient } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const DAY = 86_400_000;
let server: RunningServer;
let courseId: number;
const people: Record<"a" | "b" | "c" | "d", number> = { a: 0, b: 0, c: 0, d: 0 };
const isoDay = (d: Date) => new Date(d.getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
// The class ended ten days ago; the assignment is due in five days (Vietnamese days).
const classDay = isoDay(new Date(Date.now() - 10 * DAY));
const dueDay = isoDay(new Date(Date.now() + 5 * DAY));

beforeAll(async () => {
  const p1 = await createUnit("P1", undefined, "province");
  const c1 = await createUnit("P1C1", p1, "commune");
  const officer = await createUser("nhansu@p1.vn", p1, [{ role: "hr", unit: p1 }]);
  await db.user.update({ where: { id: officer.id }, data: { employeeCode: "P1-HR" } });
  await syncContent("tests/fixtures/content");
  courseId = (await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } })).id;
  for (const [key, name] of [["a", "Nguyễn Văn An"], ["b", "Trần Thị Bình"], ["c", "Lê Văn Cường"], ["d", "Phạm Thị Dung"]] as const) {
    const u = await createUser(`${key}@p1.vn`, c1, [], { fullName: name });
    await db.user.update({ where: { id: u.id }, data: { position: "Công chức", employeeCode: `P1-${key.toUpperCase()}` } });
    people[key] = u.id;
  }
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

/** The commune's enrolled and completed figures in the coverage CSV for the course. */
async function coverage(hr: Client) {
  const csv = (await (await hr.get(`/hr/coverage?unit=P1&course=${courseId}&format=csv`)).text()).split("\r\n");
  const row = csv.find((l) => l.startsWith("P1C1,"))!.split(",");
  return { enrolled: Number(row[6]), completed: Number(row[7]) };
}

const enrolmentOf = (userId: number) => db.enrollment.findFirstOrThrow({ where: { userId, courseId } });

describe("in-person classes and assignments", () => {
  it("a completed class of the course's field satisfies an assignment that accepts classes, everywhere the completion is read", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const assigned = await hr.post("/hr/assignments", { courseId: String(courseId), unitCode: "P1C1", positions: "", dueAt: dueDay, recurrence: "none", reminderDays: "7" });
    expect(await assigned.text()).toContain("ghi danh 4 người");
    const assignment = await db.trainingAssignment.findFirstOrThrow({ where: { courseId } });
    expect(assignment.acceptsClasses).toBe(false);
    // An finished online.
    await db.enrollment.updateMany({ where: { userId: people.a, courseId }, data: { completedAt: new Date(Date.now() - 2 * DAY) } });

    // A class of the course's field ("other"): Bình completed it, Cường failed. Dung completed a
    // class of another field.
    const klass = async (title: string, category: string, codes: string) => {
      const created = await hr.post("/hr/classes", { title, provider: "Sở Nội vụ", startsOn: classDay, endsOn: classDay, hours: "6", category, unitCode: "P1C1" });
      expect(created.status).toBe(302);
      const path = created.headers.get("location")!;
      expect((await hr.post(path, { codes })).status).toBe(200);
      return { path, id: Number(path.split("/").pop()) };
    };
    const skills = await klass("Lớp bồi dưỡng kỹ năng số", "other", "P1-B\nP1-C, không đạt");
    await klass("Lớp an toàn thông tin", "security", "P1-D");
    // The assignment does not accept classes yet: only An counts.
    expect(await coverage(hr)).toEqual({ enrolled: 4, completed: 1 });
    expect((await enrolmentOf(people.b)).completedAt).toBeNull();

    const edit = { intent: "edit", assignmentId: String(assignment.id), dueAt: dueDay, reminderDays: "7" };
    expect((await hr.post("/hr/assignments", { ...edit, acceptsClasses: "on" })).status).toBe(200);
    expect(await coverage(hr)).toEqual({ enrolled: 4, completed: 2 });
    const binh = await enrolmentOf(people.b);
    expect(binh.completedByClassId).toBe(skills.id);
    expect(isoDay(binh.completedAt!)).toBe(classDay);
    expect((await enrolmentOf(people.c)).completedAt).toBeNull();
    expect((await enrolmentOf(people.d)).completedAt).toBeNull();

    // The follow-up list, the enrolment page and the learner's course page say so.
    const done = await (await hr.get(`/hr/progress?unit=P1&course=${courseId}&status=done`)).text();
    expect(done).toContain("Trần Thị Bình");
    expect(done).toContain("Nguyễn Văn An");
    expect(done).not.toContain("Lê Văn Cường");
    const page = await (await hr.get(`/hr/enrolments/${binh.id}`)).text();
    expect(page).toContain("Được công nhận hoàn thành ngày");
    expect(page).toContain(`href="/hr/classes/${skills.id}"`);
    const learner = await signedIn("b@p1.vn");
    expect(await (await learner.get("/courses/khoa-thu")).text()).toContain("qua lớp tập huấn trực tiếp “Lớp bồi dưỡng kỹ năng số”");
    // Reading a lesson afterwards issues no certificate: the quiz was never passed.
    expect((await learner.post("/courses/khoa-thu/bai-mot", {})).status).toBe(302);
    expect(await db.certificate.count({ where: { userId: people.b } })).toBe(0);
    expect((await enrolmentOf(people.b)).completedByClassId).toBe(skills.id);

    // Hours: the class's 6 hours, not the course's as well.
    const hours = (await (await hr.get(`/hr/hours?unit=P1&year=${currentYear()}&format=csv`)).text()).split("\r\n");
    expect(hours.find((l) => l.startsWith("P1-B"))).toMatch(/^P1-B,Trần Thị Bình,P1C1,[^,]+,Công chức,0,6,6,/);

    // Reminders after the due date: Cường and Dung only.
    const sent = await sendReminders(new Date(Date.now() + 6 * DAY));
    expect(sent.overdue).toBe(2);
    const mailed = await db.outboxMail.findMany({ select: { to: true } });
    expect(mailed.map((m) => m.to).sort()).toEqual(["c@p1.vn", "d@p1.vn"]);

    // Taking Bình off the class opens her enrolment again; recording her again credits it again.
    const attendance = await db.classAttendance.findFirstOrThrow({ where: { classId: skills.id, userId: people.b } });
    expect((await hr.post(skills.path, { intent: "remove", attendanceId: String(attendance.id) })).status).toBe(200);
    expect(await enrolmentOf(people.b)).toMatchObject({ completedAt: null, completedByClassId: null });
    expect(await coverage(hr)).toEqual({ enrolled: 4, completed: 1 });
    expect((await hr.post(skills.path, { codes: "P1-B" })).status).toBe(200);
    expect((await enrolmentOf(people.b)).completedByClassId).toBe(skills.id);

    // Turned off again: the credit is withdrawn, An's online completion stays.
    expect((await hr.post("/hr/assignments", edit)).status).toBe(200);
    expect(await coverage(hr)).toEqual({ enrolled: 4, completed: 1 });
    expect((await enrolmentOf(people.a)).completedAt).not.toBeNull();
  });

  it("ten identical edits at once credit each person once, and a malformed flag changes nothing", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const assignment = await db.trainingAssignment.findFirstOrThrow({ where: { courseId } });
    const edit = { intent: "edit", assignmentId: String(assignment.id), dueAt: dueDay, reminderDays: "7" };
    const bad = await hr.post("/hr/assignments", { ...edit, acceptsClasses: "yes please" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Dữ liệu gửi lên không hợp lệ.");
    expect((await db.trainingAssignment.findUniqueOrThrow({ where: { id: assignment.id } })).acceptsClasses).toBe(false);

    const results = await Promise.all(Array.from({ length: 10 }, () => hr.post("/hr/assignments", { ...edit, acceptsClasses: "on" })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const credited = await db.enrollment.findMany({ where: { courseId, completedByClassId: { not: null } }, select: { userId: true } });
    expect(credited.map((e) => e.userId)).toEqual([people.b]);
    expect(await coverage(hr)).toEqual({ enrolled: 4, completed: 2 });
    // An officer cannot record a class for themselves, which would complete their own training.
    const klass = await db.trainingClass.findFirstOrThrow({ where: { title: "Lớp bồi dưỡng kỹ năng số" } });
    const own = await hr.post(`/hr/classes/${klass.id}`, { codes: "P1-HR" });
    expect(own.status).toBe(400);
    expect(await own.text()).toContain("Dòng 1: P1-HR là mã của chính bạn; kết quả học của bạn do người khác ghi");
    expect(await db.classAttendance.count({ where: { user: { email: "nhansu@p1.vn" } } })).toBe(0);
    // Another province's officer cannot touch the assignment.
    const p2 = await createUnit("P2", undefined, "province");
    await createUser("nhansu@p2.vn", p2, [{ role: "hr", unit: p2 }]);
    const other = await signedIn("nhansu@p2.vn");
    expect((await other.post("/hr/assignments", edit)).status).toBe(404);
    expect((await db.trainingAssignment.findUniqueOrThrow({ where: { id: assignment.id } })).acceptsClasses).toBe(true);
  });
});
