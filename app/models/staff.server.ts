import { db } from "~/services/db.server";
import { subtreeOf, type UnitFilter } from "~/utils/org-units";

export const STAFF_PAGE = 50;

export async function listStaff(scope: UnitFilter, q: { text: string; unitPath: string | null; position: string; status: "active" | "left" | "" ; page: number }) {
  const text = q.text.trim();
  const where = {
    employeeCode: { not: null },
    orgUnit: q.unitPath ? { AND: [scope, { path: subtreeOf(q.unitPath) }] } : scope,
    ...(q.status ? { active: q.status === "active" } : {}),
    ...(q.position ? { position: { contains: q.position } } : {}),
    ...(text ? { OR: [{ fullName: { contains: text } }, { email: { contains: text.toLowerCase() } }, { employeeCode: { contains: text } }] } : {}),
  };
  const [staff, total] = await Promise.all([
    db.user.findMany({
      where,
      select: { id: true, employeeCode: true, fullName: true, email: true, position: true, active: true, orgUnit: { select: { code: true, nameVi: true, nameEn: true } } },
      orderBy: [{ orgUnit: { code: "asc" } }, { fullName: "asc" }],
      skip: q.page * STAFF_PAGE,
      take: STAFF_PAGE,
    }),
    db.user.count({ where }),
  ]);
  return { staff, total };
}
