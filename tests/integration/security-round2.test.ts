// Attacks that got through the first security review, reproduced against the real server:
// parallel password guesses, forged X-Forwarded-For behind the proxy, a header that names an
// object-prototype property, and officers acting on people whose roles reach further.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/platform/db.server";
import { readTable } from "~/hr/spreadsheet.server";
import { codeFromBytes, groupCode } from "~/utils/certificates";
import { planImport } from "~/hr/staff-import.server";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;

beforeAll(async () => {
  world = await twoProvinces();
  // Behind one proxy (nginx appends the address it saw to X-Forwarded-For).
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, TRUST_PROXY: "1" });
});
afterAll(async () => server?.stop());

describe("password guessing", () => {
  it("counts guesses sent all at once before checking any: only five of 39 parallel guesses are checked, and the right password after them is refused", async () => {
    const target = await createUser("doanmatkhau@p1.vn", world.units.a1);
    const guesses = await Promise.all(
      Array.from({ length: 39 }, (_, i) =>
        new Client(server.url).post("/login", { email: target.email, password: `doan-sai-${i}-x1` }, { headers: { "X-Forwarded-For": `198.51.100.${i + 1}` } }),
      ),
    );
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(34);
    expect(await db.auditEvent.count({ where: { action: "auth.login", outcome: "failed", detail: { contains: target.email } } })).toBe(5);
    const right = await new Client(server.url).post("/login", { email: target.email, password: PASSWORD }, { headers: { "X-Forwarded-For": "198.51.100.200" } });
    expect(right.status).toBe(429);
    expect(await db.auditEvent.count({ where: { action: "auth.login", outcome: "ok", actorId: target.id } })).toBe(0);
  });
});

describe("client addresses behind the proxy", () => {
  it("takes the address the proxy appended, not the one the client wrote, for limits and the audit trail", async () => {
    const real = "203.0.113.77";
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      // What nginx forwards when the client sends its own X-Forwarded-For: the forged value, then the real address.
      const forged = `10.0.${i}.1`;
      const response = await new Client(server.url).post("/login", { email: `khongco${i}@p1.vn`, password: "sai-mat-khau-9" }, { headers: { "X-Forwarded-For": `${forged}, ${real}` } });
      statuses.push(response.status);
    }
    expect(statuses[30]).toBe(429);
    const events = await db.auditEvent.findMany({ where: { action: "auth.login", detail: { contains: "khongco" } }, select: { ip: true } });
    expect(new Set(events.map((e) => e.ip))).toEqual(new Set([real]));
  });

  it("limits certificate look-ups per real address however the header is forged", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) {
      const response = await new Client(server.url).get(`/verify/KNS-${String(i).padStart(4, "0")}-0000-0000`, { "X-Forwarded-For": `10.1.${i}.9, 203.0.113.88` });
      statuses.push(response.status);
    }
    expect(statuses.slice(30)).toContain(429);
  });
});

describe("spreadsheet headers", () => {
  it("reports a column named after an object-prototype property instead of swallowing it", async () => {
    const csv = "Mã cán bộ;Họ và tên;Email;Mã đơn vị;Chức vụ;constructor;__proto__\nLC1;Nguyễn An;an@p1.vn;P1C1;Chuyên viên;x;y\n";
    const plan = await planImport(readTable("r.csv", new TextEncoder().encode(csv)), [world.units.a.path]);
    expect(plan.unknownColumns).toEqual(["constructor", "__proto__"]);
    expect(plan.errors).toEqual([]);
    expect(plan.create.map((p) => p.email)).toEqual(["an@p1.vn"]);
  });
});

