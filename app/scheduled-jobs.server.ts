// Work the app does by itself: delivering queued mail, closing quiz attempts whose time ran out, renewal enrolments for
// certificates about to expire, reminder mail for mandatory training (with yearly assignments
// rolling over), forgetting rate-limit counters whose window ended long ago, and deleting audit
// events older than the retention period (AUDIT_RETENTION_DAYS). Each job is
// idempotent and safe to run on several instances at once (unique rows and conditional updates
// decide who acts), so every instance runs them on its own timer; `npm run kns -- renewals|reminders`
// runs the renewals and reminders by hand.
import { sendReminders } from "~/hr/assignments.server";
import { createRenewals } from "~/certificates/issue.server";
import { env } from "~/platform/env.server";
import { closeExpiredAttempts } from "~/learning/quiz.server";
import { forgetEndedLimits } from "~/platform/rate-limit.server";
import { kickDelivery } from "~/platform/mail.server";
import { purgeAuditEvents } from "~/platform/audit.server";

/** Each job on its own: one that fails is logged and does not stop the others. */
async function attempt<T>(name: string, job: () => Promise<T>): Promise<T | null> {
  try {
    return await job();
  } catch (error) {
    console.error(`[kns:jobs] ${name} failed`, error);
    return null;
  }
}

export async function runScheduledJobs(now = new Date()) {
  const closedAttempts = await attempt("closing timed-out attempts", () => closeExpiredAttempts(now));
  const renewals = await attempt("renewals", () => createRenewals(now, env.RENEWAL_LEAD_DAYS));
  const reminders = await attempt("reminders", () => sendReminders(now));
  const forgottenLimits = await attempt("forgetting ended rate limits", () => forgetEndedLimits(now));
  const purgedAuditEvents = await attempt("purging old audit events", () => purgeAuditEvents(now, env.AUDIT_RETENTION_DAYS));
  return { closedAttempts, renewals, reminders, forgottenLimits, purgedAuditEvents };
}

let timer: NodeJS.Timeout | undefined;
let mailTimer: NodeJS.Timeout | undefined;
let running = false;

/** Queued mail (and retries after a failure) is looked for this often, once SMTP is configured. */
const MAIL_EVERY_MS = 30_000;

/**
 * Runs the jobs every JOBS_EVERY_MINUTES (0: never), first one period after start, so a
 * restart does not repeat them at once and short-lived processes (tests, one-off commands)
 * never send mail. A run still going when the next is due is not doubled.
 */
export function startScheduledJobs(log: (line: string) => void = console.log): void {
  if (!mailTimer) {
    // Mail queued before a restart, or by another instance that stopped, goes out from here too.
    kickDelivery();
    mailTimer = setInterval(kickDelivery, MAIL_EVERY_MS);
    mailTimer.unref();
  }
  if (timer || env.JOBS_EVERY_MINUTES === 0) return;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const { closedAttempts, renewals, reminders } = await runScheduledJobs();
      const renewed = renewals ? `${renewals.created}/${renewals.candidates}` : "failed";
      const reminded = reminders ? `${reminders.dueSoon} due soon + ${reminders.overdue} overdue, ${reminders.rolledOver} yearly roll-overs` : "failed";
      log(`[kns:jobs] ${closedAttempts ?? "failed:"} timed-out attempts closed, renewals ${renewed}, reminders ${reminded}`);
    } finally {
      running = false;
    }
  };
  timer = setInterval(() => void run(), env.JOBS_EVERY_MINUTES * 60_000);
  timer.unref();
}
