// Outgoing e-mail. Every message is recorded in the outbox first, then delivered through SMTP
// when SMTP_URL is configured (nodemailer); without SMTP the outbox page is the only delivery.
// Single messages (reminders) are sent at once; bulk messages (activation of a whole unit) are
// queued and delivered in the background, a few at a time, so sending to 40,000 people does
// not hold up the site. A failed delivery is tried again later with growing pauses, and every
// instance may deliver: a message is claimed with a conditional update before it is sent.
// A message marked sensitive carries a secret link: its text is blanked once delivered.
import nodemailer, { type Transporter } from "nodemailer";
import { Prisma } from "~/generated/sqlite/client";
import { db } from "~/platform/db.server";
import { limitConcurrency, nextTurn } from "~/platform/concurrency.server";
import { subtreeOf } from "~/utils/org-units";

export type Mail = { to: string; subject: string; text: string; sensitive?: boolean };

let transport: Transporter | null | undefined;

function smtp(): Transporter | null {
  if (transport === undefined) {
    const url = process.env.SMTP_URL;
    transport = url ? nodemailer.createTransport(url) : null;
  }
  return transport;
}

/** Whether mail leaves this server at all (else it only reaches the outbox page). */
export const mailIsDelivered = () => smtp() !== null;

const FROM = () => process.env.MAIL_FROM ?? "Kỹ Năng Số <no-reply@kynangso.local>";
const DELIVERY_CONCURRENCY = 4;
const CLAIM_BATCH = 50;
/** Pauses before the next attempt after a failure: 1 minute, 5, 30, 2 hours, then give up. */
const RETRY_MINUTES = [1, 5, 30, 120];
/** A claimed message whose sender died is tried again after this long. */
const CLAIM_LEASE_MS = 5 * 60_000;
const SENT_PLACEHOLDER = "—";

export async function sendMail(mail: Mail): Promise<void> {
  const row = await db.outboxMail.create({ data: { to: mail.to, subject: mail.subject, text: mail.text, sensitive: mail.sensitive ?? false } });
  const t = smtp();
  if (!t) return;
  try {
    await t.sendMail({ from: FROM(), to: mail.to, subject: mail.subject, text: mail.text });
    await db.outboxMail.update({ where: { id: row.id }, data: { sentAt: new Date(), attempts: 1, ...(mail.sensitive ? { text: SENT_PLACEHOLDER } : {}) } });
  } catch (e) {
    await db.outboxMail.update({ where: { id: row.id }, data: { attempts: 1, error: errorText(e), nextAttemptAt: retryAt(1, new Date()) } });
  }
}

const errorText = (e: unknown) => String((e as Error).message ?? e).slice(0, 500);
const retryAt = (attempts: number, now: Date) =>
  attempts > RETRY_MINUTES.length ? null : new Date(now.getTime() + RETRY_MINUTES[attempts - 1] * 60_000);

/** Queues messages for background delivery; returns at once. */
export async function queueMail(mails: Mail[], now = new Date()): Promise<number> {
  for (let i = 0; i < mails.length; i += 1000) {
    if (i) await nextTurn();
    await db.outboxMail.createMany({
      data: mails.slice(i, i + 1000).map((m) => ({ to: m.to, subject: m.subject, text: m.text, sensitive: m.sensitive ?? false, nextAttemptAt: now })),
    });
  }
  if (mails.length) kickDelivery();
  return mails.length;
}

type Claimed = { id: number | bigint; to: string; subject: string; text: string; sensitive: boolean | number; attempts: number | bigint };

/**
 * Takes up to `limit` messages that are due, for this process alone: their next attempt moves
 * a lease ahead, conditionally, so another instance that read the same rows claims none of them.
 */
async function claimDue(now: Date, limit: number): Promise<Claimed[]> {
  const due = await db.outboxMail.findMany({ where: { nextAttemptAt: { lte: now } }, orderBy: { id: "asc" }, take: limit, select: { id: true } });
  if (!due.length) return [];
  const lease = new Date(now.getTime() + CLAIM_LEASE_MS);
  const ids = Prisma.join(due.map((d) => d.id));
  return db.$queryRaw<Claimed[]>`
    UPDATE "OutboxMail" SET "nextAttemptAt" = ${lease}, "attempts" = "attempts" + 1
    WHERE "id" IN (${ids}) AND "nextAttemptAt" <= ${now}
    RETURNING "id", "to", "subject", "text", "sensitive", "attempts"`;
}

const deliverOne = limitConcurrency(DELIVERY_CONCURRENCY);

