// Hardening: the Content-Security-Policy and caching headers, session lifetimes, password
// confirmation before sensitive actions, import rate limits and the audit trail.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { audit } from "~/platform/audit.server";
import { syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { issueCertificate } from "~/certificates/issue.server";
import { parseEnv } from "~/platform/env.server";
import { blockedFor, forgetEndedLimits, Limiter, recordFailure, resetLimit } from "~/platform/rate-limit.server";
import { groupCode } from "~/utils/certificates";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;

beforeAll(async () => {
  world = await twoProvinces();
  await syncContent("tests/fixtures/content");
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

async function signedIn(email: string, password = PASSWORD) {
  const client = new Client(server.url);
  expect((await client.login(email, password)).status).toBe(302);
  return client;
}

function sessionId(client: Client): string {
  return /__Host-kns_session=([^;]+)/.exec(client.cookieHeader())![1];
}

/** Makes the client's session look as if the password was typed `minutes` ago. */
async function age(client: Client, minutes: number) {
  await db.session.update({ where: { id: sessionId(client) }, data: { createdAt: new Date(Date.now() - minutes * 60_000) } });
}

const CSV_HEADER = "Mã cán bộ,Họ và tên,Email,Mã đơn vị,Chức vụ";
async function uploadRoster(client: Client, csv: string, fields: Record<string, string>) {
  const form = new FormData();
  form.set("file", new File([csv], "roster.csv"));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return fetch(`${server.url}/hr/staff`, { method: "POST", body: form, headers: { Cookie: client.cookieHeader(), Origin: server.url }, redirect: "manual" });
}

describe("browser security headers", () => {
  function policyOf(res: Response) {
    const header = res.headers.get("content-security-policy") ?? "";
    return Object.fromEntries(header.split(/;\s*/).map((d) => [d.split(" ")[0], d.split(" ").slice(1).join(" ")]));
  }

  it("puts a fresh nonce on every HTML page and on each of its scripts, and nowhere else", async () => {
    const first = await fetch(`${server.url}/login`);
    const html = await first.text();
    const policy = policyOf(first);
    const nonce = /'nonce-([^']+)'/.exec(policy["script-src"])![1];
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(policy["script-src"]).toBe(`'nonce-${nonce}' 'strict-dynamic'`);
    expect(policy).toMatchObject({
      "style-src": "'self'",
      "style-src-attr": "'unsafe-inline'",
      "img-src": "'self' data:",
      "object-src": "'none'",
      "base-uri": "'none'",
      "form-action": "'self'",
      "frame-ancestors": "'none'",
      "connect-src": "'self'",
    });
    expect(first.headers.get("content-security-policy")).not.toMatch(/unsafe-eval/);
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThanOrEqual(2);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // The nonce appears only in nonce attributes: never in the serialised loader data.
    expect(html.replaceAll(`nonce="${nonce}"`, "")).not.toContain(nonce);
    const second = policyOf(await fetch(`${server.url}/login`));
    expect(second["script-src"]).not.toContain(nonce);

    const data = await fetch(`${server.url}/login.data`);
    expect(data.status).toBe(200);
    expect(await data.text()).not.toMatch(/nonce/i);
  });

  it("sends the policy with error pages too, and the other headers everywhere", async () => {
    const missing = await fetch(`${server.url}/khong-co-trang-nay`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-security-policy")).toContain("'strict-dynamic'");
    const learner = await signedIn("hocvien@p1.vn");
    const forbidden = await learner.get("/admin");
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    for (const res of [missing, forbidden, await fetch(`${server.url}/healthz`)]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("same-origin");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    }
  });

  it("never lets signed-in pages or their data be cached, while build assets are cached for a year", async () => {
    const anonymous = await fetch(`${server.url}/login`);
    expect(anonymous.headers.get("cache-control") ?? "").not.toContain("no-store");
    const learner = await signedIn("hocvien@p1.vn");
    const page = await learner.get("/me");
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const data = await learner.get("/me.data");
    expect(data.status).toBe(200);
    expect(data.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    const asset = /\/assets\/[\w.-]+\.js/.exec(html)![0];
    const cached = await fetch(server.url + asset);
    expect(cached.status).toBe(200);
    expect(cached.headers.get("cache-control")).toMatch(/max-age=31536000.*immutable/);
    // The build's other public files are served too (an hour's cache); page addresses never
    // reach the file system. A missing file there falls through to the app: under /media/ that
    // is a course's images, for signed-in readers only.
    const favicon = await fetch(`${server.url}/favicon.svg`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get("content-type")).toMatch(/image\/svg\+xml/);
    expect(favicon.headers.get("cache-control")).toBe("public, max-age=3600");
    const guideImage = await fetch(`${server.url}/media/huong-dan/man-hinh-dang-nhap.svg`);
    expect(guideImage.status).toBe(200);
    expect((await guideImage.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const missing = await fetch(`${server.url}/media/huong-dan/khong-co.png`, { redirect: "manual" });
    expect(missing.status).toBe(302);
    expect(missing.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    expect((await fetch(`${server.url}/khong-co-trang-nay.svg`)).status).toBe(404);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get("content-type")).toMatch(/application\/json/);
    expect(health.headers.get("content-security-policy")).toBeNull();
  });

  it("compresses pages in the encoding the browser prefers, sent whole with their length", async () => {
    const raw = (path: string, headers: Record<string, string>, method = "GET") =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        const req = http.request(server.url + path, { method, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on("error", reject);
        req.end();
      });
    const plain = await raw("/login", { "Accept-Encoding": "identity" });
    expect(plain.status).toBe(200);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(Number(plain.headers["content-length"])).toBe(plain.body.length);
    const page = plain.body.toString("utf8");
    expect(page).toContain("Đăng nhập");

    // Browsers offer "gzip, deflate, br": pages go out gzipped (smaller and cheaper than brotli
    // at the same cost, measured in docs/decisions/012-render-floor.md).
    const gz = await raw("/login", { "Accept-Encoding": "gzip, deflate, br" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(gz.headers.vary).toMatch(/Accept-Encoding/i);
    expect(Number(gz.headers["content-length"])).toBe(gz.body.length);
    expect(gz.body.length).toBeLessThan(plain.body.length / 2);
    // Same page apart from the per-response nonce.
    const withoutNonce = (html: string) => html.replace(/nonce="[^"]+"/g, "");
    expect(withoutNonce(zlib.gunzipSync(gz.body).toString("utf8"))).toBe(withoutNonce(page));

    const br = await raw("/login", { "Accept-Encoding": "br, gzip;q=0" });
    expect(br.headers["content-encoding"]).toBe("br");
    expect(withoutNonce(zlib.brotliDecompressSync(br.body).toString("utf8"))).toBe(withoutNonce(page));

    const head = await raw("/login", { "Accept-Encoding": "br" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);

    // A signed-in page and its data: compressed and private.
    const learner = await signedIn("hocvien@p1.vn");
    const me = await raw("/me", { "Accept-Encoding": "gzip, deflate, br, zstd", Cookie: learner.cookieHeader() });
    expect(me.status).toBe(200);
    expect(me.headers["content-encoding"]).toBe("gzip");
    expect(me.headers["cache-control"]).toBe("no-store");
    expect(zlib.gunzipSync(me.body).toString("utf8")).toContain("</html>");
    const data = await raw("/me.data", { "Accept-Encoding": "gzip", Cookie: learner.cookieHeader() });
    expect(data.status).toBe(200);
    expect(data.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(data.body).length).toBeGreaterThan(0);

    // Build assets: compressed once at build time, sent in the best encoding the client takes.
    const script = /\/assets\/[\w.-]+\.js/.exec(page)![0];
    const original = fs.readFileSync(path.join("build/client", script));
    const brAsset = await raw(script, { "Accept-Encoding": "gzip, deflate, br, zstd" });
    expect(brAsset.status).toBe(200);
    expect(brAsset.headers["content-encoding"]).toBe("br");
    expect(brAsset.headers["content-type"]).toBe("application/javascript; charset=UTF-8");
    expect(brAsset.headers.vary).toMatch(/Accept-Encoding/i);
    expect(brAsset.headers["cache-control"]).toMatch(/max-age=31536000.*immutable/);
    expect(zlib.brotliDecompressSync(brAsset.body).equals(original)).toBe(true);
    const gzAsset = await raw(script, { "Accept-Encoding": "gzip, br;q=0" });
    expect(gzAsset.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gzAsset.body).equals(original)).toBe(true);
    for (const headers of [{ "Accept-Encoding": "identity" }, {}] as Record<string, string>[]) {
      const plainAsset = await raw(script, headers);
      expect(plainAsset.headers["content-encoding"]).toBeUndefined();
      expect(plainAsset.body.equals(original)).toBe(true);
    }
    const headAsset = await raw(script, { "Accept-Encoding": "br" }, "HEAD");
    expect(headAsset.status).toBe(200);
    expect(headAsset.headers["content-encoding"]).toBe("br");
    expect(headAsset.body.length).toBe(0);
  });
});

describe("session lifetime", () => {
  it("reads SESSION_IDLE_MINUTES and SESSION_MAX_HOURS, with defaults of 60 minutes and 12 hours", () => {
    expect(parseEnv({})).toMatchObject({ SESSION_IDLE_MINUTES: 60, SESSION_MAX_HOURS: 12 });
    expect(parseEnv({ SESSION_IDLE_MINUTES: "30", SESSION_MAX_HOURS: "8" })).toMatchObject({ SESSION_IDLE_MINUTES: 30, SESSION_MAX_HOURS: 8 });
    expect(() => parseEnv({ SESSION_IDLE_MINUTES: "0" })).toThrow(/SESSION_IDLE_MINUTES/);
  });

  it("slides the idle expiry while the session is used and ends it when unused", async () => {
    const client = await signedIn("giangvien@p1.vn");
    const id = sessionId(client);
    const fresh = await db.session.findUniqueOrThrow({ where: { id } });
    // 60 minutes from sign-in (give or take the request's own duration).
    expect(Math.abs(fresh.expiresAt.getTime() - fresh.createdAt.getTime() - 60 * 60_000)).toBeLessThan(5 * 60_000);
    // Used with less than half the idle period left: moved forward to a full period.
    await db.session.update({ where: { id }, data: { expiresAt: new Date(Date.now() + 10 * 60_000) } });
    expect((await client.get("/me")).status).toBe(200);
    const slid = await db.session.findUniqueOrThrow({ where: { id } });
    expect(slid.expiresAt.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    // Unused past its expiry: signed out, and the row is gone.
    await db.session.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await client.get("/me");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    expect(await db.session.findUnique({ where: { id } })).toBeNull();
  });

  it("ends a session older than the absolute lifetime even while it is in use", async () => {
    const client = await signedIn("giangvien@p1.vn");
    const id = sessionId(client);
    await db.session.update({ where: { id }, data: { createdAt: new Date(Date.now() - 12 * 3600_000 - 60_000), expiresAt: new Date(Date.now() + 50 * 60_000) } });
    expect((await client.get("/me")).status).toBe(302);
    expect(await db.session.findUnique({ where: { id } })).toBeNull();
  });
});

describe("password confirmation before sensitive actions", () => {
  it("asks an administrator for the password before granting a role, then rotates the session", async () => {
    const admin = await signedIn("quantri@p1.vn");
    const target = world.users.learner;
    await age(admin, 11);
    const old = sessionId(admin);
    const refused = await admin.post(`/admin/users/${target.id}`, { intent: "grant", role: "hr", unitCode: "P1C1" });
    expect(refused.status).toBe(302);
    expect(refused.headers.get("location")).toBe(`/reauth?redirectTo=%2Fadmin%2Fusers%2F${target.id}`);
    expect(await db.roleAssignment.count({ where: { userId: target.id } })).toBe(0);
    // Revoking and ending sessions reduce access: no confirmation needed.
    expect((await admin.post(`/admin/users/${target.id}`, { intent: "endSessions" })).status).toBe(200);

    const page = await admin.get(`/reauth?redirectTo=%2Fadmin%2Fusers%2F${target.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Xác nhận mật khẩu");
    expect(html).toContain("quantri@p1.vn");
    const wrong = await admin.post("/reauth", { password: "sai-mat-khau-9", redirectTo: `/admin/users/${target.id}` });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("Mật khẩu không đúng.");
    const ok = await admin.post("/reauth", { password: PASSWORD, redirectTo: `/admin/users/${target.id}` });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(`/admin/users/${target.id}`);
    expect(sessionId(admin)).not.toBe(old);
    expect(await db.session.findUnique({ where: { id: old } })).toBeNull();

    const granted = await admin.post(`/admin/users/${target.id}`, { intent: "grant", role: "hr", unitCode: "P1C1" });
    expect(granted.status).toBe(200);
    expect(await db.roleAssignment.count({ where: { userId: target.id, role: "hr" } })).toBe(1);
    const events = await db.auditEvent.findMany({ where: { action: "auth.reauth", actorId: world.users.admin.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.outcome)).toEqual(["failed", "ok"]);
    await db.roleAssignment.deleteMany({ where: { userId: target.id } });
  });

  it("asks for it before applying a roster import, but not for the dry run", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    await age(hr, 30);
    const csv = [CSV_HEADER, "RA001,Phan Văn Sáu,sau@p1.vn,P1C1,Chuyên viên"].join("\n");
    const check = await uploadRoster(hr, csv, { intent: "check" });
    expect(check.status).toBe(200);
    const apply = await uploadRoster(hr, csv, { intent: "apply" });
    expect(apply.status).toBe(302);
    expect(apply.headers.get("location")).toBe("/reauth?redirectTo=%2Fhr%2Fstaff");
    expect(await db.user.count({ where: { employeeCode: "RA001" } })).toBe(0);
    expect((await hr.post("/reauth", { password: PASSWORD, redirectTo: "/hr/staff" })).headers.get("location")).toBe("/hr/staff");
    const again = await uploadRoster(hr, csv, { intent: "apply" });
    expect(again.status).toBe(200);
    expect(await db.user.count({ where: { employeeCode: "RA001" } })).toBe(1);
  });

  it("asks for it before revoking a certificate", async () => {
    const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
    const enrollment = await db.enrollment.create({ data: { userId: world.users.learner.id, courseId: course.id, completedAt: new Date() } });
    const cert = await issueCertificate(enrollment.id, { userId: null });
    const hr = await signedIn("nhansu@p1.vn");
    await age(hr, 15);
    const path = `/hr/certificates/${groupCode(cert.code)}`;
    const refused = await hr.post(path, { intent: "revoke", reason: "Nhập sai" });
    expect(refused.status).toBe(302);
    expect(refused.headers.get("location")).toBe(`/reauth?redirectTo=${encodeURIComponent(path)}`);
    expect((await db.certificate.findUniqueOrThrow({ where: { id: cert.id } })).status).toBe("valid");
    await hr.post("/reauth", { password: PASSWORD, redirectTo: path });
    const revoked = await hr.post(path, { intent: "revoke", reason: "Nhập sai" });
    expect(revoked.status).toBe(302);
    expect((await db.certificate.findUniqueOrThrow({ where: { id: cert.id } })).status).toBe("revoked");
  });

  it("throttles wrong passwords and sends signed-out visitors to the login page", async () => {
    await createUser("nhansu3@p1.vn", world.units.a2, [{ role: "hr", unit: world.units.a }]);
    const hr = await signedIn("nhansu3@p1.vn");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await hr.post("/reauth", { password: `sai-${i}-mat-khau` })).status);
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    const right = await hr.post("/reauth", { password: PASSWORD });
    expect(right.status).toBe(429);
    expect(await right.text()).toContain("quá nhiều lần");
    const anonymous = await new Client(server.url).get("/reauth?redirectTo=%2Fhr%2Fstaff");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("rate limits", () => {
  it("limits roster uploads per account, before reading the file", async () => {
    await createUser("nhansu2@p1.vn", world.units.a2, [{ role: "hr", unit: world.units.a }]);
    const hr = await signedIn("nhansu2@p1.vn");
    const csv = [CSV_HEADER, "RL001,Lê Văn Bảy,bay@p1.vn,P1C1,Chuyên viên"].join("\n");
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await uploadRoster(hr, csv, { intent: "check" })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    const blocked = await uploadRoster(hr, csv, { intent: "check" });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain("quá nhiều lần");
    // Counters live in the database, shared by every app instance.
    expect(await db.rateLimiterFlexible.count({ where: { key: { startsWith: "import_acct" } } })).toBeGreaterThanOrEqual(1);
  });

  it("counts every request of a window in one shared row, blocks a whole window from the crossing, then starts afresh", async () => {
    const limiter = new Limiter("test_window", 3, 60);
    const t0 = new Date("2026-11-26T08:00:00Z");
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    // Concurrent requests are all counted: no lost increments.
    const first = await Promise.all([0, 1, 2].map(() => recordFailure(limiter, "10.0.0.1", at(0))));
    expect(first).toEqual([0, 0, 0]);
    expect(await blockedFor(limiter, "10.0.0.1", at(1))).toBe(0);
    // The fourth crosses the limit at 30 s: blocked for a whole window from then.
    expect(await recordFailure(limiter, "10.0.0.1", at(30))).toBe(60);
    expect(await blockedFor(limiter, "10.0.0.1", at(31))).toBe(59);
    expect(await recordFailure(limiter, "10.0.0.1", at(80))).toBe(10);
    expect(await blockedFor(limiter, "10.0.0.1", at(89))).toBe(1);
    // Other keys are untouched; after the block a new window starts from one.
    expect(await recordFailure(limiter, "10.0.0.2", at(31))).toBe(0);
    expect(await blockedFor(limiter, "10.0.0.1", at(90))).toBe(0);
    expect(await recordFailure(limiter, "10.0.0.1", at(91))).toBe(0);
    expect((await db.rateLimiterFlexible.findUniqueOrThrow({ where: { key: "test_window:10.0.0.1" } })).points).toBe(1);
    // A reset forgets the key; the scheduled clean-up forgets windows ended over an hour ago.
    await resetLimit(limiter, "10.0.0.1");
    expect(await db.rateLimiterFlexible.count({ where: { key: "test_window:10.0.0.1" } })).toBe(0);
    expect(await forgetEndedLimits(at(31 + 60 + 3599))).toBe(0);
    expect(await forgetEndedLimits(at(31 + 60 + 3601))).toBeGreaterThanOrEqual(1);
    expect(await db.rateLimiterFlexible.count({ where: { key: { startsWith: "test_window:" } } })).toBe(0);
  });
});

describe("audit trail", () => {
  it("is for administrators and HR only", async () => {
    expect((await (await signedIn("hocvien@p1.vn")).get("/admin/audit")).status).toBe(403);
    expect((await (await signedIn("giangvien@p1.vn")).get("/admin/audit")).status).toBe(403);
    expect((await new Client(server.url).get("/admin/audit")).status).toBe(302);
  });

  it("shows who, what, where and when within the viewer's scope, searchable and paginated", async () => {
    const { a1, b1 } = world.units;
    await audit({ action: "test.inside", actorId: world.users.learner.id, orgUnitId: a1.id, ip: "10.1.2.3", targetType: "user", targetId: 7 });
    await audit({ action: "test.actor_inside", actorId: world.users.learner.id, ip: "10.1.2.4" });
    await audit({ action: "test.outside", actorId: world.users.otherLearner.id, orgUnitId: b1.id, ip: "10.9.9.9" });
    await audit({ action: "test.failed", outcome: "failed", actorId: world.users.hr.id, orgUnitId: a1.id });
    const hr = await signedIn("nhansu@p1.vn");
    const all = await (await hr.get("/admin/audit?action=test.")).text();
    expect(all).toContain("test.inside");
    expect(all).toContain("test.actor_inside");
    expect(all).toContain("10.1.2.3");
    expect(all).toContain("hocvien@p1.vn");
    expect(all).toContain("Đơn vị P1C1 (P1C1)");
    expect(all).not.toContain("test.outside");
    expect(all).not.toContain("10.9.9.9");

    const failed = await (await hr.get("/admin/audit?action=test.&outcome=failed")).text();
    expect(failed).toContain("test.failed");
    expect(failed).not.toContain("test.inside");
    const byEmail = await (await hr.get("/admin/audit?action=test.&email=HOCVIEN%40P1")).text();
    expect(byEmail).toContain("test.inside");
    expect(byEmail).not.toContain("test.failed");
    const vnToday = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    expect(await (await hr.get(`/admin/audit?action=test.&from=${vnToday}&to=${vnToday}`)).text()).toContain("test.inside");
    expect(await (await hr.get("/admin/audit?action=test.&from=2020-01-01&to=2020-01-31")).text()).not.toContain("test.inside");
    const bad = await hr.get("/admin/audit?from=2026-02-30&to=x&page=-5&outcome=%3Cb%3E");
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain("Khoảng ngày không hợp lệ");

    for (let i = 0; i < 55; i++) await audit({ action: "test.page", actorId: world.users.admin.id, orgUnitId: a1.id, detail: { i } });
    const admin = await signedIn("quantri@p1.vn");
    const first = await (await admin.get("/admin/audit?action=test.page")).text();
    expect(first.match(/<code[^>]*>test\.page<\/code>/g)).toHaveLength(50);
    expect(first).toContain("Cũ hơn");
    const second = await (await admin.get("/admin/audit?action=test.page&page=1")).text();
    expect(second.match(/<code[^>]*>test\.page<\/code>/g)).toHaveLength(5);
    expect(second).toContain("Mới hơn");
  });

  it("cannot be forged: control characters are replaced and markup is shown as text", async () => {
    await audit({
      action: "test.forge\nauth.login ok",
      actorId: world.users.hr.id,
      orgUnitId: world.units.a1.id,
      targetId: "1\r\n2",
      ip: "1.2.3.4\n5.6.7.8",
      detail: { note: "dòng một\ndòng hai\u2028\u0000<script>alert(1)</script>" },
    });
    const row = await db.auditEvent.findFirstOrThrow({ where: { action: { startsWith: "test.forge" } } });
    // eslint-disable-next-line no-control-regex
    for (const value of [row.action, row.targetId, row.ip, row.detail]) expect(value).not.toMatch(/[\u0000-\u001f\u007f\u2028\u2029]/);
    expect(row.action).toBe("test.forge auth.login ok");
    const html = await (await (await signedIn("nhansu@p1.vn")).get("/admin/audit?action=test.forge")).text();
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert(1)");
  });

  it("records sign-ins, failures and denials, and never a password, session id or answer key", async () => {
    const client = new Client(server.url);
    expect((await client.login("hocvien@p1.vn", "Mat-Khau-Sai-2026")).status).toBe(401);
    const other = await createUser("hocvien2@p1.vn", world.units.a1);
    const learner = await signedIn("hocvien2@p1.vn");
    expect((await learner.get("/admin/users")).status).toBe(403);
    // A quiz attempt, graded: its audit says the score, not the key.
    expect((await learner.post("/courses/khoa-thu", {})).status).toBe(302);
    expect((await learner.post("/courses/khoa-thu/quiz", { intent: "start" })).status).toBe(302);
    const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollment: { userId: other.id }, status: "open" } });
    expect((await learner.post("/courses/khoa-thu/quiz", { intent: "submit", attemptId: String(attempt.id), confirmBlank: "1" })).status).toBe(302);

    const events = await db.auditEvent.findMany();
    const actions = new Set(events.map((e) => `${e.action}:${e.outcome}`));
    for (const expected of ["auth.login:ok", "auth.login:failed", "access.denied:denied", "role.grant:ok", "auth.reauth:ok", "auth.reauth:failed", "staff.import:ok", "certificate.issue:ok", "certificate.revoke:ok", "quiz.submit:ok"]) {
      expect(actions).toContain(expected);
    }
    const text = JSON.stringify(events);
    for (const secret of [PASSWORD, "Mat-Khau-Sai-2026", "sai-mat-khau-9", "sai-0-mat-khau", sessionId(learner)]) expect(text).not.toContain(secret);
    const answerKeys = (await db.versionQuestion.findMany({ select: { choices: true } })).map((q) => q.choices);
    for (const key of answerKeys) expect(text).not.toContain(key);
    expect(text).not.toMatch(/\\"correct\\"/);
  });
});
