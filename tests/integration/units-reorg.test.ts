// Agencies and headcounts in bulk (command line and web page), and reorganisations: moving,
// merging and closing units, with people, assignments and history following and coverage
// figures unchanged.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coverageByOrgUnit } from "~/hr/coverage.server";
import { db } from "~/platform/db.server";
import { createUnit, createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const run = promisify(execFile);
let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;

beforeAll(async () => {
  world = await twoProvinces();
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, JOBS_EVERY_MINUTES: "0" });
});
afterAll(async () => server?.stop());

function csvFile(name: string, lines: string[]) {
  const file = path.resolve(`tests/.tmp/${name}-${process.pid}.csv`);
  fs.writeFileSync(file, `\uFEFF${lines.join("\r\n")}\r\n`);
  return file;
}

const kns = (args: string[]) =>
  run("npx", ["tsx", "scripts/kns.ts", ...args], { env: process.env }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

async function adminClient() {
  const client = new Client(server.url);
  expect((await client.login("quantri@p1.vn", PASSWORD)).status).toBe(302);
  return client;
}

/** A file upload as a browser sends it (multipart), with the client's cookies. */
async function upload(client: Client, pathName: string, fields: Record<string, string>, file?: { name: string; content: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (file) form.set("file", new Blob([file.content], { type: "text/csv" }), file.name);
  return fetch(server.url + pathName, { method: "POST", body: form, headers: { Cookie: client.cookieHeader(), Origin: server.url }, redirect: "manual" });
}

describe("departments and headcounts from a file", () => {
  const header = "Mã đơn vị;Tên đơn vị;Tên tiếng Anh;Mã đơn vị cấp trên;Biên chế;Loại đơn vị";

  it("the command line checks, applies all at once, and changes nothing the second time", async () => {
    const file = csvFile("departments", [
      header,
      "P1.STC;Sở Tài chính;Department of Finance;P1;85;Sở",
      // A department whose parent comes later in the same file.
      "P1.STC.NS;Phòng Ngân sách;Budget Division;P1.STC;12;Phòng",
      "P1C1.VP;Văn phòng HĐND và UBND xã;;P1C1;9;Văn phòng",
      "P1C1;Xã Một;;P1;1.200;",
    ]);
    const dry = await kns(["import-units", "--departments", file, "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("Sẽ thêm 3 đơn vị, cập nhật 1, giữ nguyên 0.");
    expect(await db.orgUnit.count({ where: { code: { startsWith: "P1.STC" } } })).toBe(0);

    const applied = await kns(["import-units", "--departments", file]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Đã thêm 3 đơn vị, cập nhật 1, giữ nguyên 0.");
    const division = await db.orgUnit.findUniqueOrThrow({ where: { code: "P1.STC.NS" } });
    expect(division).toMatchObject({ kind: "agency", nameVi: "Phòng Ngân sách", path: "/P1/P1.STC/P1.STC.NS/", depth: 2, approvedHeadcount: 12 });
    expect((await db.orgUnit.findUniqueOrThrow({ where: { code: "P1C1.VP" } })).nameEn).toBe("Văn phòng HĐND và UBND xã");
    // An official unit's row sets only its headcount ("1.200" as offices write thousands).
    expect(await db.orgUnit.findUniqueOrThrow({ where: { code: "P1C1" } })).toMatchObject({ approvedHeadcount: 1200, nameVi: world.units.a1.nameVi });

    const again = await kns(["import-units", "--departments", file]);
    expect(again.stdout).toContain("Đã thêm 0 đơn vị, cập nhật 0, giữ nguyên 4.");
  });

  it("names every bad row with its reason and imports nothing", async () => {
    const before = await db.orgUnit.count();
    const file = csvFile("departments-bad", [
      header,
      "P1.SXD;Sở Xây dựng;;P1;abc;Sở",
      "P1.SYT;Sở Y tế;;KHONGCO;40;Sở",
      "P1.SYT;Sở Y tế (trùng);;P1;40;Sở",
      "P1.A;Phòng A;;P1.B;3;Phòng",
      "P1.B;Phòng B;;P1.A;3;Phòng",
      "P1.D;;;P1;3;",
      "P2.X;Sở ở tỉnh khác;;P2;5;Sở",
    ]);
    const result = await kns(["import-units", "--departments", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(":2: Biên chế: phải là số nguyên không âm");
    expect(result.stderr).toContain(":3: Mã đơn vị cấp trên: không có đơn vị nào mang mã này");
    expect(result.stderr).toContain(":4: Mã đơn vị: mã đơn vị đã có ở dòng 3 của tệp.");
    expect(result.stderr).toContain(":5: Mã đơn vị cấp trên: đơn vị không thể nằm dưới chính nó");
    expect(result.stderr).toContain(":7: Tên đơn vị: bắt buộc, đang để trống.");
    expect(await db.orgUnit.count()).toBe(before);
  });

  it("the administration page checks an uploaded file, then applies it, within the administrator's scope only", async () => {
    const admin = await adminClient();
    const content = [header, "P1.SNN;Sở Nông nghiệp và Môi trường;;P1;70;Sở", "P2.SNN;Sở ở tỉnh khác;;P2;70;Sở"].join("\n");
    const refused = await upload(admin, "/admin/units/P1", { intent: "departments-check" }, { name: "don-vi.csv", content });
    expect(refused.status).toBe(400);
    const text = await refused.text();
    expect(text).toContain("Tệp có 1 lỗi; chưa có thay đổi nào được áp dụng.");
    expect(text).toContain("Dòng 3, cột Mã đơn vị cấp trên: đơn vị cấp trên nằm ngoài phạm vi bạn quản lý.");

    const good = [header, "P1.SNN;Sở Nông nghiệp và Môi trường;;P1;70;Sở"].join("\n");
    const checked = await upload(admin, "/admin/units/P1", { intent: "departments-check" }, { name: "don-vi.csv", content: good });
    expect(checked.status).toBe(200);
    expect(await checked.text()).toContain("Sẽ thêm 1 đơn vị, cập nhật 0, giữ nguyên 0.");
    expect(await db.orgUnit.count({ where: { code: "P1.SNN" } })).toBe(0);
    const applied = await upload(admin, "/admin/units/P1", { intent: "departments-apply", fileName: "don-vi.csv", content: Buffer.from(good).toString("base64") });
    expect(applied.status).toBe(200);
    expect(await applied.text()).toContain("Đã thêm 1 đơn vị, cập nhật 0, giữ nguyên 0.");
    expect((await db.orgUnit.findUniqueOrThrow({ where: { code: "P1.SNN" } })).approvedHeadcount).toBe(70);
  });
});

describe("a department file saved by a spreadsheet program", () => {
  it("reads the XLSX LibreOffice Calc wrote (headcount as a number cell) and plans it", async () => {
    const { planDepartments } = await import("~/hr/department-import.server");
    const { readTable } = await import("~/hr/spreadsheet.server");
    const file = "tests/fixtures/units/departments-libreoffice.xlsx";
    const plan = await planDepartments(readTable(file, new Uint8Array(fs.readFileSync(file))), ["/"]);
    expect(plan.errors).toEqual([]);
    expect(plan.create.map((d) => [d.code, d.nameVi, d.parentCode, d.approvedHeadcount])).toEqual([
      ["P1.SXD", "Sở Xây dựng", "P1", 1200],
      ["P1.SXD.QLN", "Phòng Quản lý nhà", "P1.SXD", 12],
    ]);
  });
});

describe("a department file built to be slow", () => {
  it("checks a 20,000-row chain (each unit under the next) in one pass, without deep recursion, and refuses it", async () => {
    const { planDepartments } = await import("~/hr/department-import.server");
    const rows = Array.from({ length: 20_000 }, (_, i) => [`D${i}`, `Phòng ${i}`, "", i === 19_999 ? "P1" : `D${i + 1}`, "1", ""]);
    const plan = await planDepartments({ headers: ["Mã đơn vị", "Tên đơn vị", "Tên tiếng Anh", "Mã đơn vị cấp trên", "Biên chế", "Loại đơn vị"], rows, firstRow: 2, numberCells: new Set(), sheet: null, otherSheets: [] }, ["/"]);
    // Deeper than any real tree: every row but the last thirty is refused, and nothing is planned to be written.
    expect(plan.errors.length).toBeGreaterThan(19_000);
    expect(await db.orgUnit.count({ where: { code: { startsWith: "D1" } } })).toBe(0);
  });
});

describe("reorganisations", () => {
  it("moves an agency with its departments under another parent", async () => {
    const agency = await createUnit("P1.BQL", world.units.a);
    await createUnit("P1.BQL.KT", agency);
    const admin = await adminClient();
    const moved = await admin.post("/admin/units/P1.BQL", { intent: "move", target: "P1C1" });
    expect(moved.status).toBe(200);
    expect(await db.orgUnit.findUniqueOrThrow({ where: { code: "P1.BQL.KT" } })).toMatchObject({ path: "/P1/P1C1/P1.BQL/P1.BQL.KT/", depth: 3 });
    const intoItself = await admin.post("/admin/units/P1.BQL", { intent: "move", target: "P1.BQL.KT" });
    expect(intoItself.status).toBe(400);
    expect(await intoItself.text()).toContain("Không thể chuyển hay sáp nhập một đơn vị vào chính nó");
    expect((await admin.post("/admin/units/P1.BQL", { intent: "move", target: "P2" })).status).toBe(400);
  });

  it("merges a commune into another: people, roles, assignments and certificates follow, and the province's figures do not change", async () => {
    const source = await createUnit("P1C9", world.units.a, "commune");
    await db.orgUnit.update({ where: { id: source.id }, data: { approvedHeadcount: 15 } });
    await db.orgUnit.update({ where: { id: world.units.a1.id }, data: { approvedHeadcount: 20 } });
    const people = await Promise.all([1, 2, 3].map((i) => createUser(`sapnhap${i}@p1.vn`, source)));
    const wardHr = await createUser("nhansu.p1c9@p1.vn", source, [{ role: "hr", unit: source }]);
    const course = await db.course.create({ data: { slug: "sap-nhap", title: "Khóa sáp nhập", category: "egov" } });
    const assignment = await db.trainingAssignment.create({ data: { courseId: course.id, orgUnitId: source.id, dueAt: new Date(Date.now() + 86_400_000) } });
    const enrolment = await db.enrollment.create({ data: { userId: people[0].id, courseId: course.id, completedAt: new Date(), origin: "assigned", assignmentId: assignment.id } });
    const certificate = await db.certificate.create({
      data: { code: "SAPNHAP0001", enrollmentId: enrolment.id, userId: people[0].id, courseId: course.id, orgUnitId: source.id, fullName: "Người sáp nhập", position: "", unitName: "Xã Chín", courseTitle: "Khóa sáp nhập", issuer: "Sở Nội vụ", completedAt: new Date() },
    });
    const before = await coverageByOrgUnit(world.units.a, { courseId: null, category: null, from: null, to: null });

    const admin = await adminClient();
    const refusedUnconfirmed = await admin.post("/admin/units/P1C9", { intent: "merge", target: "P1C1" });
    expect(refusedUnconfirmed.status).toBe(400);
    expect((await admin.post("/admin/units/P1C9", { intent: "merge", target: "P1.SNV", confirm: "on" })).status).toBe(400); // a commune into an agency
    const merged = await admin.post("/admin/units/P1C9", { intent: "merge", target: "P1C1", confirm: "on" });
    expect(merged.status).toBe(302);
    expect(merged.headers.get("location")).toContain("/admin/units/P1C1?merged=P1C9");

    expect(await db.user.count({ where: { orgUnitId: source.id } })).toBe(0);
    expect(await db.user.count({ where: { id: { in: [...people.map((p) => p.id), wardHr.id] }, orgUnitId: world.units.a1.id } })).toBe(4);
    expect(await db.roleAssignment.findFirstOrThrow({ where: { userId: wardHr.id } })).toMatchObject({ role: "hr", orgUnitId: world.units.a1.id });
    expect((await db.trainingAssignment.findUniqueOrThrow({ where: { id: assignment.id } })).orgUnitId).toBe(world.units.a1.id);
    expect(await db.certificate.findUniqueOrThrow({ where: { id: certificate.id } })).toMatchObject({ orgUnitId: world.units.a1.id, unitName: "Xã Chín" });
    expect(await db.orgUnit.findUniqueOrThrow({ where: { id: source.id } })).toMatchObject({ active: false, approvedHeadcount: 0 });
    expect((await db.orgUnit.findUniqueOrThrow({ where: { id: world.units.a1.id } })).approvedHeadcount).toBe(35);

    const after = await coverageByOrgUnit(world.units.a, { courseId: null, category: null, from: null, to: null });
    expect(after.total).toMatchObject({
      staff: before.total.staff,
      headcount: before.total.headcount,
      enrolled: before.total.enrolled,
      completed: before.total.completed,
      validCertificates: before.total.validCertificates,
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "unit.merge" } });
    expect(JSON.parse(event.detail)).toMatchObject({ into: "P1C1", people: 4, assignments: 1, certificates: 1 });
  });

  it("closes only a unit nobody works in any more", async () => {
    const busy = await createUnit("P1.BAN", world.units.a);
    await createUser("conlamviec@p1.vn", busy);
    const admin = await adminClient();
    const refused = await admin.post("/admin/units/P1.BAN", { intent: "close" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Đơn vị còn cán bộ đang làm việc");
    const empty = await createUnit("P1.TRONG", world.units.a);
    expect((await admin.post("/admin/units/P1.TRONG", { intent: "close" })).status).toBe(200);
    expect((await db.orgUnit.findUniqueOrThrow({ where: { id: empty.id } })).active).toBe(false);
    expect((await admin.post("/admin/units/P1.TRONG", { intent: "reopen" })).status).toBe(200);
    expect((await db.orgUnit.findUniqueOrThrow({ where: { id: empty.id } })).active).toBe(true);
  });
});
