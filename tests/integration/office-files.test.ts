// Rosters as offices save them: files written by LibreOffice Calc (XLSX, Excel 97–2003 XLS,
// ODS) with a title block, an STT column, date cells, the 1904 date system and codes typed into
// number cells; and the roster template, downloaded, filled in and read back.
import fs from "node:fs";
import * as XLSX from "@e965/xlsx";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/platform/db.server";
import { readTable, SpreadsheetError } from "~/hr/spreadsheet.server";
import { applyImport, planImport, ROSTER_HEADERS } from "~/hr/staff-import.server";
import { createUnit, createUser, PASSWORD } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const DIR = "tests/fixtures/rosters/office";
const read = (file: string) => readTable(file, new Uint8Array(fs.readFileSync(`${DIR}/${file}`)), ROSTER_HEADERS);
let server: RunningServer;

beforeAll(async () => {
  const province = await createUnit("15", undefined, "province");
  await createUnit("02647", province, "commune");
  await createUnit("02671", province, "commune");
  const snv = await createUnit("15.SNV", province, "agency");
  await createUser("nhansu@laocai.gov.vn", snv, [{ role: "hr", unit: province }]);
  await createUser("hocvien@laocai.gov.vn", snv);
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

describe("a roster with a title block, saved by LibreOffice Calc", () => {
  for (const file of ["roster-title-block.xlsx", "roster-title-block.xls", "roster-title-block.ods"]) {
    it(`${file}: finds the header row under the title, skips STT and the notes sheet, reads date cells`, async () => {
      const table = read(file);
      expect(table.sheet).toBe("Danh sách");
      expect(table.otherSheets).toEqual(["Hướng dẫn"]);
      const plan = await planImport(table, ["/15/"]);
      expect(plan.source.headerRow).toBe(6);
      expect(plan.errors).toEqual([]);
      expect(plan.missingColumns).toEqual([]);
      // STT is the ordinal column: neither a field nor an unknown column; "Ghi chú" is reported.
      expect(plan.unknownColumns).toEqual(["Ghi chú"]);
      // Twelve people; the "Người lập biểu" footer is not a thirteenth.
      expect(plan.create).toHaveLength(12);
      const byCode = new Map(plan.create.map((p) => [p.employeeCode, p]));
      const first = byCode.get("LC81001")!;
      expect([first.fullName, first.email, first.unitCode, first.nationalId, first.birthDate?.toISOString().slice(0, 10), first.row]).toEqual([
        "Lù Thị Dung",
        "lu.thidung@laocai.gov.vn",
        "02647",
        "010188001234",
        "1988-03-15",
        7,
      ]);
      expect(byCode.get("LC81006")!.birthDate?.toISOString().slice(0, 10)).toBe("1980-02-29");
      expect(byCode.get("LC81007")!.birthDate).toBeNull();
      expect(byCode.get("LC81005")!.unitCode).toBe("02671");
      expect(byCode.get("LC81012")!.active).toBe(false);
      expect(plan.create.filter((p) => p.unitCode === "02647")).toHaveLength(6);
    });
  }

  it("names the rows the office sees when some are refused", async () => {
    // An importer who manages only ward 02647: the rows of 15.SNV and 02671 are out of scope.
    const plan = await planImport(read("roster-title-block.xlsx"), ["/15/02647/"]);
    expect(plan.errors.filter((e) => e.code === "unitOutOfScope").map((e) => e.row)).toEqual([9, 11, 12, 14, 15, 17]);
  });

  it("imports the XLS through the web page, and a second run changes nothing", async () => {
    const hr = new Client(server.url);
    expect((await hr.login("nhansu@laocai.gov.vn", PASSWORD)).status).toBe(302);
    const bytes = fs.readFileSync(`${DIR}/roster-title-block.xls`);
    const upload = async (fields: Record<string, string>) => {
      const form = new FormData();
      form.set("file", new File([bytes], "danh-sach.xls"));
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      return fetch(`${server.url}/hr/staff`, { method: "POST", body: form, headers: { Cookie: hr.cookieHeader(), Origin: server.url }, redirect: "manual" });
    };
    const check = await upload({ intent: "check" });
    expect(check.status).toBe(200);
    const page = await check.text();
    expect(page).toContain("Đọc trang tính");
    expect(page).toContain("Danh sách");
    expect(page).toContain("Hướng dẫn");
    const plan = await planImport(read("roster-title-block.xls"), ["/15/"]);
    await applyImport(plan, { id: null, orgUnitId: null }, "test", "danh-sach.xls");
    const stored = await db.user.findUnique({ where: { employeeCode: "LC81009" }, include: { orgUnit: true } });
    expect([stored?.fullName, stored?.orgUnit.code, stored?.birthDate?.toISOString().slice(0, 10)]).toEqual(["Đỗ Thị Hương Giang", "15.SNV", "1990-10-10"]);
    const again = await planImport(read("roster-title-block.ods"), ["/15/"]);
    expect([again.create.length, again.update.length, again.unchanged]).toEqual([0, 0, 12]);
  });
});

describe("codes typed into number cells", () => {
  it("gives a unit code its zeros back, keeps a code formatted 00000000, and names a national ID that lost its zero", async () => {
    const table = read("roster-numbers.xlsx");
    const plan = await planImport(table, ["/15/"]);
    expect(plan.repairs).toEqual([{ row: 2, column: "unitCode", from: "2647", to: "02647" }]);
    expect(plan.errors).toEqual([{ row: 2, column: "nationalId", code: "nationalIdLostZero", params: { value: "10203004005", fixed: "010203004005" } }]);
    // The cell formatted "00000000" shows its zeros, and what it shows is the code.
    const codes = plan.create.map((p) => [p.employeeCode, p.unitCode, p.birthDate?.toISOString().slice(0, 10) ?? null]);
    expect(codes).toEqual([
      ["810202", "15.SNV", "1991-11-23"],
      ["00810203", "02671", null],
      ["810204", "02647", "1985-04-07"],
    ]);
  });

  it("pads an employee code to the width of the file's other codes, and refuses a number that matches no unit", async () => {
    const sheet = XLSX.utils.aoa_to_sheet([
      ["Mã cán bộ", "Họ và tên", "Email", "Mã đơn vị", "Chức vụ"],
      ["000451", "Hà Thị Lan", "lan@laocai.gov.vn", "02647", "Chuyên viên"],
      [452, "Hà Văn Nam", "nam@laocai.gov.vn", "02647", "Chuyên viên"],
      ["000453", "Hà Thị Yến", "yen@laocai.gov.vn", 9999, "Chuyên viên"],
    ]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, "DS");
    const bytes = new Uint8Array(XLSX.write(book, { type: "array", bookType: "xlsx" }) as ArrayBuffer);
    const plan = await planImport(readTable("ds.xlsx", bytes, ROSTER_HEADERS), ["/15/"]);
    expect(plan.repairs).toEqual([{ row: 3, column: "employeeCode", from: "452", to: "000452" }]);
    expect(plan.errors).toEqual([{ row: 4, column: "unitCode", code: "unitCodeNumber", params: { code: "9999" } }]);
  });

  it("gives every row of a merged cell its value (a unit code merged down a group of rows)", async () => {
    const sheet = XLSX.utils.aoa_to_sheet([
      ["STT", "Mã cán bộ", "Họ và tên", "Email", "Mã đơn vị", "Chức vụ"],
      [1, "LC82001", "Lò Văn Minh", "minh@laocai.gov.vn", "02671", "Chuyên viên"],
      [2, "LC82002", "Lò Thị Hoa", "hoa@laocai.gov.vn", "", "Chuyên viên"],
      [3, "LC82003", "Lò Văn Sơn", "son@laocai.gov.vn", "", "Kế toán"],
    ]);
    sheet["!merges"] = [{ s: { r: 1, c: 4 }, e: { r: 3, c: 4 } }];
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, "DS");
    const bytes = new Uint8Array(XLSX.write(book, { type: "array", bookType: "xlsx" }) as ArrayBuffer);
    const plan = await planImport(readTable("gop.xlsx", bytes, ROSTER_HEADERS), ["/15/"]);
    expect(plan.errors).toEqual([]);
    expect(plan.create.map((p) => p.unitCode)).toEqual(["02671", "02671", "02671"]);
  });

  it("reads dates of a workbook saved with the 1904 date system", async () => {
    const plan = await planImport(read("roster-1904.xlsx"), ["/15/"]);
    expect(plan.errors).toEqual([]);
    expect(plan.create.map((p) => [p.employeeCode, p.birthDate?.toISOString().slice(0, 10)])).toEqual([
      ["LC81301", "1988-03-15"],
      ["LC81302", "1970-01-01"],
    ]);
  });

  it("refuses a file named .xls that is not a workbook, and a zipped file that is not one either", () => {
    expect(() => readTable("x.xls", new TextEncoder().encode("Mã cán bộ,Họ và tên"))).toThrow(SpreadsheetError);
    expect(() => readTable("x.xlsx", new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 0, 0]))).toThrow(SpreadsheetError);
  });
});

