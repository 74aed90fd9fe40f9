import { db, writeRows } from "~/platform/db.server";
import { subtreesOf } from "~/utils/org-units";
import { parsePeriod } from "~/utils/vietnam-time";

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
export const AUDIT_EXPORT_LIMIT = 100_000;

/** The audit page's filters from its query string, the same for the page and its CSV download. */
export function auditSearchFrom(params: URLSearchParams) {
  const text = (name: string, max: number) => (params.get(name) ?? "").trim().slice(0, max);
  const outcomeInput = text("outcome", 10);
  const outcome: AuditOutcome | "" = (AUDIT_OUTCOMES as readonly string[]).includes(outcomeInput) ? (outcomeInput as AuditOutcome) : "";
  const fromInput = text("from", 10);
  const toInput = text("to", 10);
  const period = parsePeriod(fromInput, toInput);
  const page = Math.max(0, Math.min(10_000, Math.floor(Number(params.get("page"))) || 0));
  const filters = { action: text("action", 80), email: text("email", 254), outcome, from: fromInput, to: toInput, page };
  return { filters, search: { ...filters, from: period.from, to: period.to }, badDate: period.error !== null };
}

/**
 * Deletes audit events older than the retention period, a few thousand at a time so that a
 * first purge of years of events never holds the database for long. Returns how many went.
 */
export async function purgeAuditEvents(now: Date, retentionDays: number): Promise<number> {
  if (retentionDays <= 0) return 0;
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  let purged = 0;
  for (;;) {
    const batch = await db.auditEvent.findMany({ where: { at: { lt: before } }, select: { id: true }, take: 5_000 });
    if (!batch.length) return purged;
    purged += (await db.auditEvent.deleteMany({ where: { id: { in: batch.map((b) => b.id) } } })).count;
  }
}

/**
 * Events a viewer may see: those about a unit inside `scopePaths`, or done by someone who
 * belongs there. Events tied to neither (a failed login for an unknown address, a command-line
 * job) are left to the operators, who read the table directly.
 */
export async function searchAudit(scopePaths: string[], search: AuditSearch, { all = false } = {}) {
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
      // A download takes every event the filters select, up to a bound a spreadsheet still opens.
      skip: all ? 0 : search.page * AUDIT_PAGE_SIZE,
      take: all ? AUDIT_EXPORT_LIMIT : AUDIT_PAGE_SIZE,
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
