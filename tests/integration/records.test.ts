// Personal data and the audit trail: a person downloads what the system keeps about them (and
// no secret), the audit trail exports to CSV within the viewer's scope, and events older than
// the retention period are purged by the scheduled jobs.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCertificate } from "~/certificates/issue.server";
import { syncContent } from "~/content/content-sync.server";
import { coverageByOrgUnit } from "~/hr/coverage.server";
import { groupCode } from "~/utils/certificates";
import { db } from "~/platform/db.server";
import { purgeAuditEvents } from "~/platform/audit.server";
import { runScheduledJobs } from "~/scheduled-jobs.server";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client, signedInClient } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const DAY = 86_400_000;
let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

beforeAll(async () => {
  world = await twoProvinces();
  await db.user.update({ where: { id: world.users.learner.id }, data: { nationalId: "001090012345", birthDate: new Date("1990-05-17T00:00:00Z"), employeeCode: "P1-HV" } });
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

describe("a person's own data", () => {
  it("downloads as JSON with the profile, learning and actions, naming sign-in factors but never their secrets", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    expect(await (await learner.get("/me")).text()).toContain("Tải toàn bộ dữ liệu của tôi (JSON)");
    const res = await learner.get("/me/data");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("du-lieu-ca-nhan.json");
    const text = await res.text();
    const data = JSON.parse(text);
    expect(data.profile).toMatchObject({ email: "hocvien@p1.vn", employeeCode: "P1-HV", nationalId: "001090012345", orgUnit: { code: "P1C1" } });
    expect(data.signIn).toMatchObject({ password: true, authenticatorApp: null, passkeys: [] });
    expect(data.activity.map((a: { action: string }) => a.action)).toContain("auth.login");
    const hash = (await db.user.findUniqueOrThrow({ where: { id: world.users.learner.id } })).passwordHash!;
    expect(text).not.toContain(hash);
    expect(text).not.toContain("passwordHash");
    expect(text).not.toContain("hocvien@p2.vn");
    expect(await db.auditEvent.count({ where: { action: "personal_data.export", actorId: world.users.learner.id } })).toBe(1);
    expect((await new Client(server.url).get("/me/data")).status).toBe(302);
    // The same as a readable PDF.
    const pdf = await learner.get("/me/data?format=pdf");
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const file = path.resolve("tests/.tmp", `du-lieu-${world.users.learner.id}-${Date.now()}.pdf`);
    fs.writeFileSync(file, new Uint8Array(await pdf.arrayBuffer()));
    const readable = execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf8").normalize("NFC");
    fs.rmSync(file);
    expect(readable).toContain("DỮ LIỆU CÁ NHÂN HỆ THỐNG KỸ NĂNG SỐ LƯU VỀ BẠN");
    expect(readable).toContain("Số CCCD: 001090012345");
    expect(readable).toContain("Ngày sinh: 17/05/1990");
    expect(readable).toContain("auth.login");
  });
});

describe("the audit trail", () => {
  it("exports as CSV within the viewer's scope, neutralising formulas; learners get nothing", async () => {
    await db.auditEvent.create({ data: { action: "test.formula", actorId: world.users.hr.id, orgUnitId: world.units.a.id, detail: '=HYPERLINK("http://x")' } });
    await db.auditEvent.create({ data: { action: "test.elsewhere", orgUnitId: world.units.b.id, detail: "" } });
    const admin = await signedIn("quantri@p1.vn");
    const res = await admin.get("/admin/audit?format=csv&action=test.");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("nhat-ky-kiem-toan.csv");
    const lines = (await res.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("id,at,action,outcome,actor,actorEmail,unit,targetType,targetId,ip,detail");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("test.formula");
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.get("/admin/audit?format=csv")).status).toBe(403);
  });

  it("forgets events older than the retention period, in the scheduled jobs", async () => {
    const now = new Date();
    await db.auditEvent.createMany({
      data: [
        { action: "test.ancient", at: new Date(now.getTime() - 2000 * DAY), detail: "" },
        { action: "test.ancient", at: new Date(now.getTime() - 1900 * DAY), detail: "" },
        { action: "test.recent", at: new Date(now.getTime() - 100 * DAY), detail: "" },
      ],
    });
    // The default retention is five years (1,825 days).
    const result = await runScheduledJobs(now);
    expect(result.purgedAuditEvents).toBe(2);
    expect(await db.auditEvent.count({ where: { action: "test.ancient" } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "test.recent" } })).toBe(1);
    // A shorter retention, and 0 keeping everything.
    expect(await purgeAuditEvents(now, 0)).toBe(0);
    expect(await purgeAuditEvents(now, 30)).toBeGreaterThanOrEqual(1);
    expect(await db.auditEvent.count({ where: { action: "test.recent" } })).toBe(0);
  });
});

