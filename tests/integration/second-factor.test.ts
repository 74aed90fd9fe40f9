// Two-step sign-in through the real server, as deployments run it (SECOND_FACTOR=staff): HR
// officers and administrators set up an authenticator app before anything else, later sign-ins
// ask for its code, codes and recovery codes work once, guesses are counted before they are
// checked, and taking the factor away needs the password again.
import { Secret, TOTP } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/platform/db.server";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;

beforeAll(async () => {
  world = await twoProvinces();
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, SECOND_FACTOR: "staff" });
});
afterAll(async () => server?.stop());

const appFor = (key: string) => new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(key.replace(/\s/g, "")) });
/** A code of the next time step: one the server has not accepted yet. */
const nextCode = (app: TOTP, steps = 1) => app.generate({ timestamp: Date.now() + steps * 30_000 });

async function signIn(email: string) {
  const client = new Client(server.url);
  const response = await client.login(email, PASSWORD);
  expect(response.status).toBe(302);
  return { client, location: response.headers.get("location") };
}

/** Sets up the authenticator app for a signed-in client; returns the app and the recovery codes shown. */
async function setUpApp(client: Client) {
  expect((await client.post("/me/security", { intent: "startApp" })).status).toBe(200);
  const page = await (await client.get("/me/security")).text();
  const key = page.match(/font-mono">([A-Z2-7 ]+)<\/code>/)![1];
  expect(page).toContain("<svg");
  const app = appFor(key);
  const confirmed = await client.post("/me/security", { intent: "confirmApp", code: app.generate() });
  expect(confirmed.status).toBe(200);
  const html = await confirmed.text();
  const codes = [...html.matchAll(/<li class="select-all">([0-9A-Z-]{14})<\/li>/g)].map((m) => m[1]);
  return { app, codes, html };
}

describe("an HR officer without a second factor", () => {
  it("is sent to set one up before any other page, then works normally with the session that set it up", async () => {
    const officer = await createUser("nhansu.2fa@p1.vn", world.units.a2, [{ role: "hr", unit: world.units.a }]);
    const { client, location } = await signIn(officer.email);
    expect(location).toBe("/me");
    const hr = await client.get("/hr/coverage");
    expect(hr.status).toBe(302);
    expect(hr.headers.get("location")).toBe("/me/security?required=1");
    const page = await (await client.get("/me/security?required=1")).text();
    expect(page).toContain("Tài khoản cán bộ nhân sự và quản trị phải bật xác thực hai bước");

    // A wrong code turns nothing on.
    expect((await client.post("/me/security", { intent: "startApp" })).status).toBe(200);
    const wrong = await client.post("/me/security", { intent: "confirmApp", code: "000000" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("Mã không đúng");
    expect((await db.totpFactor.findUniqueOrThrow({ where: { userId: officer.id } })).confirmedAt).toBeNull();

    const { codes, html } = await setUpApp(client);
    expect(html).toContain("Đã bật xác thực hai bước bằng ứng dụng.");
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Only hashes are stored.
    const stored = await db.recoveryCode.findMany({ where: { userId: officer.id } });
    expect(stored).toHaveLength(10);
    expect(stored.map((c) => c.codeHash)).not.toContain(codes[0]);
    expect((await client.get("/hr/coverage")).status).toBe(200);
  });

  it("a demo account is exempt, and a learner is never asked", async () => {
    const demo = await createUser("nhansu.demo@p1.vn", world.units.a2, [{ role: "hr", unit: world.units.a }]);
    await db.user.update({ where: { id: demo.id }, data: { secondFactorExempt: true } });
    expect((await (await signIn(demo.email)).client.get("/hr/coverage")).status).toBe(200);
    expect((await (await signIn(world.users.learner.email)).client.get("/me")).status).toBe(200);
  });
});

describe("signing in with the authenticator app", () => {
  it("asks for the code after the password, with no session until it is right, and each code works once", async () => {
    const admin = await createUser("quantri.2fa@p1.vn", world.units.a2, [{ role: "admin", unit: world.units.a }]);
    const { app } = await setUpApp((await signIn(admin.email)).client);

    const { client, location } = await signIn(admin.email);
    expect(location).toBe("/login/verify?redirectTo=%2Fme");
    expect((await client.get("/admin/users")).headers.get("location")).toMatch(/^\/login\?/);
    const verify = await client.get("/login/verify?redirectTo=%2Fme");
    expect(await verify.text()).toContain("nhập mã 6 chữ số");
    const code = nextCode(app);
    const done = await client.post("/login/verify", { intent: "code", code, redirectTo: "/admin/users" });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/admin/users");
    expect((await client.get("/admin/users")).status).toBe(200);
    expect((await db.session.findMany({ where: { userId: admin.id }, orderBy: { createdAt: "desc" }, take: 1 }))[0].secondFactor).toBe("totp");

    // The same code, seen over a shoulder, does not open a second sign-in.
    const second = await signIn(admin.email);
    const replay = await second.client.post("/login/verify", { intent: "code", code });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain("Mã không đúng hoặc đã được dùng");
  });

  it("counts guesses sent all at once before checking any: five of twelve are checked, and the right code after them waits", async () => {
    const officer = await createUser("nhansu.doan@p1.vn", world.units.a2, [{ role: "hr", unit: world.units.a }]);
    const { app } = await setUpApp((await signIn(officer.email)).client);
    const { client } = await signIn(officer.email);
    const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => client.post("/login/verify", { intent: "code", code: String(100000 + i * 7919) })));
    const statuses = guesses.map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    expect(await db.auditEvent.count({ where: { action: "auth.second_step", outcome: "failed", actorId: officer.id } })).toBe(5);
    const right = await client.post("/login/verify", { intent: "code", code: nextCode(app, 2) });
    expect(right.status).toBe(429);
    expect(await right.text()).toContain("Bạn đã nhập sai quá nhiều lần");
  });

  it("takes a recovery code once, and says how many are left", async () => {
    const officer = await createUser("nhansu.mat.dt@p1.vn", world.units.a2, [{ role: "hr", unit: world.units.a }]);
    const { codes } = await setUpApp((await signIn(officer.email)).client);
    const first = await signIn(officer.email);
    // Typed as people do: lower case, with spaces.
    const typed = codes[3].toLowerCase().replace(/-/g, " ");
    const used = await first.client.post("/login/verify", { intent: "recovery", code: typed });
    expect(used.status).toBe(302);
    expect(used.headers.get("location")).toBe("/me/security?recovered=9");
    expect(await (await first.client.get("/me/security?recovered=9")).text()).toContain("Còn 9 mã chưa dùng");

    const again = await signIn(officer.email);
    const reused = await again.client.post("/login/verify", { intent: "recovery", code: codes[3] });
    expect(reused.status).toBe(400);
  });

  it("refuses a forged or expired second-step cookie without revealing anything", async () => {
    const client = new Client(server.url);
    client.setCookie("__Host-kns_second_step", "forged-token");
    const page = await client.get("/login/verify");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Phiên xác minh đã hết hạn");
    const post = await client.post("/login/verify", { intent: "code", code: "123456" });
    expect(post.status).toBe(400);
    expect(await post.text()).toContain("Phiên xác minh đã hết hạn");
  });
});

describe("taking the factor away", () => {
  it("needs the password again, keeps the session confirmed through it, and never removes a required last factor", async () => {
    const officer = await createUser("nhansu.tat@p1.vn", world.units.a2, [{ role: "hr", unit: world.units.a }]);
    const { client } = await signIn(officer.email);
    await setUpApp(client);
    // The session that set up the app is now older than the ten minutes a password counts as fresh.
    await db.session.updateMany({ where: { userId: officer.id }, data: { createdAt: new Date(Date.now() - 11 * 60_000) } });
    const remove = await client.post("/me/security", { intent: "removeApp" });
    expect(remove.status).toBe(302);
    expect(remove.headers.get("location")).toBe("/reauth?redirectTo=%2Fme%2Fsecurity");
    expect((await client.post("/reauth", { password: PASSWORD, redirectTo: "/me/security" })).status).toBe(302);
    // The new session from /reauth is as confirmed as the old one: the HR pages stay open.
    expect((await client.get("/hr/coverage")).status).toBe(200);
    const refused = await client.post("/me/security", { intent: "removeApp" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("Không thể tắt phương thức xác thực hai bước cuối cùng");
    expect(await db.totpFactor.count({ where: { userId: officer.id } })).toBe(1);
  });

  it("lets a learner who chose it turn it off after confirming the password", async () => {
    const learner = await createUser("hocvien.2fa@p1.vn", world.units.a1);
    const { client } = await signIn(learner.email);
    await setUpApp(client);
    expect((await client.post("/me/security", { intent: "removeApp" })).status).toBe(200);
    expect(await db.totpFactor.count({ where: { userId: learner.id } })).toBe(0);
    expect(await db.recoveryCode.count({ where: { userId: learner.id } })).toBe(0);
    expect((await signIn(learner.email)).location).toBe("/me");
  });
});

describe("a lost phone", () => {
  it("an administrator resets another person's factors (after confirming their own password); a narrower one cannot", async () => {
    const officer = await createUser("nhansu.matdt2@p1.vn", world.units.a1, [{ role: "hr", unit: world.units.a1 }]);
    await setUpApp((await signIn(officer.email)).client);
    const wardAdmin = await createUser("quantri.xa.2fa@p1.vn", world.units.a1, [{ role: "admin", unit: world.units.a1 }]);
    const provinceAdmin = await createUser("quantri.tinh.2fa@p1.vn", world.units.a1, [{ role: "admin", unit: world.units.a }]);
    for (const admin of [wardAdmin, provinceAdmin]) await db.user.update({ where: { id: admin.id }, data: { secondFactorExempt: true } });

    // The ward administrator reaches the officer (same ward, HR below admin) but not the province administrator.
    const ward = (await signIn(wardAdmin.email)).client;
    const wider = await ward.post(`/admin/users/${provinceAdmin.id}`, { intent: "resetSecondFactor" });
    expect(wider.status).toBe(403);

    const province = (await signIn(provinceAdmin.email)).client;
    const page = await (await province.get(`/admin/users/${officer.id}`)).text();
    expect(page).toContain("Đã bật (ứng dụng xác thực hoặc khóa truy cập).");
    const reset = await province.post(`/admin/users/${officer.id}`, { intent: "resetSecondFactor" });
    expect(reset.status).toBe(200);
    expect(await reset.text()).toContain("Đã đặt lại xác thực hai bước");
    expect(await db.totpFactor.count({ where: { userId: officer.id } })).toBe(0);
    expect(await db.recoveryCode.count({ where: { userId: officer.id } })).toBe(0);
    expect(await db.session.count({ where: { userId: officer.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "auth.second_factor_reset", actorId: provinceAdmin.id, targetId: String(officer.id) } })).toBe(1);
    // Next sign-in: the password, then straight to setting a factor up again.
    const next = await signIn(officer.email);
    expect(next.location).toBe("/me");
    expect((await next.client.get("/hr/coverage")).headers.get("location")).toBe("/me/security?required=1");
  });
});