describe("the roster template", () => {
  it("downloads for HR only, and reads back: Vietnamese headers, the example row, code columns as text, a notes sheet", async () => {
    const learner = new Client(server.url);
    expect((await learner.login("hocvien@laocai.gov.vn", PASSWORD)).status).toBe(302);
    expect((await learner.get("/hr/staff/template")).status).toBe(403);
    const hr = new Client(server.url);
    expect((await hr.login("nhansu@laocai.gov.vn", PASSWORD)).status).toBe(302);
    const response = await hr.get("/hr/staff/template");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(".xlsx");
    const bytes = new Uint8Array(await response.arrayBuffer());
    const book = XLSX.read(bytes, { type: "array", cellNF: true });
    expect(book.SheetNames).toEqual(["Danh sách", "Hướng dẫn"]);
    // A code typed later into the prepared rows keeps its zeros: the cells are formatted as text.
    expect(book.Sheets["Danh sách"]["D3"]?.z).toBe("@");
    expect(XLSX.utils.sheet_to_csv(book.Sheets["Hướng dẫn"])).toContain("12 chữ số");
    const table = readTable("mau.xlsx", bytes, ROSTER_HEADERS);
    expect(table.headers).toEqual(["Mã cán bộ", "Họ và tên", "Email", "Mã đơn vị", "Chức vụ", "Số CCCD", "Ngày sinh", "Trạng thái"]);
    const plan = await planImport(table, ["/15/"]);
    expect(plan.errors).toEqual([]);
    expect(plan.create.map((p) => [p.employeeCode, p.unitCode, p.birthDate?.toISOString().slice(0, 10)])).toEqual([["LC00001", "02647", "1992-08-12"]]);
  });
});