describe("separation of duties", () => {
  it("a ward HR officer's roster import cannot mark a province administrator as left or change their e-mail", async () => {
    const wardHr = await createUser("nhansu.phuong@p1.vn", world.units.a1, [{ role: "hr", unit: world.units.a1 }]);
    const admin = await createUser("quantri.p1@p1.vn", world.units.a1, [{ role: "admin", unit: world.units.a }]);
    await db.user.update({ where: { id: admin.id }, data: { employeeCode: "QT-001", position: "Chuyên viên CNTT" } });
    const client = new Client(server.url);
    expect((await client.login(wardHr.email, PASSWORD)).status).toBe(302);
    const csv = `Mã cán bộ;Họ và tên;Email;Mã đơn vị;Chức vụ;Trạng thái\nQT-001;Người dùng quantri.p1;ke-gian@p1.vn;P1C1;Chuyên viên CNTT;nghỉ việc\n`;
    const form = new FormData();
    form.set("intent", "check");
    form.set("file", new Blob([csv], { type: "text/csv" }), "roster.csv");
    const response = await fetch(`${server.url}/hr/staff`, { method: "POST", body: form, headers: { Cookie: client.cookieHeader(), Origin: server.url } });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("quyền rộng hơn");
    expect(await db.user.findUniqueOrThrow({ where: { id: admin.id } })).toMatchObject({ active: true, email: "quantri.p1@p1.vn" });
  });
});

