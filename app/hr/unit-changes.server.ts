// Reorganisations, as decrees bring them: a unit moves under another parent, merges into
// another unit, or closes. Only administrators who manage both ends act; every change is
// audited. Renaming is the unit page's ordinary edit.
import { audit } from "~/platform/audit.server";
import type { SessionUser } from "~/identity/auth.server";
import { authorize } from "~/identity/authorize.server";
import { findUnitByCode, mergeUnitInto, moveUnitUnder, setUnitActive, unitActivity } from "~/hr/org-units.data.server";
import { childKindsOf } from "~/utils/org-units";

type Unit = NonNullable<Awaited<ReturnType<typeof findUnitByCode>>>;
export type UnitChangeError = "targetNotFound" | "notUnderItself" | "kindNotAllowed" | "sameUnit" | "notEmpty" | "kindsDiffer" | "officialMove";

async function target(actor: SessionUser, code: string): Promise<Unit | null> {
  const unit = code ? await findUnitByCode(code) : null;
  return unit && authorize(actor, "unit.manage", unit) ? unit : null;
}

export async function moveUnit(actor: SessionUser, unit: Unit, parentCode: string, ip: string): Promise<{ ok: true } | { ok: false; error: UnitChangeError }> {
  // Provinces and communes move only with the official list (import-units).
  if (unit.kind !== "agency") return { ok: false, error: "officialMove" };
  const parent = await target(actor, parentCode);
  if (!parent) return { ok: false, error: "targetNotFound" };
  if (parent.path.startsWith(unit.path)) return { ok: false, error: "notUnderItself" };
  if (!childKindsOf(parent.kind).includes("agency")) return { ok: false, error: "kindNotAllowed" };
  await moveUnitUnder(unit, parent);
  await audit({ action: "unit.move", actorId: actor.id, orgUnitId: unit.id, targetType: "unit", targetId: unit.code, ip, detail: { from: unit.path, to: parent.code } });
  return { ok: true };
}

export async function mergeUnit(actor: SessionUser, source: Unit, survivorCode: string, ip: string) {
  const survivor = await target(actor, survivorCode);
  if (!survivor) return { ok: false as const, error: "targetNotFound" as const };
  if (survivor.id === source.id) return { ok: false as const, error: "sameUnit" as const };
  if (survivor.path.startsWith(source.path)) return { ok: false as const, error: "notUnderItself" as const };
  if (survivor.kind !== source.kind) return { ok: false as const, error: "kindsDiffer" as const };
  const moved = await mergeUnitInto(source, survivor);
  await audit({ action: "unit.merge", actorId: actor.id, orgUnitId: survivor.id, targetType: "unit", targetId: source.code, ip, detail: { into: survivor.code, ...moved } });
  return { ok: true as const, survivor: survivor.code, moved };
}

/** Closes a unit nobody works in any more (reopening is always allowed). */
export async function setUnitOpen(actor: SessionUser, unit: Unit, open: boolean, ip: string): Promise<{ ok: true } | { ok: false; error: UnitChangeError }> {
  if (!open) {
    const activity = await unitActivity(unit);
    if (activity.people > 0 || activity.units > 0) return { ok: false, error: "notEmpty" };
  }
  await setUnitActive(unit.id, open);
  await audit({ action: open ? "unit.reopen" : "unit.close", actorId: actor.id, orgUnitId: unit.id, targetType: "unit", targetId: unit.code, ip });
  return { ok: true };
}
