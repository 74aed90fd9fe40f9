// Going live: people imported from a roster get into their accounts (activation mail received by
// a real SMTP server, printed letters read back with pdftotext), forgotten passwords, locking,
// and the first administrator of an empty database, all through the real server.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/platform/db.server";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";
import { startSmtpServer } from "../support/smtp";

const run = promisify(execFile);
const APP_URL = "https://kynangso.laocai.gov.vn";
let server: RunningServer;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let world: Awaited<ReturnType<typeof twoProvinces>>;

beforeAll(async () => {
  world = await twoProvinces();
  smtp = await startSmtpServer();
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, SMTP_URL: smtp.url, APP_URL, JOBS_EVERY_MINUTES: "0" });
});
afterAll(async () => {
  await server?.stop();
  await smtp?.stop();
});

let seq = 0;
/** A person as a roster import creates them: no password, never signed in. */
async function imported(unit: { id: number }, fullName: string) {
  seq++;
  return db.user.create({ data: { email: `canbo${seq}@laocai.gov.vn`, fullName, employeeCode: `LC-${1000 + seq}`, position: "Chuyên viên", orgUnitId: unit.id } });
}

async function signedIn(email: string, password = PASSWORD) {
  const client = new Client(server.url);
  expect((await client.login(email, password)).status).toBe(302);
  return client;
}

const linkIn = (text: string) => {
  const match = /https:\/\/kynangso\.laocai\.gov\.vn(\/activate\/[A-Za-z0-9_-]{43})/.exec(text);
  expect(match, text).not.toBeNull();
  return match![1];
};

/** Follows an activation link and sets the password; returns the client (signed in when it worked). */
async function setPasswordWith(linkPath: string, password: string, confirm = password) {
  const client = new Client(server.url);
  const opened = await client.get(linkPath);
  expect(opened.status).toBe(302);
  expect(opened.headers.get("location")).toBe("/activate");
  const response = await client.post("/activate", { intent: "password", password, confirm });
  return { client, response };
}

async function pdfText(bytes: ArrayBuffer): Promise<string> {
  const file = path.resolve(`tests/.tmp/letters-${process.pid}-${Date.now()}.pdf`);
  fs.writeFileSync(file, Buffer.from(bytes));
  const { stdout } = await run("pdftotext", ["-layout", file, "-"]);
  fs.rmSync(file);
  return stdout;
}

