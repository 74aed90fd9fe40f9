// Rosters, mandatory training, reminders and the coverage report, on a known data set.
import fs from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { strToU8, zipSync } from "fflate";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAssignment, sendReminders } from "~/hr/assignments.server";
import { syncContent } from "~/content/content-sync.server";
import { coverageByOrgUnit } from "~/hr/coverage.server";
import { db } from "~/platform/db.server";
import { readTable, toXlsx } from "~/hr/spreadsheet.server";
import { applyImport, planImport } from "~/hr/staff-import.server";
import { createUnit, createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client, signedInClient } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const run = promisify(execFile);
let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;
const HEADER = "Mã cán bộ,Họ và tên,Email,Mã đơn vị,Chức vụ,Số CCCD,Ngày sinh,Trạng thái";
const csv = (...lines: string[]) => new TextEncoder().encode([HEADER, ...lines].join("\n"));

beforeAll(async () => {
  world = await twoProvinces();
  await syncContent("tests/fixtures/content");
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

async function upload(client: Client, name: string, bytes: Uint8Array, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.set("file", new File([Buffer.from(bytes)], name));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return fetch(`${server.url}/hr/staff`, { method: "POST", body: form, headers: { Cookie: client.cookieHeader(), Origin: server.url }, redirect: "manual" });
}

describe("roster import", () => {
  it("plans, then applies all-or-nothing and idempotently, with diacritics kept", async () => {
    const file = csv(
      "CB001,Nguyễn Thị Ánh  Tuyết,tuyet@p1.vn,P1C1,Chủ tịch Ủy ban nhân dân,001234567890,05/03/1985,đang làm việc",
      "CB002,Trần Văn Bình,binh@p1.vn,P1.SNV,Chuyên viên,,1990-12-31,",
      "CB003,Lê Minh Châu,chau@p1.vn,P1C1,Công chức Tư pháp - Hộ tịch,,,",
    );
    const scope = ["/P1/"];
    const plan = await planImport(readTable("a.csv", file), scope);
    expect(plan.errors).toEqual([]);
    expect(plan.create.map((s) => s.employeeCode)).toEqual(["CB001", "CB002", "CB003"]);
    const result = await applyImport(plan, { id: world.users.hr.id, orgUnitId: world.units.a.id }, "test", "a.csv");
    expect(result).toMatchObject({ created: 3, updated: 0, deactivated: 0 });
    const tuyet = await db.user.findUniqueOrThrow({ where: { employeeCode: "CB001" } });
    expect(tuyet.fullName).toBe("Nguyễn Thị Ánh Tuyết");
    expect(tuyet.birthDate?.toISOString().slice(0, 10)).toBe("1985-03-05");
    const again = await planImport(readTable("a.csv", file), scope);
    expect(again).toMatchObject({ create: [], update: [], unchanged: 3 });
  });

  it("reports every bad row with its row, column and reason, and imports nothing", async () => {
    const before = await db.user.count();
    const file = csv(
      "CB010,Phạm Thu,thu@p1.vn,P1C1,Chuyên viên,,,",
      "CB010,Phạm Thu Hai,thu2@p1.vn,P1C1,Chuyên viên,,,",
      "CB011,Vũ Hà,khong-hop-le,P1C1,Chuyên viên,123,31/02/1990,nghỉ hưu",
      "CB012,Đỗ An,an@p1.vn,P2C1,Chuyên viên,,,",
      "CB013,Hồ Bảo,bao@p1.vn,KHONGCO,Chuyên viên,,,",
      ",,,,,,,",
      "CB014,,,P1C1,,,,",
    );
    const plan = await planImport(readTable("b.csv", file), ["/P1/"]);
    const summary = plan.errors.map((e) => `${e.row}:${e.column}:${e.code}`);
    expect(summary).toEqual([
      "3:employeeCode:duplicateInFile",
      "4:email:invalidEmail",
      "4:nationalId:nationalId",
      "4:birthDate:birthDate",
      "4:status:status",
      "5:unitCode:unitOutOfScope",
      "6:unitCode:unitOutOfScope",
      "8:fullName:required",
      "8:email:required",
      "8:position:required",
    ]);
    await expect(applyImport(plan, { id: null, orgUnitId: null }, "test", "b.csv")).rejects.toThrow();
    expect(await db.user.count()).toBe(before);
  });

  it("reads semicolons, a BOM, English headers in any order and XLSX; refuses Windows-1252 and bombs", async () => {
    // Excel's "Unicode text" export: tab-separated.
    const tabs = readTable("tab.txt.csv", new TextEncoder().encode("Mã cán bộ\tHọ và tên\tEmail\tMã đơn vị\tChức vụ\nCB030\tLò Văn Pâng\tpang@p1.vn\tP1C1\tCông chức"));
    expect(tabs.headers).toEqual(["Mã cán bộ", "Họ và tên", "Email", "Mã đơn vị", "Chức vụ"]);
    expect(tabs.rows).toEqual([["CB030", "Lò Văn Pâng", "pang@p1.vn", "P1C1", "Công chức"]]);
    const semicolon = new TextEncoder().encode("\uFEFFemail;Full Name;UNIT CODE;position;employee code;Ghi chú\ncuong@p1.vn;Ngô Cường;P1C1;Chuyên viên;CB020;x");
    const plan = await planImport(readTable("c.csv", semicolon), ["/P1/"]);
    expect(plan.errors).toEqual([]);
    expect(plan.unknownColumns).toEqual(["Ghi chú"]);
    expect(plan.create[0]).toMatchObject({ employeeCode: "CB020", fullName: "Ngô Cường" });

    const xlsx = toXlsx("DS", ["Mã cán bộ", "Họ và tên", "Email", "Mã đơn vị", "Chức vụ"], [["CB021", "Dương Thị Mỹ Hạnh", "hanh@p1.vn", "P1.SNV", "Văn thư"]]);
    const fromXlsx = await planImport(readTable("d.xlsx", xlsx), ["/P1/"]);
    expect(fromXlsx.create[0]).toMatchObject({ employeeCode: "CB021", fullName: "Dương Thị Mỹ Hạnh", position: "Văn thư" });

    const cp1252 = Uint8Array.from([...new TextEncoder().encode("Mã cán bộ,Họ và tên\nCB1,Nguy"), 0xea, 0x6e]);
    expect(() => readTable("e.csv", cp1252)).toThrow(/encoding/);
    const missing = await planImport(readTable("f.csv", new TextEncoder().encode("Họ và tên,Email\nA,a@b.vn")), ["/P1/"]);
    expect(missing.missingColumns).toEqual(["employeeCode", "unitCode", "position"]);

    // 200 MB of zeros compresses to about 200 KB: refused while inflating.
    const bomb = zipSync({ "xl/worksheets/sheet1.xml": new Uint8Array(200 * 1024 * 1024), "[Content_Types].xml": strToU8("<Types/>") }, { level: 9 });
    expect(bomb.byteLength).toBeLessThan(2 * 1024 * 1024);
    expect(() => readTable("bomb.xlsx", bomb)).toThrow(/tooLarge|decompressed/);

    const huge = new TextEncoder().encode([HEADER, ...Array.from({ length: 100_000 }, (_, i) => `X${i},Tên ${i},x${i}@p1.vn,P1C1,Chuyên viên,,,`)].join("\n"));
    expect(() => readTable("huge.csv", huge)).toThrow(/tooManyRows/);
  });

  it("works over HTTP for HR in scope: dry run, apply, full roster; refuses other provinces and learners", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const file = csv("CB001,Nguyễn Thị Ánh Tuyết,tuyet@p1.vn,P1C1,Chủ tịch Ủy ban nhân dân,001234567890,05/03/1985,", "CB030,Lý Văn Đông,dong@p1.vn,P1C1,Chuyên viên,,,");
    const dry = await upload(hr, "roster.csv", file, { intent: "check", fullRoster: "on" });
    expect(dry.status).toBe(200);
    const html = await dry.text();
    // CB003 of P1C1 is missing from this full roster of P1C1 (people without an employee code are not roster entries).
    expect(html).toContain("Thêm mới 1, cập nhật 0, chuyển nghỉ việc 1, không đổi 1.");
    expect(await db.user.count({ where: { employeeCode: "CB030" } })).toBe(0);
    const content = /name="content" value="([^"]+)"/.exec(html)![1];
    const form = new FormData();
    form.set("intent", "apply");
    form.set("content", content);
    form.set("fileName", "roster.csv");
    form.set("fullRoster", "on");
    const apply = await fetch(`${server.url}/hr/staff`, { method: "POST", body: form, headers: { Cookie: hr.cookieHeader(), Origin: server.url } });
    expect(await apply.text()).toContain("Đã áp dụng: thêm mới 1, cập nhật 0, chuyển nghỉ việc 1");
    expect((await db.user.findUniqueOrThrow({ where: { employeeCode: "CB003" } })).active).toBe(false);
    expect(await db.auditEvent.count({ where: { action: "staff.import" } })).toBeGreaterThanOrEqual(1);

    const outside = await upload(hr, "p2.csv", csv("CB040,Tạ Quang,quang@p2.vn,P2C1,Chuyên viên,,,"), { intent: "apply" });
    expect(outside.status).toBe(400);
    expect(await outside.text()).toContain("ngoài phạm vi quản lý của bạn");
    expect(await db.user.count({ where: { employeeCode: "CB040" } })).toBe(0);

    const windows = await upload(hr, "w.csv", Uint8Array.from([0x4d, 0xe3, 0x20, 0x63, 0xe1, 0x6e]), { intent: "check" });
    expect(await windows.text()).toContain("không phải mã UTF-8");
    const big = await upload(hr, "big.csv", new Uint8Array(9 * 1024 * 1024).fill(65), { intent: "check" });
    expect(big.status).toBe(413);

    const learner = await signedIn("giangvien@p1.vn");
    expect((await upload(learner, "x.csv", file, { intent: "apply" })).status).toBe(403);
    expect((await learner.get("/hr/staff")).status).toBe(403);
    const list = await (await hr.get("/hr/staff?q=Tuy%E1%BA%BFt")).text();
    expect(list).toContain("Nguyễn Thị Ánh Tuyết");
    // Case does not matter, for Vietnamese letters too (SQLite's LIKE folds only ASCII).
    for (const q of ["nguyễn", "NGUYỄN THỊ", "ánh tuyết", "nGuYễN"]) {
      expect(await (await hr.get(`/hr/staff?${new URLSearchParams({ q })}`)).text(), q).toContain("Nguyễn Thị Ánh Tuyết");
    }
    expect(await (await hr.get(`/hr/staff?${new URLSearchParams({ q: "ánh tuyết", position: "CHỦ TỊCH" })}`)).text()).toContain("Nguyễn Thị Ánh Tuyết");
  });

  it("leaves nothing behind when applying fails midway, enrolments included", async () => {
    const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
    // An assignment for the file's position only, so every new person gets an enrolment.
    const assignment = await db.trainingAssignment.create({ data: { courseId: course.id, orgUnitId: world.units.a.id, positions: JSON.stringify(["Kiểm thử viên"]), dueAt: new Date(Date.now() + 30 * 86_400_000) } });
    const lines = Array.from({ length: 600 }, (_, i) => `MID${i},Người Thử ${i},mid${i}@p1.vn,P1C1,Kiểm thử viên,,,`);
    const plan = await planImport(readTable("mid.csv", csv(...lines)), ["/P1/"]);
    expect(plan.errors).toEqual([]);
    expect(plan.create).toHaveLength(600);
    // Between the check and the apply, someone takes the e-mail of row 552 (the second batch of
    // 500): the first batch and its enrolments are already written when the second one fails.
    const before = { users: await db.user.count(), enrolments: await db.enrollment.count(), imports: await db.auditEvent.count({ where: { action: "staff.import" } }) };
    const blocker = await createUser("mid550@p1.vn", world.units.a1);
    await expect(applyImport(plan, { id: null, orgUnitId: null }, "test", "mid.csv")).rejects.toThrow();
    expect(await db.user.count()).toBe(before.users + 1);
    expect(await db.user.count({ where: { employeeCode: { startsWith: "MID" } } })).toBe(0);
    expect(await db.enrollment.count()).toBe(before.enrolments);
    expect(await db.enrollment.count({ where: { assignmentId: assignment.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "staff.import" } })).toBe(before.imports);
    await db.user.delete({ where: { id: blocker.id } });
    await db.trainingAssignment.delete({ where: { id: assignment.id } });
  });

  it("imports from the command line with a dry run and progress", async () => {
    const file = path.resolve(`tests/.tmp/cli-${process.pid}.csv`);
    fs.writeFileSync(file, [HEADER, "CB050,Kiều Oanh,oanh@p1.vn,P1C1,Chuyên viên,,,"].join("\n"));
    const dry = await run("npx", ["tsx", "scripts/kns.ts", "import-staff", file, "--dry-run", "--scope", "P1"], { env: process.env });
    expect(dry.stdout).toContain("Thêm mới 1");
    expect(await db.user.count({ where: { employeeCode: "CB050" } })).toBe(0);
    const real = await run("npx", ["tsx", "scripts/kns.ts", "import-staff", file, "--scope", "P1"], { env: process.env });
    expect(real.stdout).toContain("Đã áp dụng: thêm mới 1");
    expect(await db.user.count({ where: { employeeCode: "CB050" } })).toBe(1);
  });

  it("reports progress on stderr while checking and applying a large file", async () => {
    // A province of its own, so these 3,000 people stay out of the other tests' figures.
    await createUnit("P3C1", await createUnit("P3", undefined, "province"), "commune");
    const file = path.resolve(`tests/.tmp/cli-large-${process.pid}.csv`);
    fs.writeFileSync(file, [HEADER, ...Array.from({ length: 3_000 }, (_, i) => `L${i},Cán Bộ ${i},l${i}@p3.vn,P3C1,Chuyên viên,,,`)].join("\n"));
    const dry = await run("npx", ["tsx", "scripts/kns.ts", "import-staff", file, "--dry-run", "--scope", "P3"], { env: process.env });
    expect(dry.stderr.split("\n").filter((l) => l.startsWith("Đang kiểm tra:"))).toEqual([
      "Đang kiểm tra: đã xử lý 1.000/3.000 dòng",
      "Đang kiểm tra: đã xử lý 2.000/3.000 dòng",
      "Đang kiểm tra: đã xử lý 3.000/3.000 dòng",
    ]);
    expect(dry.stderr).not.toContain("Đang ghi:");
    expect(dry.stdout).toContain("Thêm mới 3000");
    const real = await run("npx", ["tsx", "scripts/kns.ts", "import-staff", file, "--scope", "P3"], { env: process.env });
    expect(real.stderr.split("\n").filter((l) => l.startsWith("Đang ghi:"))).toEqual([
      "Đang ghi: đã xử lý 1.000/3.000 dòng",
      "Đang ghi: đã xử lý 2.000/3.000 dòng",
      "Đang ghi: đã xử lý 3.000/3.000 dòng",
    ]);
    expect(await db.user.count({ where: { orgUnit: { code: "P3C1" } } })).toBe(3_000);
  });
});

