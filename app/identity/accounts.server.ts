// What HR officers and administrators do to an account in their scope: lock it, unlock it, and
// send its activation mail again. Only over people whose roles reach no higher or wider than
// the officer's own (reachesOver), never over themselves; every step is audited.
import { audit } from "~/platform/audit.server";
import { sendActivationMail } from "~/identity/activation.server";
import type { SessionUser } from "~/identity/auth.server";
import { authorize, reachesOver } from "~/identity/authorize.server";
import { accountWithRoles, setAccountLock } from "~/identity/users.data.server";
import { accountStatus } from "~/utils/account-status";

export type AccountAction = "lock" | "unlock" | "resend";
export type AccountActionResult = { ok: true; done: "locked" | "unlocked" | "resent" } | { ok: false; error: "wider" | "self" | "noMail" | "notFound" | "state" };

export async function actOnAccount(actor: SessionUser, userId: number, what: AccountAction, ip: string): Promise<AccountActionResult> {
  const target = await accountWithRoles(userId);
  if (!target || !authorize(actor, "staff.manage", target.orgUnit)) return { ok: false, error: "notFound" };
  const refused = async (error: "wider" | "self") => {
    await audit({ action: `account.${what}`, outcome: "denied", actorId: actor.id, orgUnitId: target.orgUnit.id, targetType: "user", targetId: target.id, ip, detail: { reason: error } });
    return { ok: false as const, error };
  };
  if (actor.id === target.id) return refused("self");
  if (!reachesOver(actor, target)) return refused("wider");
  const status = accountStatus(target);
  if (what === "resend") {
    if (status !== "notActivated") return { ok: false, error: "state" };
    const sent = await sendActivationMail(actor, { unit: target.orgUnit, userIds: [target.id] }, ip);
    return sent.ok ? { ok: true, done: "resent" } : { ok: false, error: sent.error };
  }
  if ((what === "lock") === (status === "locked")) return { ok: false, error: "state" };
  await setAccountLock(target.id, what === "lock" ? new Date() : null);
  await audit({ action: `account.${what}`, actorId: actor.id, orgUnitId: target.orgUnit.id, targetType: "user", targetId: target.id, ip });
  return { ok: true, done: what === "lock" ? "locked" : "unlocked" };
}
