// Work the app does by itself: closing quiz attempts whose time ran out, renewal enrolments for certificates about to expire, and
// reminder mail for mandatory training (with yearly assignments rolling over). Each job is
// idempotent and safe to run on several instances at once (unique rows decide who acts), so
// every instance runs them on its own timer; `npm run kns -- renewals|reminders` runs them by hand.
import { sendReminders } from "./assignments.server";
import { createRenewals } from "./certificates.server";
import { env } from "./env.server";
import { closeExpiredAttempts } from "./quiz.server";

export async function runScheduledJobs(now = new Date()) {
  const closedAttempts = await closeExpiredAttempts(now);
  const renewals = await createRenewals(now, env.RENEWAL_LEAD_DAYS);
  const reminders = await sendReminders(now);
  return { closedAttempts, renewals, reminders };
}

let timer: NodeJS.Timeout | undefined;

/**
 * Runs the jobs every JOBS_EVERY_MINUTES (0: never), first one period after start, so a
 * restart does not repeat them at once and short-lived processes (tests, one-off commands)
 * never send mail.
 */
export function startScheduledJobs(log: (line: string) => void = console.log): void {
  if (timer || env.JOBS_EVERY_MINUTES === 0) return;
  const run = async () => {
    try {
      const { closedAttempts, renewals, reminders } = await runScheduledJobs();
      log(
        `[kns:jobs] ${closedAttempts} timed-out attempts closed, renewals ${renewals.created}/${renewals.candidates}, reminders ${reminders.dueSoon} due soon + ${reminders.overdue} overdue, ${reminders.rolledOver} yearly roll-overs`,
      );
    } catch (error) {
      console.error("[kns:jobs] failed", error);
    }
  };
  timer = setInterval(() => void run(), env.JOBS_EVERY_MINUTES * 60_000);
  timer.unref();
}
