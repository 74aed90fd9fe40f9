import { audit } from "~/platform/audit.server";
import type { SessionUser } from "~/identity/auth.server";
import { subtreesOf } from "~/utils/org-units";
import { CAPABILITIES, type Capability, type Role } from "~/utils/roles";

export type ScopedUnit = { id: number; path: string };

/**
 * The unit paths under which `user` holds `capability`. Every user is a learner in their own
 * unit; other roles come from role assignments, each covering the unit's whole subtree.
 */
export function scopePaths(user: SessionUser, capability: Capability): string[] {
  const allowed: readonly string[] = CAPABILITIES[capability];
  const paths = user.roles.filter((r) => allowed.includes(r.role)).map((r) => r.path);
  if (allowed.includes("learner")) paths.push(user.orgUnitPath);
  // Drop paths already covered by a broader one.
  return paths.filter((p, i) => !paths.some((q, j) => j !== i && p.startsWith(q) && (p !== q || j < i)));
}

/** True when the user holds the capability somewhere, or over `orgUnit` when one is given. */
export function authorize(user: SessionUser, capability: Capability, orgUnit?: ScopedUnit | null): boolean {
  const paths = scopePaths(user, capability);
  if (!orgUnit) return paths.length > 0;
  return paths.some((p) => orgUnit.path.startsWith(p));
}

type Context = { ip: string };

/**
 * Throws 403 when the user lacks the capability everywhere and 404 when the object lies
 * outside their scope (so its existence is not revealed). Denials are audited.
 */
export async function requireAuthorized(
  user: SessionUser,
  capability: Capability,
  orgUnit: ScopedUnit | null | undefined,
  context: Context,
): Promise<void> {
  if (authorize(user, capability, orgUnit)) return;
  const status = authorize(user, capability) ? 404 : 403;
  await audit({
    action: "access.denied",
    outcome: "denied",
    actorId: user.id,
    orgUnitId: orgUnit?.id ?? null,
    ip: context.ip,
    detail: { capability, status },
  });
  throw new Response(status === 404 ? "Not Found" : "Forbidden", { status });
}

/** A Prisma filter on OrgUnit that keeps only units inside the user's scope. */
export function unitScopeFilter(user: SessionUser, capability: Capability) {
  const paths = scopePaths(user, capability);
  return subtreesOf(paths);
}

/** How far a role reaches over people: administrators above HR officers and trainers, above learners. */
const RANK: Record<Role, number> = { learner: 0, trainer: 1, hr: 1, admin: 2 };

/**
 * Whether `actor` may act on an account holding `targetRoles` (lock it, change it, mark it as
 * left): only when each of its roles lies within the subtree of an own role that reaches as high.
 * A ward HR officer can never lock out a province administrator; nobody acts on themselves here.
 */
export function reachesOver(actor: Pick<SessionUser, "id" | "roles">, target: { id: number; roles: { role: Role; path: string }[] }): boolean {
  if (actor.id === target.id) return false;
  return target.roles.every((t) => actor.roles.some((a) => RANK[a.role] >= RANK[t.role] && t.path.startsWith(a.path)));
}
