// Yearly training hours against the requirement, on a small province counted by hand.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncContent } from "~/content/content-sync.server";
import { currentYear } from "~/hr/hours.server";
import { readTable } from "~/hr/spreadsheet.server";
import { db } from "~/platform/db.server";
import { createUnit, createUser, PASSWORD } from "../support/factories";
import { signedInClient } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
const year = currentYear();
const midYear = (y: number) => new Date(Date.UTC(y, 5, 15, 3));

beforeAll(async () => {
  const p1 = await createUnit("P1", undefined, "province");
  const c1 = await createUnit("P1C1", p1, "commune");
  const c2 = await createUnit("P1C2", p1, "commune");
  const snv = await createUnit("P1.SNV", p1, "agency");
  const p2 = await createUnit("P2", undefined, "province");
  await createUser("nhansu@p1.vn", snv, [{ role: "hr", unit: p1 }]);
  await createUser("nhansu@p2.vn", p2, [{ role: "hr", unit: p2 }]);
  await createUser("giangvien@p1.vn", c2, [{ role: "trainer", unit: c2 }]);
  await syncContent("tests/fixtures/content");
  // The course declares two hours.
  const course = await db.course.update({ where: { slug: "khoa-thu" }, data: { estimatedMinutes: 120 } });
  const person = async (email: string, name: string, unit: { id: number }, position: string, code: string) => {
    const u = await createUser(email, unit, [], { fullName: name });
    await db.user.update({ where: { id: u.id }, data: { position, employeeCode: code } });
    return u;
  };
  const a = await person("a@p1.vn", "Nguyễn Văn An", c1, "Chủ tịch UBND", "P1-A");
  const b = await person("b@p1.vn", "Trần Thị Bình", c1, "Công chức", "P1-B");
  const c = await person("c@p1.vn", "Lê Văn Cường", c2, "Công chức", "P1-C");
  const d = await person("d@p1.vn", "Phạm Thị Dung", c2, "Công chức", "P1-D");
  const e = await person("e@p1.vn", "Hoàng Văn Em", c2, "Công chức", "P1-E");
  const done = (userId: number, cycle: number, completedAt: Date, extra: object = {}) =>
    db.enrollment.create({ data: { userId, courseId: course.id, cycle, completedAt, createdAt: new Date(completedAt.getTime() - 86_400_000), ...extra } });
  // An: two cycles this year (4 h). Bình: last year only. Cường: this year but exempt. Dung: left.
  // Em: two cycles this year (4 h).
  await done(a.id, 1, midYear(year));
  await done(a.id, 2, new Date(midYear(year).getTime() + 30 * 86_400_000));
  await done(b.id, 1, midYear(year - 1));
  await done(c.id, 1, midYear(year), { exemptAt: midYear(year), exemptReason: "Học lớp tập trung" });
  await done(d.id, 1, midYear(year));
  await db.user.update({ where: { id: d.id }, data: { active: false } });
  await done(e.id, 1, midYear(year));
  await done(e.id, 2, new Date(midYear(year).getTime() + 30 * 86_400_000));
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

describe("yearly training hours", () => {
  it("sets requirements (checked, in scope) and reports each unit and person against them", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const bad = await hr.post("/hr/hours", { unitCode: "P1", position: "", hours: "nhiều" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Số giờ là số nguyên từ 1 đến 500.");
    expect((await hr.post("/hr/hours", { unitCode: "P2", position: "", hours: "3" })).status).toBe(400);
    expect(await db.trainingHoursRule.count()).toBe(0);
    expect((await hr.post("/hr/hours", { unitCode: "P1", position: "", hours: "3" })).status).toBe(200);
    expect((await hr.post("/hr/hours", { unitCode: "P1C1", position: "Chủ tịch", hours: "8" })).status).toBe(200);

    const page = await (await hr.get(`/hr/hours?unit=P1&year=${year}`)).text();
    expect(page).toContain("P1C1 — Chủ tịch: 8 giờ/năm");
    // Counted by hand: P1C1 has An (4 h of 8) and Bình (0 of 3); P1C2 has Cường (0, exempt) and
    // Em (4 of 3, reached); Dung has left.
    const csv = (await (await hr.get(`/hr/hours?unit=P1&year=${year}&format=csv`)).text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(csv[0]).toBe("Mã cán bộ,Họ và tên,Mã đơn vị,Đơn vị,Chức vụ,Giờ trực tuyến,Giờ học trực tiếp,Số giờ trong năm,Số giờ phải đạt,Đạt");
    expect(csv.slice(1).sort()).toEqual(
      [
        // The HR officer works in the province too: the rule for everyone applies.
        ",Người dùng nhansu,P1.SNV,Đơn vị P1.SNV,,0,0,0,3,Chưa đạt",
        ",Người dùng giangvien,P1C2,Đơn vị P1C2,,0,0,0,3,Chưa đạt",
        "P1-A,Nguyễn Văn An,P1C1,Đơn vị P1C1,Chủ tịch UBND,4,0,4,8,Chưa đạt",
        "P1-B,Trần Thị Bình,P1C1,Đơn vị P1C1,Công chức,0,0,0,3,Chưa đạt",
        "P1-C,Lê Văn Cường,P1C2,Đơn vị P1C2,Công chức,0,0,0,3,Chưa đạt",
        "P1-E,Hoàng Văn Em,P1C2,Đơn vị P1C2,Công chức,4,0,4,3,Đạt",
      ].sort(),
    );
    expect(page).toMatch(/Đơn vị P1C1<\/a><\/th><td[^>]*>2<\/td><td[^>]*>2<\/td><td[^>]*>0<\/td>/);
    expect(page).toMatch(/Đơn vị P1C2<\/a><\/th><td[^>]*>3<\/td><td[^>]*>3<\/td><td[^>]*>1<\/td><td[^>]*>33%<\/td><td[^>]*>4<\/td>/);
    const xlsx = readTable("gio.xlsx", new Uint8Array(await (await hr.get(`/hr/hours?unit=P1C2&year=${year}&format=xlsx`)).arrayBuffer()));
    expect(xlsx.rows.map((r) => r[1]).sort()).toEqual(["Hoàng Văn Em", "Lê Văn Cường", "Người dùng giangvien"]);
    // Last year: Bình's two hours.
    const lastYear = (await (await hr.get(`/hr/hours?unit=P1C1&year=${year - 1}&format=csv`)).text()).split("\r\n");
    expect(lastYear.find((l) => l.startsWith("P1-B"))).toBe("P1-B,Trần Thị Bình,P1C1,Đơn vị P1C1,Công chức,2,0,2,3,Chưa đạt");
    // Another province's officer sees none of it.
    const other = await signedIn("nhansu@p2.vn");
    expect((await other.get("/hr/hours?unit=P1")).status).toBe(404);
    expect((await other.post("/hr/hours", { unitCode: "P1", position: "", hours: "1" })).status).toBe(400);
  });

  it("counts in-person classes recorded by HR (attendees checked, all or nothing) in the hours and the transcript", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const bad = await hr.post("/hr/classes", { title: "Lớp an toàn thông tin", provider: "Trường Chính trị tỉnh", startsOn: `${year}-03-10`, endsOn: `${year}-03-09`, hours: "6", category: "security", unitCode: "P1" });
    expect(bad.status).toBe(400);
    const created = await hr.post("/hr/classes", { title: "Lớp an toàn thông tin", provider: "Trường Chính trị tỉnh", startsOn: `${year}-03-10`, endsOn: `${year}-03-11`, hours: "6", category: "security", unitCode: "P1" });
    expect(created.status).toBe(302);
    const path = created.headers.get("location")!;
    const mixed = await hr.post(path, { codes: "P1-B, hoàn thành\nP1-C, vắng\nKHONG-CO\nP1-E, tuyệt vời" });
    expect(mixed.status).toBe(400);
    const text = await mixed.text();
    expect(text).toContain("Dòng 3: không có cán bộ đang làm việc mã KHONG-CO");
    expect(text).toContain("Dòng 4: kết quả của P1-E phải là hoàn thành, không đạt hoặc vắng");
    expect(await db.classAttendance.count()).toBe(0);
    expect((await hr.post(path, { codes: "P1-B\nP1-C, vắng" })).status).toBe(200);
    // From a file as well: Em failed.
    const form = new FormData();
    form.set("file", new File([Buffer.from("Mã cán bộ;Kết quả\nP1-E;không đạt\n")], "ds-lop.csv"));
    const upload = await fetch(`${server.url}${path}`, { method: "POST", body: form, headers: { Cookie: hr.cookieHeader(), Origin: server.url } });
    expect(upload.status).toBe(200);
    expect((await db.classAttendance.findMany({ select: { result: true, user: { select: { employeeCode: true } } }, orderBy: { id: "asc" } })).map((a) => [a.user.employeeCode, a.result])).toEqual([
      ["P1-B", "completed"],
      ["P1-C", "absent"],
      ["P1-E", "failed"],
    ]);
    const csv = (await (await hr.get(`/hr/hours?unit=P1&year=${year}&format=csv`)).text()).split("\r\n");
    expect(csv.find((l) => l.startsWith("P1-B"))).toBe("P1-B,Trần Thị Bình,P1C1,Đơn vị P1C1,Công chức,0,6,6,3,Đạt");
    expect(csv.find((l) => l.startsWith("P1-C"))).toBe("P1-C,Lê Văn Cường,P1C2,Đơn vị P1C2,Công chức,0,0,0,3,Chưa đạt");
    expect(csv.find((l) => l.startsWith("P1-E"))).toBe("P1-E,Hoàng Văn Em,P1C2,Đơn vị P1C2,Công chức,4,0,4,3,Đạt");
    // Bình's transcript names the class.
    const binh = await db.user.findUniqueOrThrow({ where: { employeeCode: "P1-B" } });
    const pdf = new Uint8Array(await (await hr.get(`/hr/staff/${binh.id}/transcript`)).arrayBuffer());
    const file = `tests/.tmp/ket-qua-${binh.id}-${Date.now()}.pdf`;
    fs.writeFileSync(file, pdf);
    const transcript = execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf8").normalize("NFC");
    fs.rmSync(file);
    expect(transcript).toContain("Lớp an toàn thông tin");
    expect(transcript).toContain("Học trực tiếp");
    expect(transcript).toMatch(/trong năm \d{4}: 6 giờ/);
    // Another province's officer cannot see or change the class; a learner records nothing.
    const other = await signedIn("nhansu@p2.vn");
    expect((await other.get(path)).status).toBe(404);
    expect((await other.post(path, { codes: "P1-A" })).status).toBe(404);
    expect((await (await signedIn("a@p1.vn")).get("/hr/classes")).status).toBe(403);
  });

  it("lets a trainer record a class for their own units, and nobody outside them", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    expect(await (await trainer.get("/author")).text()).toContain('href="/hr/classes"');
    expect((await trainer.post("/hr/classes", { title: "Tập huấn dịch vụ công", provider: "", startsOn: `${year}-04-01`, endsOn: `${year}-04-01`, hours: "1,5", category: "egov", unitCode: "P1" })).status).toBe(400);
    const created = await trainer.post("/hr/classes", { title: "Tập huấn dịch vụ công", provider: "", startsOn: `${year}-04-01`, endsOn: `${year}-04-01`, hours: "1,5", category: "egov", unitCode: "P1C2" });
    expect(created.status).toBe(302);
    const path = created.headers.get("location")!;
    const outside = await trainer.post(path, { codes: "P1-A" });
    expect(outside.status).toBe(400);
    expect(await outside.text()).toContain("Dòng 1: P1-A thuộc đơn vị ngoài phạm vi bạn quản lý");
    expect((await trainer.post(path, { codes: "P1-C" })).status).toBe(200);
    const klass = await db.trainingClass.findFirstOrThrow({ where: { title: "Tập huấn dịch vụ công" }, include: { attendances: true } });
    expect([klass.minutes, klass.attendances.length]).toEqual([90, 1]);
    // The HR officer of the province sees the trainer's class; the other province's does not.
    expect((await (await signedIn("nhansu@p1.vn")).get(path)).status).toBe(200);
    expect((await (await signedIn("nhansu@p2.vn")).get(path)).status).toBe(404);
  });
});
