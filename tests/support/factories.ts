// Builders for test data, written through the app's own Prisma client on the test database.
import { hashPassword } from "~/identity/auth.server";
import { db } from "~/platform/db.server";
import { childPath } from "~/hr/org-units.data.server";

export const PASSWORD = "MatKhau-Thu-2026";
let passwordHash: Promise<string> | undefined;

export async function createUnit(code: string, parent?: { id: number; path: string; depth: number }, kind = "agency") {
  return db.orgUnit.create({
    data: {
      code,
      kind,
      nameVi: `Đơn vị ${code}`,
      nameEn: `Unit ${code}`,
      parentId: parent?.id ?? null,
      path: childPath(parent?.path ?? null, code),
      depth: parent ? parent.depth + 1 : 0,
    },
  });
}

export async function createUser(
  email: string,
  unit: { id: number },
  roles: { role: string; unit: { id: number } }[] = [],
  extra: { fullName?: string; active?: boolean } = {},
) {
  passwordHash ??= hashPassword(PASSWORD);
  return db.user.create({
    data: {
      email,
      fullName: extra.fullName ?? `Người dùng ${email.split("@")[0]}`,
      orgUnitId: unit.id,
      passwordHash: await passwordHash,
      activatedAt: new Date(),
      active: extra.active ?? true,
      roles: { create: roles.map((r) => ({ role: r.role, orgUnitId: r.unit.id })) },
    },
  });
}

/** Two provinces, each with a commune and a department, and people with every role. */
export async function twoProvinces() {
  const a = await createUnit("P1", undefined, "province");
  const a1 = await createUnit("P1C1", a, "commune");
  const a2 = await createUnit("P1.SNV", a, "agency");
  const b = await createUnit("P2", undefined, "province");
  const b1 = await createUnit("P2C1", b, "commune");
  const learner = await createUser("hocvien@p1.vn", a1);
  const trainer = await createUser("giangvien@p1.vn", a2, [{ role: "trainer", unit: a }]);
  const hr = await createUser("nhansu@p1.vn", a2, [{ role: "hr", unit: a }]);
  const admin = await createUser("quantri@p1.vn", a2, [{ role: "admin", unit: a }]);
  const otherLearner = await createUser("hocvien@p2.vn", b1);
  return { units: { a, a1, a2, b, b1 }, users: { learner, trainer, hr, admin, otherLearner } };
}