describe("mandatory training, reminders and coverage", () => {
  // A real SMTP server on loopback: what arrived is what was sent.
  const received: { to: string; body: string }[] = [];
  let smtp: SMTPServer;
  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, session, done) {
        let body = "";
        stream.on("data", (c) => (body += c));
        stream.on("end", () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), body });
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", () => r()));
    const port = (smtp.server.address() as { port: number }).port;
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  });
  afterAll(() => {
    delete process.env.SMTP_URL;
    smtp.close();
  });
  /** Mail that reached the SMTP server for these addresses, once delivery has settled. */
  const arrivedFor = async (...addresses: string[]) => {
    await new Promise((r) => setTimeout(r, 300));
    return received.filter((m) => addresses.includes(m.to));
  };

  it("enrols matching staff now and later, and mails each reminder once", async () => {
    const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
    const due = new Date(Date.now() + 3 * 86_400_000);
    const { enrolled } = await createAssignment({ courseId: course.id, orgUnit: world.units.a, positions: ["Chủ tịch"], dueAt: due, recurrence: "none", reminderDays: 7 }, { id: world.users.hr.id }, "test");
    expect(enrolled).toBe(1); // only CB001 holds a position containing "Chủ tịch"
    // Someone imported later with a matching position is enrolled too.
    const plan = await planImport(readTable("g.csv", csv("CB060,Mạc Văn Chủ,chu@p1.vn,P1.SNV,Phó Chủ tịch Ủy ban nhân dân,,,")), ["/P1/"]);
    await applyImport(plan, { id: null, orgUnitId: null }, "test", "g.csv");
    const late = await db.user.findUniqueOrThrow({ where: { employeeCode: "CB060" } });
    expect(await db.enrollment.count({ where: { userId: late.id, origin: "assigned" } })).toBe(1);

    // Each reminder is written in its recipient's language: Vietnamese unless they chose English.
    await db.user.update({ where: { email: "chu@p1.vn" }, data: { locale: "en" } });
    const first = await sendReminders();
    const second = await sendReminders();
    expect(first.dueSoon).toBe(2);
    expect(second.dueSoon).toBe(0);
    expect((await arrivedFor("chu@p1.vn", "tuyet@p1.vn")).map((m) => m.to).sort()).toEqual(["chu@p1.vn", "tuyet@p1.vn"]);
    expect(received[0].body).toMatch(/Kh=C3=B3a h=E1=BB=8Dc|Khóa học|Kho=C3=A1 h=E1=BB=8Dc/);
    expect(await db.outboxMail.count({ where: { sentAt: { not: null } } })).toBe(2);
    const day = new Intl.DateTimeFormat("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" }).format(due);
    const vietnamese = await db.outboxMail.findFirstOrThrow({ where: { to: "tuyet@p1.vn" } });
    expect(vietnamese.subject).toBe("Sắp đến hạn học: Khóa học thử nghiệm");
    expect(vietnamese.text).toContain(`Khóa học bắt buộc "Khóa học thử nghiệm" cần hoàn thành trước ngày ${day}.`);
    const english = await db.outboxMail.findFirstOrThrow({ where: { to: "chu@p1.vn" } });
    expect(english.subject).toBe("Training due soon: Test course");
    expect(english.text).toContain(`The mandatory course "Test course" must be completed by ${day}.`);
    expect(english.text).toMatch(/^Dear .+,\n/);
  });

  it("mails an overdue reminder once per period and rolls a yearly assignment over to its next cycle", async () => {
    const DAY = 86_400_000;
    const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
    const done = await createUser("xong@p2.vn", world.units.b1);
    const firstDue = new Date(Date.now() - 2 * DAY);
    const nextDue = new Date(firstDue);
    nextDue.setUTCFullYear(nextDue.getUTCFullYear() + 1);
    const { id } = await createAssignment({ courseId: course.id, orgUnit: world.units.b, positions: [], dueAt: firstDue, recurrence: "yearly", reminderDays: 7 }, { id: world.users.admin.id }, "test");
    // One of the two people of P2 completed the first cycle; the other did not.
    await db.enrollment.updateMany({ where: { assignmentId: id, userId: done.id }, data: { completedAt: new Date(Date.now() - 5 * DAY) } });
    const late = world.users.otherLearner;

    const first = await sendReminders();
    expect(first).toMatchObject({ rolledOver: 1, overdue: 1 });
    expect((await db.trainingAssignment.findUniqueOrThrow({ where: { id } })).dueAt).toEqual(nextDue);
    const cycles = await db.enrollment.findMany({ where: { assignmentId: id }, orderBy: [{ userId: "asc" }, { cycle: "asc" }], select: { userId: true, cycle: true, dueAt: true, completedAt: true } });
    expect(cycles).toEqual([
      { userId: late.id, cycle: 1, dueAt: firstDue, completedAt: null },
      { userId: done.id, cycle: 1, dueAt: firstDue, completedAt: expect.any(Date) },
      { userId: done.id, cycle: 2, dueAt: nextDue, completedAt: null },
    ]);
    expect(await sendReminders()).toMatchObject({ rolledOver: 0, overdue: 0 });
    const overdue = await arrivedFor("hocvien@p2.vn", "xong@p2.vn");
    expect(overdue.map((m) => m.to)).toEqual(["hocvien@p2.vn"]);
    expect((await db.outboxMail.findFirstOrThrow({ where: { to: "hocvien@p2.vn" } })).subject).toBe("Quá hạn học: Khóa học thử nghiệm");

    // A year on: the second cycle is due soon, then overdue; each mailed once, and the first
    // cycle's overdue reminder is not repeated.
    const soon = new Date(nextDue.getTime() - 3 * DAY);
    await sendReminders(soon);
    await sendReminders(soon);
    const after = new Date(nextDue.getTime() + DAY);
    expect(await sendReminders(after)).toMatchObject({ rolledOver: 1 });
    await sendReminders(after);
    const logs = await db.reminderLog.findMany({ where: { assignmentId: id }, orderBy: { id: "asc" }, select: { kind: true, period: true, enrollment: { select: { userId: true, cycle: true } } } });
    const day = (d: Date) => d.toISOString().slice(0, 10);
    expect(logs).toEqual([
      { kind: "overdue", period: day(firstDue), enrollment: { userId: late.id, cycle: 1 } },
      { kind: "due_soon", period: day(nextDue), enrollment: { userId: done.id, cycle: 2 } },
      { kind: "overdue", period: day(nextDue), enrollment: { userId: done.id, cycle: 2 } },
    ]);
    expect((await arrivedFor("hocvien@p2.vn", "xong@p2.vn")).map((m) => m.to)).toEqual(["hocvien@p2.vn", "xong@p2.vn", "xong@p2.vn"]);
  });

  it("shows HR and administrators the mail sent to their subtree, linked from the navigation; learners nothing", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const page = await hr.get("/hr/outbox");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('href="/hr/outbox"');
    expect(html).toContain("tuyet@p1.vn");
    expect(html).not.toContain("hocvien@p2.vn");
    await createUser("nhansu@p2.vn", world.units.b, [{ role: "hr", unit: world.units.b }]);
    const otherHr = await (await (await signedIn("nhansu@p2.vn")).get("/hr/outbox")).text();
    expect(otherHr).toContain("hocvien@p2.vn");
    expect(otherHr).not.toContain("tuyet@p1.vn");
    const admin = await (await (await signedIn("quantri@p1.vn")).get("/hr/outbox")).text();
    expect(admin).toContain("tuyet@p1.vn");
    expect(admin).not.toContain("hocvien@p2.vn");
    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.get("/hr/outbox")).status).toBe(403);
    expect(await (await learner.get("/me")).text()).not.toContain('href="/hr/outbox"');
  });

  it("computes every figure of the report, including people who moved or left", async () => {
    const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
    await db.orgUnit.update({ where: { id: world.units.a1.id }, data: { approvedHeadcount: 5 } });
    await db.orgUnit.update({ where: { id: world.units.a2.id }, data: { approvedHeadcount: 10 } });
    const tuyet = await db.user.findUniqueOrThrow({ where: { employeeCode: "CB001" } });
    // Tuyết completed the course and holds a valid certificate; then she moved to the department.
    await db.enrollment.updateMany({ where: { userId: tuyet.id }, data: { completedAt: new Date() } });
    const enrolment = await db.enrollment.findFirstOrThrow({ where: { userId: tuyet.id } });
    await db.certificate.create({
      data: { code: "TESTCODE0000000000001", enrollmentId: enrolment.id, userId: tuyet.id, courseId: course.id, orgUnitId: world.units.a1.id, fullName: tuyet.fullName, position: "", unitName: "", courseTitle: "", issuer: "", completedAt: new Date() },
    });
    await db.user.update({ where: { id: tuyet.id }, data: { orgUnitId: world.units.a2.id } });
    // Chủ's assignment is overdue; a person who left keeps nothing in the report.
    const chu = await db.user.findUniqueOrThrow({ where: { employeeCode: "CB060" } });
    await db.enrollment.updateMany({ where: { userId: chu.id }, data: { dueAt: new Date(Date.now() - 86_400_000) } });
    const gone = await db.user.findUniqueOrThrow({ where: { employeeCode: "CB003" } });
    await db.enrollment.create({ data: { userId: gone.id, courseId: course.id, dueAt: new Date(Date.now() - 86_400_000) } });

    const staffIn = async (unitId: number) => db.user.count({ where: { orgUnitId: unitId, active: true } });
    const report = await coverageByOrgUnit(world.units.a, { courseId: null, category: null, from: null, to: null });
    const commune = report.rows.find((r) => r.code === "P1C1")!;
    const dept = report.rows.find((r) => r.code === "P1.SNV")!;
    expect(commune).toMatchObject({ staff: await staffIn(world.units.a1.id), headcount: 5, enrolled: 0, completed: 0, overdue: 0, validCertificates: 0 });
    expect(commune.vacancies).toBe(Math.max(0, 5 - commune.staff));
    expect(dept).toMatchObject({ staff: await staffIn(world.units.a2.id), headcount: 10, enrolled: 2, completed: 1, overdue: 1, validCertificates: 1, completionRate: 0.5 });
    expect(report.total).toMatchObject({ enrolled: 2, completed: 1, overdue: 1, validCertificates: 1, headcount: 15 });
    expect(report.total.staff).toBe(commune.staff + dept.staff);
    expect(report.categories).toEqual([
      { category: "egov", enrolled: 0, completed: 0, completionRate: 0, overdue: 0, exempt: 0, validCertificates: 0 },
      { category: "security", enrolled: 0, completed: 0, completionRate: 0, overdue: 0, exempt: 0, validCertificates: 0 },
      { category: "payment", enrolled: 0, completed: 0, completionRate: 0, overdue: 0, exempt: 0, validCertificates: 0 },
      { category: "other", enrolled: 2, completed: 1, completionRate: 0.5, overdue: 1, exempt: 0, validCertificates: 1 },
    ]);
    const security = await coverageByOrgUnit(world.units.a, { courseId: null, category: "security", from: null, to: null });
    expect(security.total.enrolled).toBe(0);

    // The page and both downloads carry exactly the same rows.
    const hr = await signedIn("nhansu@p1.vn");
    const page = await (await hr.get("/hr/coverage")).text();
    expect(page).toContain("Báo cáo đào tạo và biên chế");
    const csvText = await (await hr.get("/hr/coverage?format=csv")).text();
    const lines = csvText.replace(/^\uFEFF/, "").trim().split("\r\n");
    // The unit rows and total, an empty row, then the table by category with its header.
    expect(lines).toHaveLength(report.rows.length + 2 + 2 + 4);
    expect(lines[report.rows.length + 1]).toBe(`P1,Tổng cộng,${report.total.staff},${report.total.activated},15,${report.total.vacancies},2,1,50,1,0,1`);
    expect(lines.at(-1)).toBe("Chủ đề khác,2,1,50,1,0,1");
    const xlsx = new Uint8Array(await (await hr.get("/hr/coverage?format=xlsx")).arrayBuffer());
    const table = readTable("r.xlsx", xlsx);
    expect(table.rows.map((r) => r.join(","))).toEqual(lines.slice(1));
    expect((await hr.get("/hr/coverage?unit=P2")).status).toBe(404);
  });

  it("links a course taken on one's own to the assignment when an import brings the person under it", async () => {
    const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
    const assignment = await db.trainingAssignment.findFirstOrThrow({ where: { courseId: course.id, orgUnitId: world.units.a.id, active: true } });
    const binh = await db.user.findUniqueOrThrow({ where: { employeeCode: "CB002" } });
    await db.enrollment.create({ data: { userId: binh.id, courseId: course.id, origin: "self" } });
    const plan = await planImport(readTable("h.csv", csv("CB002,Trần Văn Bình,binh@p1.vn,P1.SNV,Phó Chủ tịch,,,")), ["/P1/"]);
    expect(plan.update.map((u) => u.changed)).toEqual([["position"]]);
    await applyImport(plan, { id: null, orgUnitId: null }, "test", "h.csv");
    const enrolments = await db.enrollment.findMany({ where: { userId: binh.id }, select: { courseId: true, origin: true, assignmentId: true, dueAt: true } });
    expect(enrolments).toEqual([{ courseId: course.id, origin: "assigned", assignmentId: assignment.id, dueAt: assignment.dueAt }]);
  });

  it("neutralises spreadsheet formulas in exports", async () => {
    await db.orgUnit.update({ where: { id: world.units.a1.id }, data: { nameVi: "=HYPERLINK(\"http://x\")" } });
    const hr = await signedIn("nhansu@p1.vn");
    const csvText = await (await hr.get("/hr/coverage?format=csv")).text();
    expect(csvText).toContain("'=HYPERLINK");
    expect(csvText).not.toMatch(/,=HYPERLINK/);
  });
});
