// The org unit an HR page works on: the one named in ?unit= when it is inside the user's
// scope, else the broadest unit they manage. Someone whose scope covers every top-level unit
// (a ministry's or a national administrator's) also has the whole country, as unit "*".
import type { SessionUser } from "~/identity/auth.server";
import { authorize, requireAuthorized, scopePaths } from "~/identity/authorize.server";
import { findUnitByCode, topLevelUnits } from "~/hr/org-units.data.server";
import { audit } from "~/platform/audit.server";
import { notFound } from "~/platform/request.server";
import type { Capability } from "~/utils/roles";

/** The whole country as a unit of the HR pages: the root of every path. */
export const NATION_CODE = "*";
export const NATION = { id: 0, code: NATION_CODE, nameVi: "Toàn quốc", nameEn: "Nationwide", path: "/", kind: "country", parentId: null, depth: -1 } as const;

/** Whether the user's scope for `capability` covers every top-level unit (and there are several). */
export async function hasNationalScope(user: SessionUser, capability: Capability): Promise<boolean> {
  const roots = await topLevelUnits();
  return roots.length > 1 && roots.every((r) => authorize(user, capability, r));
}

/**
 * The unit named by `code` (or the user's broadest), checked against their scope. Reports pass
 * `nation` to accept the whole country; pages that act on a unit never get it.
 */
export async function hrUnit(user: SessionUser, capability: Capability, code: string | null, ip: string, { nation = false } = {}) {
  await requireAuthorized(user, capability, null, { ip });
  if (nation && (code === NATION_CODE || code === null)) {
    const national = await hasNationalScope(user, capability);
    if (national) return NATION;
    if (code === NATION_CODE) {
      await audit({ action: "access.denied", outcome: "denied", actorId: user.id, ip, detail: { capability, status: 404, unit: NATION_CODE } });
      throw notFound();
    }
  }
  const top = scopePaths(user, capability).sort((a, b) => a.length - b.length)[0];
  const wanted = code ?? top.split("/").filter(Boolean).pop()!;
  const unit = wanted.length <= 32 ? await findUnitByCode(wanted) : null;
  if (!unit) throw notFound();
  await requireAuthorized(user, capability, unit, { ip });
  return unit;
}