/** Every row of every table, as text: where a piece of personal data could still hide. */
async function everything(): Promise<string> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    process.env.DATABASE_URL!.startsWith("file:")
      ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      : "SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema()",
  );
  const dumps: string[] = [];
  for (const { name } of tables) {
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${name.replace(/"/g, "")}"`);
    // Dates come out as ISO text (JSON.stringify calls toJSON), where a birth date is searched for.
    dumps.push(JSON.stringify(rows, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
  }
  return dumps.join("\n");
}

describe("erasing a departed person's personal data", () => {
  it("leaves none of it anywhere, keeps every figure and the certificate verifiable, and is refused where it must be", async () => {
    await syncContent("tests/fixtures/content");
    const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
    const person = await createUser("vi.thi.hong.nhung@p1.vn", world.units.a1, [], { fullName: "Vi Thị Hồng Nhung" });
    const birth = new Date("1991-02-03T00:00:00Z");
    await db.user.update({ where: { id: person.id }, data: { nationalId: "001191023456", birthDate: birth, employeeCode: "P1-VTHN-77", position: "Văn thư" } });
    const e = await db.enrollment.create({ data: { userId: person.id, courseId: course.id, completedAt: new Date(), exemptReason: null, dueReason: "Vi Thị Hồng Nhung nghỉ phép" } });
    const { code } = await issueCertificate(e.id, { userId: null });
    await db.outboxMail.create({ data: { to: "vi.thi.hong.nhung@p1.vn", subject: "Nhắc học", text: "Kính gửi Vi Thị Hồng Nhung," } });
    // A failed sign-in names her address in the audit trail.
    const failed = await new Client(server.url).post("/login", { email: "vi.thi.hong.nhung@p1.vn", password: "sai-mat-khau-123" });
    expect(failed.status).toBe(401);
    const admin = await signedIn("quantri@p1.vn");
    const path = `/admin/users/${person.id}`;
    // Still working: refused.
    expect((await admin.post(path, { intent: "erase", confirm: "on" })).status).toBe(400);
    await db.user.update({ where: { id: person.id }, data: { active: false } });
    const before = await coverageByOrgUnit(world.units.a, { courseId: null, category: null, from: null, to: null });
    const secrets = ["Vi Thị Hồng Nhung", "vi.thi.hong.nhung@p1.vn", "001191023456", "P1-VTHN-77", "1991-02-03"];
    const dump = await everything();
    for (const s of secrets) expect([s, dump.includes(s)]).toEqual([s, true]);

    // HR may not; without the confirmation nothing happens; then it is done, once.
    expect((await (await signedIn("nhansu@p1.vn")).post(path, { intent: "erase", confirm: "on" })).status).toBe(403);
    const unconfirmed = await admin.post(path, { intent: "erase" });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain("Hãy đánh dấu ô xác nhận trước khi xóa.");
    expect((await db.user.findUniqueOrThrow({ where: { id: person.id } })).erasedAt).toBeNull();
    const done = await admin.post(path, { intent: "erase", confirm: "on" });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Đã xóa dữ liệu cá nhân");

    const after = await everything();
    for (const s of secrets) expect([s, after.includes(s)]).toEqual([s, false]);
    expect(await db.auditEvent.count({ where: { action: "user.erase", targetId: String(person.id) } })).toBe(1);
    expect(await coverageByOrgUnit(world.units.a, { courseId: null, category: null, from: null, to: null })).toEqual(before);
    expect(await db.enrollment.count({ where: { userId: person.id, completedAt: { not: null } } })).toBe(1);
    const verify = await (await new Client(server.url).get(`/verify/${groupCode(code)}`)).text();
    expect(verify).toContain("Giấy chứng nhận hợp lệ");
    expect(verify).toMatch(/Một người đã được xóa dữ liệu cá nhân ngày \d{2}\/\d{2}\/\d{4}/);
    // A second erasure and erasing oneself are refused.
    expect((await admin.post(path, { intent: "erase", confirm: "on" })).status).toBe(400);
    const self = await db.user.findUniqueOrThrow({ where: { email: "quantri@p1.vn" } });
    expect((await admin.post(`/admin/users/${self.id}`, { intent: "erase", confirm: "on" })).status).toBe(400);
  });
});
