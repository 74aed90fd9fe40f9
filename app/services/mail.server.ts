// Outgoing e-mail: every message is recorded in the outbox, then sent through SMTP when
// SMTP_URL is configured (nodemailer). Without SMTP the outbox page is the only delivery.
import nodemailer, { type Transporter } from "nodemailer";
import { db, query } from "./db.server";

let transport: Transporter | null | undefined;

function smtp(): Transporter | null {
  if (transport === undefined) {
    const url = process.env.SMTP_URL;
    transport = url ? nodemailer.createTransport(url) : null;
  }
  return transport;
}

export async function sendMail(mail: { to: string; subject: string; text: string }): Promise<void> {
  const row = await db.outboxMail.create({ data: mail });
  const t = smtp();
  if (!t) return;
  try {
    await t.sendMail({ from: process.env.MAIL_FROM ?? "Kỹ Năng Số <no-reply@kynangso.local>", ...mail });
    await db.outboxMail.update({ where: { id: row.id }, data: { sentAt: new Date() } });
  } catch (e) {
    await db.outboxMail.update({ where: { id: row.id }, data: { error: String((e as Error).message).slice(0, 500) } });
  }
}

/**
 * The latest mail to people who belong to one of those unit subtrees now. Mail carries only an
 * address, so it is matched to its recipient.
 */
export async function recentMail(limit: number, scopePaths: string[]) {
  if (!scopePaths.length) return [];
  const params: unknown[] = [];
  // substr() rather than LIKE: unit codes may contain "_", and SQLite's LIKE ignores case.
  const inScope = scopePaths.map((p) => `substr(o."path", 1, ${p.length}) = $${params.push(p)}`).join(" OR ");
  const ids = await query<{ id: number }>(
    `SELECT m."id" AS id FROM "OutboxMail" m JOIN "User" u ON u."email" = m."to" JOIN "OrgUnit" o ON o."id" = u."orgUnitId"
     WHERE ${inScope} ORDER BY m."id" DESC LIMIT ${Math.floor(limit)}`,
    params,
  );
  // What the page shows: not the SMTP error text, kept in the database for operators.
  return db.outboxMail.findMany({
    where: { id: { in: ids.map((r) => Number(r.id)) } },
    orderBy: { id: "desc" },
    select: { id: true, to: true, subject: true, text: true, createdAt: true, sentAt: true },
  });
}
