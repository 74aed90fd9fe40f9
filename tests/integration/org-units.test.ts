import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { db } from "~/services/db.server";
import { importOfficialUnits, UnitImportError } from "~/services/org-units.server";

const run = promisify(execFile);
// The official list of 34 provinces and 3,321 communes, kept outside the project.
const OFFICIAL = process.env.KNS_ADMIN_UNITS_FILE ?? path.resolve("../shared/data/vn-admin-units-2026.json");

describe("importing the official unit list", () => {
  it("imports all 34 provinces and 3,321 communes, idempotently, and applies renames", async () => {
    const data = JSON.parse(fs.readFileSync(OFFICIAL, "utf8"));
    const first = await importOfficialUnits(data);
    expect(first).toMatchObject({ provinces: 34, communes: 3321, created: 3355, updated: 0 });
    expect(await db.orgUnit.count({ where: { kind: "province" } })).toBe(34);
    expect(await db.orgUnit.count({ where: { kind: "commune" } })).toBe(3321);

    const hanoi = await db.orgUnit.findUniqueOrThrow({ where: { code: "01" } });
    expect(hanoi.nameVi).toBe("Thành phố Hà Nội");
    const badinh = await db.orgUnit.findUniqueOrThrow({ where: { code: "00004" } });
    expect(badinh).toMatchObject({ nameVi: "Phường Ba Đình", parentId: hanoi.id, path: "/01/00004/" });
    // The subtree of Hà Nội is one prefix query on the indexed path.
    expect(await db.orgUnit.count({ where: { path: { startsWith: hanoi.path } } })).toBe(127);

    const second = await importOfficialUnits(data);
    expect(second).toMatchObject({ created: 0, updated: 0, unchanged: 3355 });

    data[0].wards[0].fullName = "Phường Ba Đình Mới";
    const renamed = await importOfficialUnits(data);
    expect(renamed).toMatchObject({ created: 0, updated: 1 });
    expect((await db.orgUnit.findUniqueOrThrow({ where: { code: "00004" } })).nameVi).toBe("Phường Ba Đình Mới");
  });

  it("refuses a bad file with a clear error and imports nothing", async () => {
    const before = await db.orgUnit.count();
    const missingName = [{ code: "99", nameEn: "X", fullName: "Tỉnh X", unitType: "Tỉnh", wards: [{ code: "99001", nameEn: "Y", fullName: "Xã Y" }] }];
    await expect(importOfficialUnits(missingName)).rejects.toThrow(UnitImportError);
    await expect(importOfficialUnits(missingName)).rejects.toThrow(/name/);
    const duplicate = [
      { code: "98", name: "A", nameEn: "A", fullName: "Tỉnh A", unitType: "Tỉnh", wards: [{ code: "98001", name: "B", nameEn: "B", fullName: "Xã B", unitType: "Xã" }, { code: "98001", name: "C", nameEn: "C", fullName: "Xã C", unitType: "Xã" }] },
    ];
    await expect(importOfficialUnits(duplicate)).rejects.toThrow(/duplicate unit code 98001/);
    await expect(importOfficialUnits({ not: "a list" })).rejects.toThrow(UnitImportError);
    expect(await db.orgUnit.count()).toBe(before);
  });

  it("the command line reports a bad file and exits non-zero", async () => {
    const file = path.resolve("tests/.tmp/bad-units.json");
    fs.writeFileSync(file, JSON.stringify([{ code: "9/9", name: "", wards: [] }]));
    const result = await run("npx", ["tsx", "scripts/kns.ts", "import-units", file], { env: process.env }).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/không có gì được nhập/);
    fs.writeFileSync(file, "{ not json");
    const broken = await run("npx", ["tsx", "scripts/kns.ts", "import-units", file], { env: process.env }).catch((e) => e);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/JSON/);
  });
});
