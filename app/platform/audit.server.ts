import { db, writeRows } from "~/platform/db.server";
import { subtreesOf } from "~/utils/org-units";

export type AuditInput = {
  action: string;
  actorId?: number | null;
  outcome?: "ok" | "denied" | "failed";
  orgUnitId?: number | null;
  targetType?: string;
  targetId?: string | number;
  ip?: string | null;
  /** Structured facts about the event. Never pass passwords, tokens or answer keys. */
  detail?: Record<string, unknown>;
};

// Control characters (newlines included) are replaced so a value can never forge a log line.
function clean(value: string, max = 500): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, " ").slice(0, max);
}

/**
 * Straight to the driver (decision 013): nearly every action writes an event. The time is set
 * here, as the ORM does, so it is stored in the same form on both databases.
 */
export async function audit(event: AuditInput): Promise<void> {
  await writeRows`
    INSERT INTO "AuditEvent" ("at", "action", "actorId", "outcome", "orgUnitId", "targetType", "targetId", "ip", "detail")
    VALUES (${new Date()}, ${clean(event.action, 80)}, ${event.actorId ?? null}, ${event.outcome ?? "ok"}, ${event.orgUnitId ?? null},
      ${event.targetType ? clean(event.targetType, 40) : null}, ${event.targetId === undefined ? null : clean(String(event.targetId), 80)},
      ${event.ip ? clean(event.ip, 64) : null}, ${event.detail ? clean(JSON.stringify(event.detail), 2000) : ""})`;
}

export const AUDIT_OUTCOMES = ["ok", "denied", "failed"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];
export type AuditSearch = { action: string; email: string; outcome: AuditOutcome | ""; from: Date | null; to: Date | null; page: number };
export const AUDIT_PAGE_SIZE = 50;

/**
 * Events a viewer may see: those about a unit inside `scopePaths`, or done by someone who
 * belongs there. Events tied to neither (a failed login for an unknown address, a command-line
 * job) are left to the operators, who read the table directly.
 */
export async function searchAudit(scopePaths: string[], search: AuditSearch) {
  const inScope = subtreesOf(scopePaths);
  const where = {
    AND: [
      { OR: [{ orgUnit: inScope }, { actor: { orgUnit: inScope } }] },
      search.action ? { action: { startsWith: search.action } } : {},
      search.email ? { actor: { email: { contains: search.email.toLowerCase() } } } : {},
      search.outcome ? { outcome: search.outcome } : {},
      search.from || search.to ? { at: { ...(search.from ? { gte: search.from } : {}), ...(search.to ? { lt: search.to } : {}) } } : {},
    ],
  };
  const [events, total] = await Promise.all([
    db.auditEvent.findMany({
      where,
      orderBy: [{ at: "desc" }, { id: "desc" }],
      skip: search.page * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
      select: {
        id: true,
        at: true,
        action: true,
        outcome: true,
        targetType: true,
        targetId: true,
        ip: true,
        detail: true,
        actor: { select: { fullName: true, email: true } },
        orgUnit: { select: { code: true, nameVi: true, nameEn: true } },
      },
    }),
    db.auditEvent.count({ where }),
  ]);
  return { events, total };
}
