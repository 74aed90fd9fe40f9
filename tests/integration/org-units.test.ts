import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { db } from "~/platform/db.server";
import { describeUnitProblem, importOfficialUnits, UnitImportError } from "~/hr/org-units.server";
import { getT } from "~/utils/i18n";
import { TEST_PROVIDER } from "../support/config";
import { createUnit } from "../support/factories";
import { subtreeOf } from "~/utils/org-units";

const run = promisify(execFile);
// The official list of 34 provinces and 3,321 communes, shipped in the repository.
const OFFICIAL = path.resolve("prisma/official-units/vn-admin-units.json");

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
    expect(await db.orgUnit.count({ where: { path: subtreeOf(hanoi.path) } })).toBe(127);

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
    const refusal = (await importOfficialUnits(duplicate).catch((e: unknown) => e)) as UnitImportError;
    expect(refusal).toBeInstanceOf(UnitImportError);
    expect(refusal.problems).toEqual([{ key: "units.import.duplicate", values: { at: "units.import.atCommune", province: 1, commune: 2, code: "98001" } }]);
    expect(describeUnitProblem(getT("vi"), refusal.problems[0])).toBe(
      "Tỉnh/thành phố thứ 1, xã/phường thứ 2: mã đơn vị 98001 bị trùng với một đơn vị đã có trong tệp.",
    );
    await expect(importOfficialUnits({ not: "a list" })).rejects.toThrow(UnitImportError);
    expect(await db.orgUnit.count()).toBe(before);
  });

  it("the command line imports the shipped official list when no file is given", async () => {
    const result = await run("npx", ["tsx", "scripts/kns.ts", "import-units"], { env: process.env });
    expect(result.stdout).toMatch(/Đã nhập 34 tỉnh\/thành phố và 3321 xã\/phường\/đặc khu/);
    expect(await db.orgUnit.count({ where: { kind: "province" } })).toBe(34);
    expect(await db.orgUnit.count({ where: { kind: "commune" } })).toBe(3321);
    expect((await db.orgUnit.findUniqueOrThrow({ where: { code: "15" } })).nameVi).toBe("Tỉnh Lào Cai");
  });

  it("the command line reports a bad file and exits non-zero", async () => {
    const file = path.resolve("tests/.tmp/bad-units.json");
    fs.writeFileSync(file, JSON.stringify([{ code: "9/9", name: "", wards: [] }]));
    const result = await run("npx", ["tsx", "scripts/kns.ts", "import-units", file], { env: process.env }).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Tệp không hợp lệ, không có gì được nhập:/);
    expect(result.stderr).toMatch(/Tỉnh\/thành phố thứ 1: trường "code" bị thiếu hoặc không hợp lệ\./);
    const english = await run("npx", ["tsx", "scripts/kns.ts", "import-units", file], { env: { ...process.env, KNS_LANG: "en" } }).catch((e) => e);
    expect(english.stderr).toMatch(/Province no\. 1: field "name" is missing or invalid\./);
    fs.writeFileSync(file, "{ not json");
    const broken = await run("npx", ["tsx", "scripts/kns.ts", "import-units", file], { env: process.env }).catch((e) => e);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/JSON/);
  });
});

describe("subtree queries", () => {
  it("take exactly a unit and its descendants, comparing codes byte by byte", async () => {
    const p1 = await createUnit("SP1", undefined, "province");
    const c1 = await createUnit("SP1C1", p1, "commune");
    await createUnit("SP1C1D1", c1);
    await createUnit("SP10", undefined, "province"); // shares the prefix "SP1" but is not below it
    await createUnit("sp1", undefined, "province"); // another code that differs only in case
    const codes = await db.orgUnit.findMany({ where: { path: subtreeOf(p1.path) }, select: { code: true }, orderBy: { code: "asc" } });
    expect(codes.map((u) => u.code)).toEqual(["SP1", "SP1C1", "SP1C1D1"]);
    expect(() => subtreeOf("/SP1")).toThrow(/not a unit path/);
  });

  it(`use the path index on ${TEST_PROVIDER}`, async () => {
    const range = subtreeOf("/01/");
    if (TEST_PROVIDER === "sqlite") {
      const plan = await db.$queryRawUnsafe<{ detail: string }[]>(
        `EXPLAIN QUERY PLAN SELECT id FROM "OrgUnit" WHERE "path" >= ? AND "path" < ?`,
        range.gte,
        range.lt,
      );
      expect(plan.map((row) => row.detail).join("\n")).toMatch(/SEARCH OrgUnit USING (COVERING )?INDEX OrgUnit_path_idx \(path>\? AND path<\?\)/);
    } else {
      // A handful of rows would be scanned anyway; forbidding the scan shows the index can serve the range.
      const plan = await db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
        return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(
          `EXPLAIN SELECT id FROM "OrgUnit" WHERE "path" >= $1 AND "path" < $2`,
          range.gte,
          range.lt,
        );
      });
      expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toMatch(/Index.*OrgUnit_path_idx/);
    }
  });
});
