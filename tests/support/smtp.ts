// A real SMTP server on loopback that keeps what it receives, decoded as a mail client would.
import { SMTPServer } from "smtp-server";

export type ReceivedMail = { to: string; subject: string; text: string; raw: string };

/** Quoted-printable (what nodemailer uses for Vietnamese text) back to UTF-8. */
function decodeQuotedPrintable(body: string): string {
  const bytes: number[] = [];
  const soft = body.replace(/=\r?\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === "=" && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

function parse(raw: string, to: string): ReceivedMail {
  const split = raw.indexOf("\r\n\r\n");
  const headers = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(headers)?.[1] ?? "";
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  const text = encoding === "quoted-printable" ? decodeQuotedPrintable(body) : encoding === "base64" ? Buffer.from(body, "base64").toString("utf8") : body;
  // Encoded-word subjects (=?UTF-8?Q?…?= or =?UTF-8?B?…?=), possibly in several words.
  const subject = header("Subject").replace(/=\?UTF-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, data: string) =>
    kind.toUpperCase() === "B" ? Buffer.from(data, "base64").toString("utf8") : decodeQuotedPrintable(data.replace(/_/g, " ")),
  );
  return { to, subject, text, raw };
}

export async function startSmtpServer(options: { refuse?: (to: string) => boolean } = {}) {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address)) return callback(new Error("550 mailbox unavailable"));
      callback();
    },
    onData(stream, session, done) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (c: string) => (raw += c));
      stream.on("end", () => {
        received.push(parse(raw, session.envelope.rcptTo.map((r) => r.address).join(",")));
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    /** The mail to one address, once it has arrived (delivery is queued by the app). */
    async mailTo(address: string, count = 1, timeoutMs = 20_000): Promise<ReceivedMail[]> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const mails = received.filter((m) => m.to === address);
        if (mails.length >= count) return mails;
        if (Date.now() > end) throw new Error(`no mail to ${address} within ${timeoutMs} ms (${received.length} received in all)`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
