// Outgoing e-mail: every message is recorded in the outbox, then sent through SMTP when
// SMTP_URL is configured (nodemailer). Without SMTP the outbox page is the only delivery.
import nodemailer, { type Transporter } from "nodemailer";
import { Prisma } from "~/generated/sqlite/client";
import { subtreeOf } from "~/utils/org-units";
import { db } from "~/platform/db.server";

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

type MailRow = { id: number | bigint; to: string; subject: string; text: string; createdAt: Date | string | number; sentAt: Date | string | number | null };

/**
 * The latest mail to people who belong to one of those unit subtrees now. Mail carries only an
 * address, so it is matched to its recipient. Not the SMTP error text: that is for operators.
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
    SELECT m."id", m."to", m."subject", m."text", m."createdAt", m."sentAt"
    FROM "OutboxMail" m JOIN "User" u ON u."email" = m."to" JOIN "OrgUnit" o ON o."id" = u."orgUnitId"
    WHERE ${inScope}
    ORDER BY m."id" DESC LIMIT ${Math.floor(limit)}`;
  return rows.map((r) => ({ ...r, id: Number(r.id), createdAt: new Date(r.createdAt), sentAt: r.sentAt === null ? null : new Date(r.sentAt) }));
}
