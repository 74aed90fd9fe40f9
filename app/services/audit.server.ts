import { db } from "./db.server";

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

export async function audit(event: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      action: clean(event.action, 80),
      actorId: event.actorId ?? null,
      outcome: event.outcome ?? "ok",
      orgUnitId: event.orgUnitId ?? null,
      targetType: event.targetType ? clean(event.targetType, 40) : null,
      targetId: event.targetId === undefined ? null : clean(String(event.targetId), 80),
      ip: event.ip ? clean(event.ip, 64) : null,
      detail: event.detail ? clean(JSON.stringify(event.detail), 2000) : "",
    },
  });
}