/**
 * A pooled transport for one run of the queue: a few connections reused for every message, closed
 * when the queue is empty (a pooled transport left open would keep a command-line process alive).
 */
function pooledTransport(): Transporter | null {
  const url = process.env.SMTP_URL;
  if (!url) return null;
  const pooled = new URL(url);
  pooled.searchParams.set("pool", "true");
  pooled.searchParams.set("maxConnections", String(DELIVERY_CONCURRENCY));
  return nodemailer.createTransport(pooled.href);
}

/** Delivers what is due now, batch after batch, until nothing is due. Returns the number sent. */
export async function deliverQueuedMail(now = () => new Date()): Promise<{ sent: number; failed: number }> {
  const t = pooledTransport();
  const result = { sent: 0, failed: 0 };
  if (!t) return result;
  try {
    await deliverDue(t, now, result);
  } finally {
    t.close();
  }
  return result;
}

async function deliverDue(t: Transporter, now: () => Date, result: { sent: number; failed: number }): Promise<void> {
  for (;;) {
    const batch = await claimDue(now(), CLAIM_BATCH);
    if (!batch.length) return;
    await Promise.all(
      batch.map((m) =>
        deliverOne(async () => {
          const id = Number(m.id);
          try {
            await t.sendMail({ from: FROM(), to: m.to, subject: m.subject, text: m.text });
            await db.outboxMail.update({
              where: { id },
              data: { sentAt: new Date(), nextAttemptAt: null, error: null, ...(Number(m.sensitive) ? { text: SENT_PLACEHOLDER } : {}) },
            });
            result.sent++;
          } catch (e) {
            await db.outboxMail.update({ where: { id }, data: { error: errorText(e), nextAttemptAt: retryAt(Number(m.attempts), new Date()) } });
            result.failed++;
          }
        }),
      ),
    );
  }
}

let delivering: Promise<unknown> | null = null;
let again = false;

/** Starts background delivery in this process unless it already runs (then it runs once more). */
export function kickDelivery(): void {
  if (!smtp()) return;
  if (delivering) {
    again = true;
    return;
  }
  delivering = deliverQueuedMail()
    .catch((e) => console.error(`[kns:mail] delivery stopped: ${errorText(e)}`))
    .finally(() => {
      delivering = null;
      if (again) {
        again = false;
        kickDelivery();
      }
    });
}

/** Resolves when this process has no delivery under way (tests, shutdown). */
export async function deliveryIdle(): Promise<void> {
  while (delivering) await delivering;
}

type MailRow = { id: number | bigint; to: string; subject: string; text: string; sensitive: boolean | number; createdAt: Date | string | number; sentAt: Date | string | number | null; nextAttemptAt: Date | string | number | null; attempts: number | bigint; error: string | null };

/**
 * The latest mail to people who belong to one of those unit subtrees now. Mail carries only an
 * address, so it is matched to its recipient. Not the SMTP error text: that is for operators.
 * The text of a message with a secret link is never returned.
 */
export async function recentMail(limit: number, scopePaths: string[]) {
  if (!scopePaths.length) return [];
  const inScope = Prisma.join(
    scopePaths.map((p) => {
      const range = subtreeOf(p);
      return Prisma.sql`(o."path" >= ${range.gte} AND o."path" < ${range.lt})`;
    }),
    " OR ",
  );
  const rows = await db.$queryRaw<MailRow[]>`
    SELECT m."id", m."to", m."subject", m."text", m."sensitive", m."createdAt", m."sentAt", m."nextAttemptAt", m."attempts", m."error"
    FROM "OutboxMail" m JOIN "User" u ON u."email" = m."to" JOIN "OrgUnit" o ON o."id" = u."orgUnitId"
    WHERE ${inScope}
    ORDER BY m."id" DESC LIMIT ${Math.floor(limit)}`;
  return rows.map((r) => {
    const sensitive = Boolean(Number(r.sensitive));
    const sentAt = r.sentAt === null ? null : new Date(r.sentAt);
    return {
      id: Number(r.id),
      to: r.to,
      subject: r.subject,
      text: sensitive ? null : r.text,
      createdAt: new Date(r.createdAt),
      sentAt,
      attempts: Number(r.attempts),
      nextAttemptAt: r.nextAttemptAt === null ? null : new Date(r.nextAttemptAt),
      // The mail server's last answer when delivery failed: what HR reports to whoever runs the server.
      error: sentAt ? null : r.error,
      status: sentAt ? ("sent" as const) : r.nextAttemptAt !== null ? ("queued" as const) : Number(r.attempts) > 0 ? ("failed" as const) : ("notSent" as const),
    };
  });
}