describe("grades", () => {
  it("an HR officer cannot override their own failed attempt", async () => {
    const hrOfficer = await createUser("nhansu.tuthi@p1.vn", world.units.a1, [{ role: "hr", unit: world.units.a }]);
    const course = await db.course.create({ data: { slug: "tu-cham", title: "Khóa tự chấm", category: "egov" } });
    const version = await db.courseVersion.create({
      data: {
        courseId: course.id, number: 1, title: "Khóa tự chấm", titleEn: "", summary: "", summaryEn: "", introHtml: "", category: "egov", estimatedMinutes: 10,
        validityMonths: 0, passingScore: 80, quizSize: 1, maxAttempts: 3, retryWaitMinutes: 0, timeLimitMinutes: 0, sequential: false, reviewPolicy: "explain", contentHash: "x",
      },
    });
    await db.course.update({ where: { id: course.id }, data: { publishedVersionId: version.id } });
    const enrolment = await db.enrollment.create({ data: { userId: hrOfficer.id, courseId: course.id } });
    const attempt = await db.quizAttempt.create({ data: { enrollmentId: enrolment.id, versionId: version.id, number: 1, status: "submitted", submittedAt: new Date(), questionCount: 1, correctCount: 0, score: 0, passed: false } });
    const client = new Client(server.url);
    expect((await client.login(hrOfficer.email, PASSWORD)).status).toBe(302);
    const response = await client.post(`/hr/staff/${hrOfficer.id}`, { attemptId: String(attempt.id), score: "100", reason: "Tự sửa điểm của mình" });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("Bạn không thể sửa điểm của chính mình.");
    expect(await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({ score: 0, passed: false, overriddenById: null });
    expect(await db.certificate.count({ where: { userId: hrOfficer.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "grade.override", outcome: "denied", actorId: hrOfficer.id } })).toBe(1);
  });

  it("an HR officer cannot revoke or reissue their own certificate; another officer can", async () => {
    const officer = await createUser("nhansu.tucap@p1.vn", world.units.a1, [{ role: "hr", unit: world.units.a }]);
    const course = await db.course.create({ data: { slug: "tu-cap", title: "Khóa tự cấp", category: "egov" } });
    const enrolment = await db.enrollment.create({ data: { userId: officer.id, courseId: course.id, completedAt: new Date() } });
    const cert = await db.certificate.create({
      data: {
        code: codeFromBytes(crypto.getRandomValues(new Uint8Array(20))), enrollmentId: enrolment.id, userId: officer.id, courseId: course.id, orgUnitId: world.units.a1.id,
        fullName: officer.fullName, position: "", unitName: "Xã", courseTitle: course.title, issuer: "Sở Nội vụ", completedAt: new Date(),
      },
    });
    const path = `/hr/certificates/${groupCode(cert.code)}`;
    const self = new Client(server.url);
    expect((await self.login(officer.email, PASSWORD)).status).toBe(302);
    for (const intent of ["revoke", "reissue"]) {
      const response = await self.post(path, { intent, reason: "Tự sửa giấy của mình" });
      expect(response.headers.get("location")).toBeNull();
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("Bạn không thể thu hồi hay cấp lại giấy chứng nhận của chính mình.");
    }
    expect(await db.certificate.findUniqueOrThrow({ where: { id: cert.id } })).toMatchObject({ status: "valid", replacedById: null });
    expect(await db.auditEvent.count({ where: { actorId: officer.id, outcome: "denied", detail: { contains: "own_certificate" } } })).toBe(2);

    const other = new Client(server.url);
    expect((await other.login(world.users.hr.email, PASSWORD)).status).toBe(302);
    expect((await other.post(path, { intent: "revoke", reason: "Cấp nhầm khóa học" })).status).toBe(302);
    expect((await db.certificate.findUniqueOrThrow({ where: { id: cert.id } })).status).toBe("revoked");
  });
});

describe("the log", () => {
  it("writes one line without a stack for each request a client got wrong", async () => {
    const before = server.output().length;
    for (let i = 0; i < 10; i++) {
      await fetch(`${server.url}/?_data=root`);
      await fetch(`${server.url}/courses/%E0%A4%A`);
      await fetch(`${server.url}/me?_data=routes%2Fme._index`);
    }
    const written = server.output().slice(before);
    expect(written).not.toMatch(/^\s+at /m);
    expect(written.split("\n").filter(Boolean).length).toBeLessThanOrEqual(30);
  });
});

describe("links in documents", () => {
  it("a forged Host header never reaches a certificate's link", async () => {
    const learner = world.users.learner;
    const course = await db.course.create({ data: { slug: "host-gia", title: "Khóa kiểm tra Host", category: "egov" } });
    const enrolment = await db.enrollment.create({ data: { userId: learner.id, courseId: course.id, completedAt: new Date() } });
    const { issueCertificate } = await import("~/certificates/issue.server");
    const cert = await issueCertificate(enrolment.id, { userId: null });
    const client = new Client(server.url);
    expect((await client.login(learner.email, PASSWORD)).status).toBe(302);
    const response = await client.get(`/me/certificates/${groupCode(cert.code)}/pdf`, { Host: "evil.example" });
    expect(response.status).toBe(200);
    const pdf = Buffer.from(await response.arrayBuffer());
    const fs = await import("node:fs");
    const { execFileSync } = await import("node:child_process");
    const file = `tests/.tmp/host-${process.pid}.pdf`;
    fs.writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    fs.rmSync(file);
    expect(text).not.toContain("evil.example");
    expect(text).toContain(`${server.url}/verify`);
  });
});

describe("administrators of a narrower unit", () => {
  it("cannot edit the account of an administrator whose role reaches further", async () => {
    const wardAdmin = await createUser("quantri.phuong@p1.vn", world.units.a1, [{ role: "admin", unit: world.units.a1 }]);
    const provinceAdmin = await createUser("quantri.tinh2@p1.vn", world.units.a1, [{ role: "admin", unit: world.units.a }]);
    const client = new Client(server.url);
    expect((await client.login(wardAdmin.email, PASSWORD)).status).toBe(302);
    const response = await client.post(`/admin/users/${provinceAdmin.id}`, {
      intent: "save",
      fullName: "Bị khóa",
      email: "ke-gian-2@p1.vn",
      position: "",
      unitCode: "P1C1",
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("Không thể thao tác trên tài khoản có quyền rộng hơn");
    expect(await db.user.findUniqueOrThrow({ where: { id: provinceAdmin.id } })).toMatchObject({ active: true, email: provinceAdmin.email });
    // Someone within the ward administrator's reach is still theirs to edit.
    const clerk = await createUser("vanthu@p1.vn", world.units.a1);
    const edited = await client.post(`/admin/users/${clerk.id}`, { intent: "save", fullName: "Văn thư xã", email: clerk.email, position: "Văn thư", unitCode: "P1C1", active: "on" });
    expect(edited.status).toBe(200);
    expect((await db.user.findUniqueOrThrow({ where: { id: clerk.id } })).fullName).toBe("Văn thư xã");
  });
});

describe("autosave", () => {
  it("refuses an older save that arrives after a newer one, and keeps the newer answers", async () => {
    const { syncContent } = await import("~/content/content-sync.server");
    const { answerKey } = await import("../support/quiz");
    await syncContent("tests/fixtures/content");
    const learner = await createUser("tudongluu@p1.vn", world.units.a1);
    const client = new Client(server.url);
    expect((await client.login(learner.email, PASSWORD)).status).toBe(302);
    await client.post("/courses/khoa-thu", {});
    await db.enrollment.updateMany({ where: { userId: learner.id }, data: { completedAt: null } });
    const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
    await db.course.update({ where: { id: course.id }, data: { sequential: false } });
    const enrolment = await db.enrollment.findFirstOrThrow({ where: { userId: learner.id } });
    for (const lesson of await db.lesson.findMany({ where: { courseId: course.id } })) {
      await db.lessonCompletion.create({ data: { enrollmentId: enrolment.id, lessonId: lesson.id } });
    }
    expect((await client.post("/courses/khoa-thu/quiz", { intent: "start" })).status).toBe(302);
    const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollmentId: enrolment.id, status: "open" } });
    const [first] = await answerKey(attempt.id);
    const save = (seq: string, choice: string) =>
      client.postEntries("/courses/khoa-thu/quiz", [["intent", "save"], ["attemptId", String(attempt.id)], ["seq", seq], [`q${first.position}`, choice]]);
    expect((await save("2", first.correct[0])).status).toBe(200);
    const replayed = await save("1", first.wrong[0]);
    expect(replayed.status).toBe(409);
    expect(await replayed.text()).toContain("Câu trả lời mới hơn đã được lưu");
    const stored = await db.attemptQuestion.findFirstOrThrow({ where: { attemptId: attempt.id, position: first.position } });
    expect(JSON.parse(stored.answer!)).toEqual([first.correct[0]]);
    expect((await save("3", first.wrong[0])).status).toBe(200);
  });
});