describe("activation of imported people", () => {
  it("mails a single-use link to everyone of a unit who never signed in; the link sets a password once and signs in", async () => {
    const people = [await imported(world.units.a1, "Nguyễn Thị Hoa"), await imported(world.units.a1, "Trần Văn Bình"), await imported(world.units.a1, "Lê Minh Châu")];
    const hr = await signedIn("nhansu@p1.vn");
    const sent = await hr.post("/hr/staff/activation", { unit: "P1C1", intent: "mail" });
    expect(sent.status).toBe(302);
    expect(sent.headers.get("location")).toBe("/hr/staff?unit=P1C1&activation=queued&count=3");

    const [mail] = await smtp.mailTo(people[0].email);
    expect(mail.subject).toBe("Kích hoạt tài khoản Kỹ Năng Số");
    expect(mail.text).toContain("Kính gửi Nguyễn Thị Hoa,");
    expect(mail.text).toContain("hết hạn sau 14 ngày");
    const link = linkIn(mail.text);
    // The learner who already has a password got nothing.
    await smtp.mailTo(people[2].email);
    expect(smtp.received.some((m) => m.to === "hocvien@p1.vn")).toBe(false);

    const page = await new Client(server.url).get(link).then(async (r) => r.headers.get("location"));
    expect(page).toBe("/activate");
    const weak = await setPasswordWith(link, "ngan1", "ngan1");
    expect(weak.response.status).toBe(400);
    const mismatch = await setPasswordWith(link, "Mat-khau-moi-2026", "Mat-khau-khac-2026");
    expect(mismatch.response.status).toBe(400);
    const { client, response } = await setPasswordWith(link, "Mat-khau-moi-2026");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/me");
    expect(await (await client.get("/me")).text()).toContain("Nguyễn Thị Hoa");
    expect((await new Client(server.url).login(people[0].email, "Mat-khau-moi-2026")).status).toBe(302);
    expect((await db.user.findUniqueOrThrow({ where: { id: people[0].id } })).activatedAt).not.toBeNull();

    // Used once: the same link now opens on a refusal and sets nothing.
    const again = new Client(server.url);
    await again.get(link);
    expect(await (await again.get("/activate")).text()).toContain("Mã hoặc liên kết không đúng, đã được dùng hoặc đã hết hạn");
    expect((await again.post("/activate", { intent: "password", password: "Mat-khau-ke-gian-9", confirm: "Mat-khau-ke-gian-9" })).status).toBe(400);
    expect((await new Client(server.url).login(people[0].email, "Mat-khau-ke-gian-9")).status).toBe(401);

    // The secret is nowhere but in the mail: not on the outbox page, not in the stored mail once
    // delivered, not in the audit trail, not in the server's output.
    const secret = link.split("/").pop()!;
    const outbox = await (await hr.get("/hr/outbox")).text();
    expect(outbox).toContain("Kích hoạt tài khoản Kỹ Năng Số");
    expect(outbox).not.toContain(secret);
    const stored = await db.outboxMail.findMany({ where: { to: { in: people.map((p) => p.email) } } });
    expect(stored.every((m) => m.sentAt && !m.text.includes("/activate/"))).toBe(true);
    const audit = await db.auditEvent.findMany({ select: { detail: true } });
    expect(audit.some((e) => e.detail.includes(secret))).toBe(false);
    expect(server.output()).not.toContain(secret);
  });

  it("prints one letter per person with a one-time code that activates the account once", async () => {
    const unit = world.units.a2;
    const person = await imported(unit, "Phạm Quốc Đạt");
    const hr = await signedIn("nhansu@p1.vn");
    // A mail link sent before the letter stops working once the letter replaces it.
    await hr.post("/hr/staff/activation", { unit: unit.code, intent: "mail" });
    const oldLink = linkIn((await smtp.mailTo(person.email))[0].text);

    const response = await hr.post("/hr/staff/activation", { unit: unit.code, intent: "letters" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toContain('filename="thu-kich-hoat-P1-SNV.pdf"');
    const text = await pdfText(await response.arrayBuffer());
    expect(text).toContain("THƯ KÍCH HOẠT TÀI KHOẢN HỌC TẬP");
    expect(text).toContain("Phạm Quốc Đạt");
    expect(text).toContain(`${APP_URL}/activate`);
    const page = text.split("\f").find((p) => p.includes("Phạm Quốc Đạt"))!;
    const code = /\b([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})\b/.exec(page)![1];

    expect((await setPasswordWith(oldLink, "Mat-khau-cu-2026")).response.status).toBe(400);

    // Typed by hand: lower case, spaces instead of dashes.
    const typed = code.toLowerCase().replace(/-/g, " ");
    const client = new Client(server.url);
    const checked = await client.post("/activate", { intent: "code", code: typed });
    expect(checked.status).toBe(302);
    expect(await (await client.get("/activate")).text()).toContain("Phạm Quốc Đạt");
    expect((await client.post("/activate", { intent: "password", password: "Thu-kich-hoat-2026", confirm: "Thu-kich-hoat-2026" })).status).toBe(302);
    expect((await new Client(server.url).login(person.email, "Thu-kich-hoat-2026")).status).toBe(302);

    const reuse = await new Client(server.url).post("/activate", { intent: "code", code });
    expect(reuse.status).toBe(400);
    expect(await reuse.text()).toContain("Mã hoặc liên kết không đúng");
  });

  it("sets the password once when the same secret is used many times at once", async () => {
    const person = await imported(world.units.a1, "Đỗ Thị Lan");
    const hr = await signedIn("nhansu@p1.vn");
    await hr.postEntries("/hr/staff/activation", [["unit", "P1C1"], ["intent", "mail"], ["userId", String(person.id)]]);
    const link = linkIn((await smtp.mailTo(person.email))[0].text);
    const clients = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const client = new Client(server.url);
        await client.get(link);
        return client;
      }),
    );
    const results = await Promise.all(clients.map((c, i) => c.post("/activate", { intent: "password", password: `Song-song-${i}-2026`, confirm: `Song-song-${i}-2026` })));
    const winners = results.map((r, i) => (r.status === 302 ? i : -1)).filter((i) => i >= 0);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(11);
    expect((await new Client(server.url).login(person.email, `Song-song-${winners[0]}-2026`)).status).toBe(302);
    const other = winners[0] === 0 ? 1 : 0;
    expect((await new Client(server.url).login(person.email, `Song-song-${other}-2026`)).status).toBe(401);
  });

  it("shows each account's status on the roster and filters by it", async () => {
    await imported(world.units.a1, "Vũ Hải Yến");
    const hr = await signedIn("nhansu@p1.vn");
    const list = await (await hr.get("/hr/staff?unit=P1C1&account=notActivated")).text();
    expect(list).toContain("Vũ Hải Yến");
    expect(list).not.toContain("Nguyễn Thị Hoa");
    expect(list).toContain("Chưa kích hoạt");
    expect(await (await hr.get("/hr/staff?unit=P1C1&account=active")).text()).toContain("Nguyễn Thị Hoa");
  });

  it("refuses activation from someone outside the unit's scope", async () => {
    const stranger = await createUser("nhansu@p2.vn", world.units.b, [{ role: "hr", unit: world.units.b }]);
    expect(stranger.id).toBeGreaterThan(0);
    const hr = await signedIn("nhansu@p2.vn");
    expect((await hr.post("/hr/staff/activation", { unit: "P1C1", intent: "mail" })).status).toBe(404);
    expect((await hr.post("/hr/staff/activation", { unit: "P1C1", intent: "letters" })).status).toBe(404);
  });
});

