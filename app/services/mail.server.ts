// Outgoing e-mail: every message is recorded in the outbox, then sent through SMTP when
// SMTP_URL is configured (nodemailer). Without SMTP the outbox page is the only delivery.
import nodemailer, { type Transporter } from "nodemailer";
import { db } from "./db.server";

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

export async function recentMail(limit = 100) {
  return db.outboxMail.findMany({ orderBy: { id: "desc" }, take: limit });
}
