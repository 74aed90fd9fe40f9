// Accounts, sessions, CSRF and scoped access, through real HTTP requests to the real server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/platform/db.server";
import { PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;

beforeAll(async () => {
  world = await twoProvinces();
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

async function signedIn(email: string) {
  const client = new Client(server.url);
  const res = await client.login(email, PASSWORD);
  expect(res.status).toBe(302);
  return client;
}

describe("login and logout", () => {
  it("signs in, keeps a server-side session with a hardened cookie, and signs out", async () => {
    const client = new Client(server.url);
    const res = await client.login("HocVien@P1.vn", PASSWORD);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/me");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("__Host-kns_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Secure/i);
    expect(await db.session.count({ where: { userId: world.users.learner.id } })).toBe(1);
    const me = await client.get("/me");
    expect(me.status).toBe(200);
    expect(await me.text()).toContain("Xin chào, Người dùng hocvien");

    expect((await client.post("/logout", {})).status).toBe(302);
    expect(await db.session.count({ where: { userId: world.users.learner.id } })).toBe(0);
    expect((await client.get("/me")).status).toBe(302);
  });

  it("answers a wrong password without saying which part was wrong, and audits it", async () => {
    const client = new Client(server.url);
    const wrongPassword = await client.login("hocvien@p1.vn", "sai-mat-khau-1");
    const unknownEmail = await client.login("khongco@p1.vn", PASSWORD);
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    const a = await wrongPassword.text();
    const b = await unknownEmail.text();
    expect(a).toContain("Email hoặc mật khẩu không đúng.");
    expect(b).toContain("Email hoặc mật khẩu không đúng.");
    const failures = await db.auditEvent.findMany({ where: { action: "auth.login", outcome: "failed" } });
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures.map((f) => f.detail).join()).not.toContain("sai-mat-khau-1");
  });

  it("throttles repeated failures per account, even with the right password afterwards", async () => {
    await db.user.update({ where: { id: world.users.otherLearner.id }, data: {} });
    const client = new Client(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await client.login("hocvien@p2.vn", `wrong-${i}-password`)).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    const right = await client.login("hocvien@p2.vn", PASSWORD);
    expect(right.status).toBe(429);
    expect(await right.text()).toContain("quá nhiều lần");
  });

  it("treats a forged session cookie as signed out: clears it, says why, and audits it from the real address", async () => {
    const client = new Client(server.url);
    client.setCookie("__Host-kns_session", "forgedsessionidforgedsessionid00");
    // A client cannot choose the address the audit trail records.
    const res = await client.get("/me", { "x-kns-client-ip": "6.6.6.6" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?redirectTo=%2Fme&session=ended");
    expect(res.headers.getSetCookie().find((c) => c.startsWith("__Host-kns_session="))).toMatch(/^__Host-kns_session=;.*Max-Age=0/i);
    const page = await client.get("/login?redirectTo=%2Fme&session=ended");
    expect(await page.text()).toContain("Phiên đăng nhập của bạn đã kết thúc (hết hạn, đã đăng xuất hoặc không hợp lệ). Vui lòng đăng nhập lại.");
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "auth.session_rejected" }, orderBy: { id: "desc" } });
    expect(event).toMatchObject({ outcome: "denied", ip: "127.0.0.1" });
    expect(JSON.parse(event.detail)).toEqual({ path: "/me" });
  });

  it("throttles failed logins per IP address across accounts, without locking out other addresses", async () => {
    const proxied = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, TRUST_PROXY: "1" });
    try {
      const attempt = (ip: string, email: string, password: string) =>
        new Client(proxied.url).post("/login", { email, password }, { headers: { "X-Forwarded-For": ip } });
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++) statuses.push((await attempt("203.0.113.7", `khongco-${i}@p1.vn`, "sai-mat-khau-1")).status);
      expect(statuses.slice(0, 29).every((s) => s === 401)).toBe(true);
      expect(statuses[30]).toBe(429);
      // The address is blocked even for a right password; another address signs in.
      expect((await attempt("203.0.113.7", "nhansu@p1.vn", PASSWORD)).status).toBe(429);
      expect((await attempt("198.51.100.9", "nhansu@p1.vn", PASSWORD)).status).toBe(302);
      expect(await db.auditEvent.count({ where: { action: "auth.login", outcome: "denied", ip: "203.0.113.7" } })).toBeGreaterThanOrEqual(1);
    } finally {
      await proxied.stop();
    }
  });

  it("stores passwords as Argon2id hashes with OWASP's minimum cost", async () => {
    const { passwordHash } = await db.user.findUniqueOrThrow({ where: { id: world.users.learner.id } });
    expect(passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("never redirects off-site after login", async () => {
    const client = new Client(server.url);
    const res = await client.post("/login", { email: "giangvien@p1.vn", password: PASSWORD, redirectTo: "//evil.example/x" });
    expect(res.headers.get("location")).toBe("/me");
  });
});

describe("CSRF", () => {
  it("refuses a POST from another origin or without one, and changes nothing", async () => {
    const client = await signedIn("quantri@p1.vn");
    const target = world.users.learner;
    for (const origin of ["https://evil.example", null]) {
      const res = await client.post(`/admin/users/${target.id}`, { intent: "endSessions" }, { origin });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("không xuất phát từ trang của hệ thống");
    }
    const res = await client.post("/admin/users", { fullName: "X", email: "x@p1.vn", unitCode: "P1C1", password: "MotHaiBa12345" }, { origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(await db.user.findUnique({ where: { email: "x@p1.vn" } })).toBeNull();
    const refusals = await db.auditEvent.findMany({ where: { action: "request.refused" }, orderBy: { id: "asc" } });
    expect(refusals).toHaveLength(3);
    expect(refusals.every((r) => r.outcome === "denied" && r.ip === "127.0.0.1")).toBe(true);
    expect(JSON.parse(refusals[0].detail)).toEqual({ reason: "cross-origin", method: "POST", path: `/admin/users/${target.id}`, origin: "https://evil.example" });
    expect(JSON.parse(refusals[1].detail)).toMatchObject({ reason: "cross-origin", origin: null });
    // A hostile page cannot flood the audit trail: refusals go on, their rows stop at 30 per address.
    for (let i = 0; i < 40; i++) expect((await client.post(`/admin/users/${target.id}`, { intent: "endSessions" }, { origin: "https://evil.example" })).status).toBe(403);
    expect(await db.auditEvent.count({ where: { action: { in: ["request.refused", "auth.session_rejected"] }, ip: "127.0.0.1" } })).toBe(30);
  });
});

describe("change password", () => {
  it("checks the current password and strength, then ends other sessions", async () => {
    const other = await signedIn("giangvien@p1.vn");
    const client = await signedIn("giangvien@p1.vn");
    const weak = await client.post("/me/password", { current: PASSWORD, next: "ngan", confirm: "ngan" });
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain("ít nhất 12 ký tự");
    const wrong = await client.post("/me/password", { current: "khong-dung-123", next: "MatKhauMoi2026", confirm: "MatKhauMoi2026" });
    expect(await wrong.text()).toContain("Mật khẩu hiện tại không đúng.");
    const ok = await client.post("/me/password", { current: PASSWORD, next: "MatKhauMoi2026", confirm: "MatKhauMoi2026" });
    expect(ok.status).toBe(302);
    expect(await (await client.get(ok.headers.get("location")!)).text()).toContain("Đã đổi mật khẩu.");
    expect((await client.get("/me")).status).toBe(200);
    expect((await other.get("/me")).status).toBe(302);
    expect((await new Client(server.url).login("giangvien@p1.vn", "MatKhauMoi2026")).status).toBe(302);
  });
});

describe("roles and scope", () => {
  it("refuses admin pages and actions to learners and HR, and audits the denial", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.get("/admin")).status).toBe(403);
    expect((await learner.get("/admin/users")).status).toBe(403);
    const res = await learner.post(`/admin/users/${world.users.learner.id}`, { intent: "grant", role: "admin", unitCode: "P1" });
    expect(res.status).toBe(403);
    expect(await db.roleAssignment.count({ where: { userId: world.users.learner.id } })).toBe(0);
    const hr = await signedIn("nhansu@p1.vn");
    expect((await hr.get("/admin/units")).status).toBe(403);
    const denied = await db.auditEvent.count({ where: { action: "access.denied", actorId: world.users.learner.id } });
    expect(denied).toBeGreaterThanOrEqual(3);
  });

  it("answers 404 for people and units outside the administrator's province", async () => {
    const admin = await signedIn("quantri@p1.vn");
    expect((await admin.get(`/admin/users/${world.users.learner.id}`)).status).toBe(200);
    expect((await admin.get(`/admin/users/${world.users.otherLearner.id}`)).status).toBe(404);
    expect((await admin.get("/admin/users/999999")).status).toBe(404);
    expect((await admin.get("/admin/users/abc")).status).toBe(404);
    expect((await admin.get("/admin/units/P2")).status).toBe(404);
    const res = await admin.post(`/admin/users/${world.users.otherLearner.id}`, { intent: "save", fullName: "Đổi tên", email: "hocvien@p2.vn", unitCode: "P2C1" });
    expect(res.status).toBe(404);
    expect((await db.user.findUniqueOrThrow({ where: { id: world.users.otherLearner.id } })).fullName).not.toBe("Đổi tên");
    const list = await (await admin.get("/admin/users")).text();
    expect(list).toContain("hocvien@p1.vn");
    expect(list).not.toContain("hocvien@p2.vn");
  });

  it("lets an administrator grant and revoke roles only inside their scope", async () => {
    const admin = await signedIn("quantri@p1.vn");
    const outside = await admin.post(`/admin/users/${world.users.learner.id}`, { intent: "grant", role: "hr", unitCode: "P2" });
    expect(outside.status).toBe(400);
    expect(await outside.text()).toContain("Không tìm thấy đơn vị");
    const granted = await admin.post(`/admin/users/${world.users.learner.id}`, { intent: "grant", role: "hr", unitCode: "P1C1" });
    expect(granted.status).toBe(200);
    const assignment = await db.roleAssignment.findFirstOrThrow({ where: { userId: world.users.learner.id, role: "hr" } });
    const twice = await admin.post(`/admin/users/${world.users.learner.id}`, { intent: "grant", role: "hr", unitCode: "P1C1" });
    expect(await twice.text()).toContain("đã có vai trò này");
    expect(await db.roleAssignment.count({ where: { userId: world.users.learner.id } })).toBe(1);
    await admin.post(`/admin/users/${world.users.learner.id}`, { intent: "revoke", assignmentId: String(assignment.id) });
    expect(await db.roleAssignment.count({ where: { userId: world.users.learner.id } })).toBe(0);
    const audited = await db.auditEvent.findMany({ where: { action: { in: ["role.grant", "role.revoke"] } } });
    expect(audited.map((a) => a.action).sort()).toEqual(["role.grant", "role.revoke"]);
  });

  it("creates units with validated input and rejects duplicates", async () => {
    const admin = await signedIn("quantri@p1.vn");
    const bad = await admin.post("/admin/units/P1", { intent: "create", code: "bad/code", nameVi: "", nameEn: "X", kind: "agency", approvedHeadcount: "-1" });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("Mã đơn vị chỉ gồm");
    expect(html).toContain("phải là số nguyên không âm");
    const ok = await admin.post("/admin/units/P1", { intent: "create", code: "P1.STC", nameVi: "Sở Tài chính", nameEn: "Department of Finance", kind: "agency", approvedHeadcount: "25" });
    expect(ok.status).toBe(302);
    const unit = await db.orgUnit.findUniqueOrThrow({ where: { code: "P1.STC" } });
    expect(unit).toMatchObject({ path: "/P1/P1.STC/", approvedHeadcount: 25, parentId: world.units.a.id });
    const dup = await admin.post("/admin/units/P1", { intent: "create", code: "P1.STC", nameVi: "Trùng", nameEn: "Dup", kind: "agency", approvedHeadcount: "1" });
    expect(await dup.text()).toContain("Mã đơn vị đã tồn tại.");
    // The tree keeps its shape: no province or commune under an agency, no province anywhere.
    for (const [parent, kind] of [["P1.STC", "commune"], ["P1.STC", "province"], ["P1", "province"]]) {
      const misplaced = await admin.post(`/admin/units/${parent}`, { intent: "create", code: `X.${kind}`, nameVi: "Sai chỗ", nameEn: "Misplaced", kind, approvedHeadcount: "0" });
      expect(misplaced.status).toBe(400);
      expect(await misplaced.text()).toContain("Không thể tạo loại đơn vị này ở đây");
    }
    expect(await db.orgUnit.count({ where: { code: { startsWith: "X." } } })).toBe(0);
    const form = await (await admin.get("/admin/units/P1.STC")).text();
    expect(form).not.toContain('<option value="province">');
    expect(form).not.toContain('<option value="commune">');
  });
});

describe("language", () => {
  it("switches to English and remembers it", async () => {
    const client = await signedIn("nhansu@p1.vn");
    const res = await client.post("/language", { lang: "en", redirectTo: "/me" });
    expect(res.status).toBe(302);
    expect(await (await client.get("/me")).text()).toContain("Hello, ");
    const fresh = await signedIn("nhansu@p1.vn");
    expect(await (await fresh.get("/me")).text()).toContain("Hello, ");
  });
});

describe("health", () => {
  it("reports the database status as JSON", async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: { ok: true } });
  });
});