describe("forgotten passwords", () => {
  it("answers the same whether or not the address exists, mails only real accounts, and ends every other session", async () => {
    const person = await createUser("quenmatkhau@p1.vn", world.units.a1);
    const before = await signedIn(person.email);
    expect((await before.get("/me")).status).toBe(200);
    const known = await new Client(server.url).post("/forgot-password", { email: "QuenMatKhau@p1.vn" });
    const unknown = await new Client(server.url).post("/forgot-password", { email: "khongco@p1.vn" });
    expect(known.status).toBe(unknown.status);
    const notice = (html: string) => /role="status"[^>]*>([^<]*)</.exec(html)?.[1].replace(/\S+@\S+/, "");
    expect(notice(await known.text())).toBe(notice(await unknown.text()));
    const [mail] = await smtp.mailTo(person.email);
    expect(mail.subject).toBe("Đặt lại mật khẩu Kỹ Năng Số");
    expect(mail.text).toContain("hết hạn sau 60 phút");
    expect(smtp.received.some((m) => m.to === "khongco@p1.vn")).toBe(false);

    const { response } = await setPasswordWith(linkIn(mail.text), "Mat-khau-dat-lai-26");
    expect(response.status).toBe(302);
    // The session from before the reset has ended.
    expect((await before.get("/me")).status).toBe(302);
    expect((await new Client(server.url).login(person.email, PASSWORD)).status).toBe(401);
    expect((await new Client(server.url).login(person.email, "Mat-khau-dat-lai-26")).status).toBe(302);
  });

  it("sends at most three links an hour to one address", async () => {
    const person = await createUser("gioihan@p1.vn", world.units.a1);
    for (let i = 0; i < 5; i++) expect((await new Client(server.url).post("/forgot-password", { email: person.email })).status).toBe(200);
    await smtp.mailTo(person.email, 3);
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.received.filter((m) => m.to === person.email)).toHaveLength(3);
  });

  it("refuses a malformed address with a clear message", async () => {
    const response = await new Client(server.url).post("/forgot-password", { email: "khong-phai-email" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Email không hợp lệ.");
  });
});

describe("locking accounts", () => {
  it("a locked account's sessions end and it cannot sign in until unlocked", async () => {
    const person = await createUser("khoa@p1.vn", world.units.a1);
    const session = await signedIn(person.email);
    const hr = await signedIn("nhansu@p1.vn");
    const locked = await hr.post(`/hr/staff/${person.id}`, { account: "lock" });
    expect(locked.status).toBe(302);
    expect(locked.headers.get("location")).toBe(`/hr/staff/${person.id}?done=locked`);
    expect((await session.get("/me")).status).toBe(302);
    const refused = await new Client(server.url).login(person.email, PASSWORD);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Tài khoản này đang bị khóa.");
    expect((await hr.post(`/hr/staff/${person.id}`, { account: "unlock" })).status).toBe(302);
    expect((await new Client(server.url).login(person.email, PASSWORD)).status).toBe(302);
    const events = await db.auditEvent.findMany({ where: { action: { in: ["account.lock", "account.unlock"] }, targetId: String(person.id) } });
    expect(events.map((e) => e.action).sort()).toEqual(["account.lock", "account.unlock"]);
  });

  it("a ward HR officer cannot lock a province administrator, nor anyone lock themselves", async () => {
    const wardHr = await createUser("nhansu.xa@p1.vn", world.units.a1, [{ role: "hr", unit: world.units.a1 }]);
    const provinceAdmin = await createUser("quantri.tinh@p1.vn", world.units.a1, [{ role: "admin", unit: world.units.a }]);
    const client = await signedIn(wardHr.email);
    const refused = await client.post(`/hr/staff/${provinceAdmin.id}`, { account: "lock" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Không thể thao tác trên tài khoản có quyền rộng hơn");
    expect((await db.user.findUniqueOrThrow({ where: { id: provinceAdmin.id } })).lockedAt).toBeNull();
    expect(await db.auditEvent.count({ where: { action: "account.lock", outcome: "denied", actorId: wardHr.id } })).toBe(1);
    expect((await client.post(`/hr/staff/${wardHr.id}`, { account: "lock" })).status).toBe(403);
    expect((await db.user.findUniqueOrThrow({ where: { id: wardHr.id } })).lockedAt).toBeNull();
  });
});

describe("the first administrator", () => {
  const kns = (args: string[], input: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn("npx", ["tsx", "scripts/kns.ts", ...args], { env: { ...process.env, APP_URL, NODE_ENV: "production" } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
      child.stdin.end(input);
    });

  it("is created from the command line with a password typed twice, signs in, and is never replaced", async () => {
    const created = await kns(["create-admin", "--email", "Admin@LaoCai.gov.vn", "--unit", "P1", "--name", "Nguyễn Văn Quản"], "Quan-tri-tinh-2026\nQuan-tri-tinh-2026\n");
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("Đã tạo quản trị viên admin@laocai.gov.vn cho đơn vị P1");
    expect(created.stdout + created.stderr).not.toContain("Quan-tri-tinh-2026");
    const admin = await signedIn("admin@laocai.gov.vn", "Quan-tri-tinh-2026");
    expect((await admin.get("/admin/users")).status).toBe(200);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "admin.create" } });
    expect(event.detail).toContain("admin@laocai.gov.vn");

    const again = await kns(["create-admin", "--email", "admin@laocai.gov.vn", "--unit", "P1"], "Khac-hoan-toan-2026\nKhac-hoan-toan-2026\n");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("đã có tài khoản admin@laocai.gov.vn; không tạo lại, không thay thế");
    expect((await new Client(server.url).login("admin@laocai.gov.vn", "Khac-hoan-toan-2026")).status).toBe(401);

    const weak = await kns(["create-admin", "--email", "yeu@laocai.gov.vn", "--unit", "P1"], "yeu\nyeu\n");
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain("mật khẩu phải có ít nhất 12 ký tự");
    expect(await db.user.count({ where: { email: "yeu@laocai.gov.vn" } })).toBe(0);
  });

  it("with --link prints a one-time activation link instead of asking for a password", async () => {
    const created = await kns(["create-admin", "--email", "it@laocai.gov.vn", "--unit", "P1", "--link"], "");
    expect(created.code, created.stderr).toBe(0);
    const link = linkIn(created.stdout);
    expect((await setPasswordWith(link, "Quan-tri-IT-2026")).response.status).toBe(302);
    expect((await setPasswordWith(link, "Lan-thu-hai-2026")).response.status).toBe(400);
    const roles = await db.roleAssignment.findMany({ where: { user: { email: "it@laocai.gov.vn" } }, select: { role: true, orgUnitId: true } });
    expect(roles).toEqual([{ role: "admin", orgUnitId: world.units.a.id }]);
  });
});

describe("deployments that sign in only through the identity provider", () => {
  it("refuse local passwords, and say so on the pages that would ask for one", async () => {
    const ssoOnly = await startServer({
      DATABASE_URL: process.env.DATABASE_URL!,
      APP_URL,
      OIDC_ISSUER: "https://sso.laocai.gov.vn/realms/can-bo",
      OIDC_CLIENT_ID: "kynangso",
      OIDC_CLIENT_SECRET: "bi-mat",
      OIDC_NAME: "Cổng xác thực tỉnh",
      PASSWORD_SIGN_IN: "off",
      JOBS_EVERY_MINUTES: "0",
    });
    try {
      const client = new Client(ssoOnly.url);
      const page = await (await client.get("/login")).text();
      expect(page).toContain("Đăng nhập bằng Cổng xác thực tỉnh");
      expect(page).not.toContain('name="password"');
      const refused = await client.login("hocvien@p1.vn", PASSWORD);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain("Hệ thống chỉ cho đăng nhập qua cổng xác thực của tỉnh.");
      expect(await (await client.get("/forgot-password")).text()).toContain("Hệ thống đăng nhập bằng Cổng xác thực tỉnh");
      expect((await client.post("/forgot-password", { email: "hocvien@p1.vn" })).status).toBe(404);
    } finally {
      await ssoOnly.stop();
    }
  });
});
