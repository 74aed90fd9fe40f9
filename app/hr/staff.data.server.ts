import { db } from "~/platform/db.server";
import { subtreeOf, type UnitFilter } from "~/utils/org-units";

export type AccountStatusFilter = "notActivated" | "active" | "locked";

export const STAFF_PAGE = 50;

/**
 * The spellings a word is written in: as typed, lower case, upper case and capitalised.
 * Neither SQLite's LIKE (it folds ASCII only) nor PostgreSQL's (case-sensitive) finds "Nguyễn"
 * for "nguyễn", so the query asks for each spelling instead.
 */
export function caseVariants(word: string): string[] {
  const lower = word.toLowerCase();
  return [...new Set([word, lower, word.toUpperCase(), lower.charAt(0).toUpperCase() + lower.slice(1)])];
}

/** Every word of `text` appears in `field`, in any of its spellings ("ủy ban" finds "Ủy ban"). */
function containsWords(field: "fullName" | "position" | "employeeCode", text: string) {
  const words = text.normalize("NFC").split(/\s+/).filter(Boolean).slice(0, 8);
  return { AND: words.map((w) => ({ OR: caseVariants(w).map((v) => ({ [field]: { contains: v } })) })) };
}

const ACCOUNT_FILTERS = {
  notActivated: { active: true, activatedAt: null, lockedAt: null },
  active: { active: true, activatedAt: { not: null }, lockedAt: null },
  locked: { active: true, lockedAt: { not: null } },
} as const;

export async function listStaff(
  scope: UnitFilter,
  q: { text: string; unitPath: string | null; position: string; status: "active" | "left" | ""; account: AccountStatusFilter | ""; page: number },
) {
  const text = q.text.trim();
  const where = {
    employeeCode: { not: null },
    orgUnit: q.unitPath ? { AND: [scope, { path: subtreeOf(q.unitPath) }] } : scope,
    ...(q.status ? { active: q.status === "active" } : {}),
    ...(q.account ? ACCOUNT_FILTERS[q.account] : {}),
    ...(q.position.trim() ? containsWords("position", q.position) : {}),
    ...(text ? { OR: [containsWords("fullName", text), { email: { contains: text.toLowerCase() } }, containsWords("employeeCode", text)] } : {}),
  };
  const [staff, total] = await Promise.all([
    db.user.findMany({
      where,
      select: {
        id: true,
        employeeCode: true,
        fullName: true,
        email: true,
        position: true,
        active: true,
        activatedAt: true,
        lockedAt: true,
        orgUnit: { select: { code: true, nameVi: true, nameEn: true } },
      },
      orderBy: [{ orgUnit: { code: "asc" } }, { fullName: "asc" }],
      skip: q.page * STAFF_PAGE,
      take: STAFF_PAGE,
    }),
    db.user.count({ where }),
  ]);
  return { staff, total };
}

/** People of a unit subtree on the roster, active, who have never activated their account. */
export function countNotActivated(unitPath: string) {
  return db.user.count({ where: { orgUnit: { path: subtreeOf(unitPath) }, employeeCode: { not: null }, active: true, lockedAt: null, activatedAt: null } });
}