describe("the session cookie", () => {
  it("ends with the browser unless the person asks to be remembered on this computer", async () => {
    const person = await createUser("maychung@p1.vn", world.units.a1);
    const shared = await new Client(server.url).post("/login", { email: person.email, password: PASSWORD });
    const sharedCookie = shared.headers.getSetCookie().find((c) => c.startsWith("__Host-kns_session="))!;
    expect(sharedCookie).not.toMatch(/max-age|expires/i);
    expect(sharedCookie).toMatch(/HttpOnly/);
    const remembered = await new Client(server.url).post("/login", { email: person.email, password: PASSWORD, remember: "on" });
    const rememberedCookie = remembered.headers.getSetCookie().find((c) => c.startsWith("__Host-kns_session="))!;
    expect(rememberedCookie).toMatch(/Max-Age=43200/);
  });
});

describe("idle sessions", () => {
  it("end after 30 minutes for HR officers and administrators, while learners keep theirs", async () => {
    const officer = await createUser("nhansu.nghi@p1.vn", world.units.a2, [{ role: "hr", unit: world.units.a }]);
    const learner = await createUser("hocvien.nghi@p1.vn", world.units.a1);
    const signIn = async (email: string) => {
      const client = new Client(server.url);
      expect((await client.login(email, PASSWORD)).status).toBe(302);
      return client;
    };
    const hr = await signIn(officer.email);
    const learning = await signIn(learner.email);
    const idle = (userId: number, minutes: number) => db.session.updateMany({ where: { userId }, data: { lastSeenAt: new Date(Date.now() - minutes * 60_000) } });

    await idle(officer.id, 10);
    const before = (await db.session.findFirstOrThrow({ where: { userId: officer.id } })).lastSeenAt!;
    expect((await hr.get("/hr/staff")).status).toBe(200);
    // Using the session moved its last use forward.
    expect((await db.session.findFirstOrThrow({ where: { userId: officer.id } })).lastSeenAt!.getTime()).toBeGreaterThan(before.getTime());

    await idle(officer.id, 31);
    await idle(learner.id, 31);
    const ended = await hr.get("/hr/staff");
    expect(ended.status).toBe(302);
    expect(ended.headers.get("location")).toContain("session=ended");
    expect(await db.session.count({ where: { userId: officer.id } })).toBe(0);
    expect((await learning.get("/me")).status).toBe(200);
  });
});

