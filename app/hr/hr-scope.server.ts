// The org unit an HR page works on: the one named in ?unit= when it is inside the user's
// scope, else the broadest unit they manage.
import type { SessionUser } from "~/identity/auth.server";
import { requireAuthorized, scopePaths } from "~/identity/authorize.server";
import { findUnitByCode } from "~/hr/org-units.data.server";
import { notFound } from "~/platform/request.server";
import type { Capability } from "~/utils/roles";

export async function hrUnit(user: SessionUser, capability: Capability, code: string | null, ip: string) {
  await requireAuthorized(user, capability, null, { ip });
  const top = scopePaths(user, capability).sort((a, b) => a.length - b.length)[0];
  const wanted = code ?? top.split("/").filter(Boolean).pop()!;
  const unit = wanted.length <= 32 ? await findUnitByCode(wanted) : null;
  if (!unit) throw notFound();
  await requireAuthorized(user, capability, unit, { ip });
  return unit;
}
