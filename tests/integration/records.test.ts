// Personal data and the audit trail: a person downloads what the system keeps about them (and
// no secret), the audit trail exports to CSV within the viewer's scope, and events older than
// the retention period are purged by the scheduled jobs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/platform/db.server";
import { purgeAuditEvents } from "~/platform/audit.server";
import { runScheduledJobs } from "~/scheduled-jobs.server";
import { PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const DAY = 86_400_000;
let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;

async function signedIn(email: string) {
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return client;
}

beforeAll(async () => {
  world = await twoProvinces();
  await db.user.update({ where: { id: world.users.learner.id }, data: { nationalId: "001090012345", birthDate: new Date("1990-05-17T00:00:00Z"), employeeCode: "P1-HV" } });
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

describe("a person's own data", () => {
  it("downloads as JSON with the profile, learning and actions, naming sign-in factors but never their secrets", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    expect(await (await learner.get("/me")).text()).toContain("Tải toàn bộ dữ liệu của tôi (JSON)");
    const res = await learner.get("/me/data");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("du-lieu-ca-nhan.json");
    const text = await res.text();
    const data = JSON.parse(text);
    expect(data.profile).toMatchObject({ email: "hocvien@p1.vn", employeeCode: "P1-HV", nationalId: "001090012345", orgUnit: { code: "P1C1" } });
    expect(data.signIn).toMatchObject({ password: true, authenticatorApp: null, passkeys: [] });
    expect(data.activity.map((a: { action: string }) => a.action)).toContain("auth.login");
    const hash = (await db.user.findUniqueOrThrow({ where: { id: world.users.learner.id } })).passwordHash!;
    expect(text).not.toContain(hash);
    expect(text).not.toContain("passwordHash");
    expect(text).not.toContain("hocvien@p2.vn");
    expect(await db.auditEvent.count({ where: { action: "personal_data.export", actorId: world.users.learner.id } })).toBe(1);
    expect((await new Client(server.url).get("/me/data")).status).toBe(302);
  });
});

describe("the audit trail", () => {
  it("exports as CSV within the viewer's scope, neutralising formulas; learners get nothing", async () => {
    await db.auditEvent.create({ data: { action: "test.formula", actorId: world.users.hr.id, orgUnitId: world.units.a.id, detail: '=HYPERLINK("http://x")' } });
    await db.auditEvent.create({ data: { action: "test.elsewhere", orgUnitId: world.units.b.id, detail: "" } });
    const admin = await signedIn("quantri@p1.vn");
    const res = await admin.get("/admin/audit?format=csv&action=test.");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("nhat-ky-kiem-toan.csv");
    const lines = (await res.text()).replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("id,at,action,outcome,actor,actorEmail,unit,targetType,targetId,ip,detail");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("test.formula");
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    const learner = await signedIn("hocvien@p1.vn");
    expect((await learner.get("/admin/audit?format=csv")).status).toBe(403);
  });

  it("forgets events older than the retention period, in the scheduled jobs", async () => {
    const now = new Date();
    await db.auditEvent.createMany({
      data: [
        { action: "test.ancient", at: new Date(now.getTime() - 2000 * DAY), detail: "" },
        { action: "test.ancient", at: new Date(now.getTime() - 1900 * DAY), detail: "" },
        { action: "test.recent", at: new Date(now.getTime() - 100 * DAY), detail: "" },
      ],
    });
    // The default retention is five years (1,825 days).
    const result = await runScheduledJobs(now);
    expect(result.purgedAuditEvents).toBe(2);
    expect(await db.auditEvent.count({ where: { action: "test.ancient" } })).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "test.recent" } })).toBe(1);
    // A shorter retention, and 0 keeping everything.
    expect(await purgeAuditEvents(now, 0)).toBe(0);
    expect(await purgeAuditEvents(now, 30)).toBeGreaterThanOrEqual(1);
    expect(await db.auditEvent.count({ where: { action: "test.recent" } })).toBe(0);
  });
});