describe("trainer rights follow the org unit", () => {
  it("a ward trainer cannot open, read the answers of, or publish the shipped course; a province trainer can", async () => {
    const shipped = await db.course.create({
      data: {
        slug: "khoa-chung-tinh",
        title: "Khóa học chung của tỉnh",
        category: "security",
        origin: "content",
        quizSize: 1,
        questions: { create: { key: "q1", position: 1, type: "single", prompt: "Mã OTP có được chia sẻ không?", choices: JSON.stringify([{ id: "a", text: "Không bao giờ", correct: true }, { id: "b", text: "Có", correct: false }]) } },
      },
    });
    const wardTrainer = await createUser("giangvien.xa@p1.vn", world.units.a1, [{ role: "trainer", unit: world.units.a1 }]);
    const ward = new Client(server.url);
    expect((await ward.login(wardTrainer.email, PASSWORD)).status).toBe(302);
    for (const path of ["/author/khoa-chung-tinh", "/author/khoa-chung-tinh/quiz", "/author/khoa-chung-tinh/export"]) {
      const response = await ward.get(path);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain("Không bao giờ");
    }
    expect((await ward.post("/author/khoa-chung-tinh", { intent: "publish" })).status).toBe(404);
    expect(await (await ward.get("/author")).text()).not.toContain("Khóa học chung của tỉnh");
    expect(await db.courseVersion.count({ where: { courseId: shipped.id } })).toBe(0);
    const denials = await db.auditEvent.findMany({ where: { action: "access.denied", actorId: wardTrainer.id } });
    expect(denials.map((d) => [d.targetType, d.targetId])).toEqual(Array(4).fill(["course", String(shipped.id)]));

    const province = new Client(server.url);
    expect((await province.login(world.users.trainer.email, PASSWORD)).status).toBe(302);
    expect((await province.get("/author/khoa-chung-tinh/quiz")).status).toBe(200);
  });

  it("a course belongs to its author's unit: trainers above it edit it, trainers beside it or of another province do not", async () => {
    const wardTrainer = await createUser("giangvien.xa2@p1.vn", world.units.a1, [{ role: "trainer", unit: world.units.a1 }]);
    const ward = new Client(server.url);
    expect((await ward.login(wardTrainer.email, PASSWORD)).status).toBe(302);
    expect((await ward.post("/author", { intent: "create", slug: "khoa-cua-xa", title: "Khóa học của xã", category: "egov" })).status).toBe(302);
    expect((await db.course.findUniqueOrThrow({ where: { slug: "khoa-cua-xa" } })).unitId).toBe(world.units.a1.id);
    expect((await ward.get("/author/khoa-cua-xa")).status).toBe(200);

    const province = new Client(server.url);
    expect((await province.login(world.users.trainer.email, PASSWORD)).status).toBe(302);
    expect((await province.get("/author/khoa-cua-xa")).status).toBe(200);

    const departmentTrainer = await createUser("giangvien.so@p1.vn", world.units.a2, [{ role: "trainer", unit: world.units.a2 }]);
    const otherProvince = await createUser("giangvien@p2.vn", world.units.b1, [{ role: "trainer", unit: world.units.b }]);
    const wardAdmin = await createUser("quantri.xa3@p1.vn", world.units.a2, [{ role: "admin", unit: world.units.a2 }]);
    for (const person of [departmentTrainer, otherProvince, wardAdmin]) {
      const client = new Client(server.url);
      expect((await client.login(person.email, PASSWORD)).status).toBe(302);
      expect((await client.get("/author/khoa-cua-xa")).status).toBe(404);
    }
  });
});
