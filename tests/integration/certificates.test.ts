// Certificates through the real server: issue on completion, PDF, public verification,
// revocation, reissue, scope, expiry, renewals and the ZIP download.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { unzipSync, strFromU8 } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/services/db.server";
import { syncContent } from "~/services/content.server";
import { addMonths, createRenewals, issueCertificate, newCode, statusOf } from "~/services/certificates.server";
import { getEnrollment } from "~/services/learning.server";
import { groupCode, normalizeCode } from "~/utils/certificates";
import type { Choice } from "~/utils/course";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;
const COURSE = "/courses/khoa-thu";
const NAME = "Nguyễn Thị Ánh Tuyết";
const COURSE_TITLE = "Khoá học thử nghiệm";
// PDFs and the rendered PNG land where test output is kept (ignored by git).
const OUT = path.resolve("test-results/certificates");

beforeAll(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  world = await twoProvinces();
  // Typed the way a Vietnamese keyboard may send it (decomposed): the certificate keeps NFC.
  await db.user.update({ where: { id: world.users.learner.id }, data: { fullName: NAME.normalize("NFD"), position: "Chuyên viên" } });
  const { problems } = await syncContent("tests/fixtures/content");
  expect(problems).toEqual([]);
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

async function signedIn(email: string) {
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return client;
}

async function post(client: Client, p: string, entries: [string, string][]) {
  return fetch(server.url + p, {
    method: "POST",
    body: new URLSearchParams(entries),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: client.cookieHeader(), Origin: server.url },
    redirect: "manual",
  });
}

/** Enrols, reads both lessons and passes the quiz, all over HTTP as a browser would. */
async function completeCourse(client: Client, userId: number) {
  expect((await client.post(COURSE, {})).status).toBe(302);
  expect((await client.post(`${COURSE}/bai-mot`, {})).status).toBe(302);
  expect((await client.post(`${COURSE}/bai-hai`, {})).status).toBe(302);
  expect((await client.post(`${COURSE}/quiz`, { intent: "start" })).status).toBe(302);
  const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollment: { userId }, status: "open" } });
  const rows = await db.attemptQuestion.findMany({ where: { attemptId: attempt.id }, include: { question: true } });
  const entries: [string, string][] = [["intent", "submit"], ["attemptId", String(attempt.id)]];
  for (const r of rows) for (const c of JSON.parse(r.question.choices) as Choice[]) if (c.correct) entries.push([`q${r.position}`, c.id]);
  expect((await post(client, `${COURSE}/quiz`, entries)).status).toBe(302);
}

/** A completed enrolment and its certificate, made through the services (for setup only). */
async function certificateFor(user: { id: number }, completedAt = new Date()) {
  const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
  const e = await db.enrollment.create({ data: { userId: user.id, courseId: course.id, completedAt } });
  return issueCertificate(e.id, { userId: null });
}

function pdfText(bytes: ArrayBuffer, name: string): string {
  const file = path.join(OUT, `${name}.pdf`);
  fs.writeFileSync(file, Buffer.from(bytes));
  // -raw keeps the drawing order, so the rotated "revoked" mark reads as one line.
  return execFileSync("pdftotext", ["-raw", file, "-"]).toString("utf8").normalize("NFC");
}

let code = ""; // canonical code of the learner's certificate

describe("codes", () => {
  it("are 20 Crockford symbols, grouped for display and read back however they are typed", () => {
    const c = newCode();
    expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
    expect(new Set(Array.from({ length: 200 }, newCode)).size).toBe(200);
    const shown = groupCode(c);
    expect(shown).toMatch(/^KNS(-[0-9A-Z]{4}){5}$/);
    for (const typed of [shown, shown.toLowerCase(), c, c.toLowerCase(), ` ${shown.replace(/-/g, " ")} `, shown.slice(4)]) {
      expect(normalizeCode(typed)).toBe(c);
    }
    expect(normalizeCode("KNS-0O1I-L000-0000-0000-0000")).toBe("0011100000000000000000".slice(0, 20));
    for (const bad of ["", "KNS-1234", "U".repeat(20), `${c}0`, "x".repeat(5000)]) expect(normalizeCode(bad)).toBeNull();
  });

  it("expire in calendar months, clamped at month ends in Vietnamese time", () => {
    expect(addMonths(new Date("2026-01-31T03:00:00Z"), 1).toISOString()).toBe("2026-02-28T03:00:00.000Z");
    expect(addMonths(new Date("2026-03-05T20:00:00Z"), 12).toISOString()).toBe("2027-03-05T20:00:00.000Z");
    expect(statusOf({ status: "valid", expiresAt: new Date(Date.now() - 1000) })).toBe("expired");
    expect(statusOf({ status: "valid", expiresAt: null })).toBe("valid");
  });
});

describe("issue and download", () => {
  it("completing the course issues exactly one certificate with a snapshot of the learner", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    await completeCourse(learner, world.users.learner.id);
    const certs = await db.certificate.findMany({ where: { userId: world.users.learner.id } });
    expect(certs).toHaveLength(1);
    const cert = certs[0];
    code = cert.code;
    const enrollment = await db.enrollment.findUniqueOrThrow({ where: { id: cert.enrollmentId } });
    expect(cert).toMatchObject({ fullName: NAME.normalize("NFC"), position: "Chuyên viên", unitName: "Đơn vị P1C1", courseTitle: COURSE_TITLE, status: "valid" });
    expect(cert.completedAt.getTime()).toBe(enrollment.completedAt!.getTime());
    expect(cert.expiresAt!.getTime()).toBe(addMonths(enrollment.completedAt!, 12).getTime());
    // Calling it again, or twice at once, changes nothing.
    const again = await Promise.all([issueCertificate(enrollment.id, { userId: null }), issueCertificate(enrollment.id, { userId: null })]);
    expect(again.map((a) => a.created)).toEqual([false, false]);
    expect(await db.certificate.count({ where: { enrollmentId: enrollment.id } })).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "certificate.issue", targetId: String(cert.id) } })).toBe(1);
  });

  it("lists the certificate on /me and downloads a PDF whose text reads back in Vietnamese", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    const me = await (await learner.get("/me")).text();
    expect(me).toContain("Giấy chứng nhận của tôi");
    expect(me).toContain(groupCode(code));
    expect(me).toContain("Còn hiệu lực");
    expect(me).toContain(`/me/certificates/${groupCode(code)}/pdf`);
    expect(me).toContain(`/verify/${groupCode(code)}`);

    const res = await learner.get(`/me/certificates/${groupCode(code)}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toContain(`${groupCode(code)}.pdf`);
    const bytes = await res.arrayBuffer();
    expect(Buffer.from(bytes).subarray(0, 5).toString()).toBe("%PDF-");
    const text = pdfText(bytes, "certificate");
    expect(text).toContain(NAME);
    expect(text).toContain(COURSE_TITLE);
    expect(text).toContain(groupCode(code));
    expect(text).toContain("GIẤY CHỨNG NHẬN");
    expect(text).toContain("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(text).toContain(`${server.url}/verify`);
    // Rendered for a person to look at (test-results/certificates/certificate-1.png).
    execFileSync("pdftoppm", ["-png", "-r", "60", path.join(OUT, "certificate.pdf"), path.join(OUT, "certificate")]);
    expect(fs.existsSync(path.join(OUT, "certificate-1.png"))).toBe(true);
    // Any spelling of the code in the URL reaches the same file.
    expect((await learner.get(`/me/certificates/${code.toLowerCase()}/pdf`)).status).toBe(200);
  });

  it("another learner, a stranger and an HR officer elsewhere all get 404", async () => {
    const other = await signedIn("hocvien@p2.vn");
    expect((await other.get(`/me/certificates/${groupCode(code)}/pdf`)).status).toBe(404);
    const anonymous = new Client(server.url);
    expect((await anonymous.get(`/me/certificates/${groupCode(code)}/pdf`)).status).toBe(302);

    await createUser("nhansu@p2.vn", world.units.b1, [{ role: "hr", unit: world.units.b }]);
    const hrElsewhere = await signedIn("nhansu@p2.vn");
    expect((await hrElsewhere.get(`/hr/certificates/${groupCode(code)}`)).status).toBe(404);
    expect((await hrElsewhere.get(`/hr/certificates/${groupCode(code)}/pdf`)).status).toBe(404);
    expect((await hrElsewhere.post(`/hr/certificates/${groupCode(code)}`, { intent: "revoke", reason: "x" })).status).toBe(404);
    expect(await (await hrElsewhere.get(`/hr/certificates?q=${code}`)).text()).toContain("Không có giấy chứng nhận nào phù hợp.");
    // A learner has no certificate pages at all.
    expect((await other.get("/hr/certificates")).status).toBe(403);
  });
});

describe("public verification", () => {
  it("shows a valid certificate without signing in, however the code is typed", async () => {
    const anonymous = new Client(server.url);
    for (const typed of [groupCode(code), groupCode(code).toLowerCase(), code, code.toLowerCase()]) {
      const res = await anonymous.get(`/verify/${typed}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const html = await res.text();
      expect(html).toContain("Giấy chứng nhận hợp lệ");
      expect(html).toContain(NAME);
      expect(html).toContain(COURSE_TITLE);
      expect(html).not.toContain("Chuyên viên"); // only the minimum is public
    }
    // The form: a typed code is redirected to its page; an empty one is asked for again.
    const form = await anonymous.get(`/verify?code=${encodeURIComponent(` ${code.toLowerCase()} `)}`);
    expect(form.status).toBe(302);
    expect(form.headers.get("location")).toBe(`/verify/${groupCode(code)}`);
    expect(await (await anonymous.get("/verify?code=")).text()).toContain("Vui lòng nhập mã chứng nhận.");
  });

  it("answers unknown, malformed and very long codes with the same 404", async () => {
    const anonymous = new Client(server.url);
    const typed = [groupCode(newCode()), "NOT-A-CODE-123", "A".repeat(5000)];
    const bodies: string[] = [];
    for (const t of typed) {
      const res = await anonymous.get(`/verify/${t}`);
      expect(res.status).toBe(404);
      // React 18.3's streaming renderer can leave NUL bytes where a multi-byte character meets
      // its 2 KB buffer edge (facebook/react#26228, fixed only in 19), and that edge moves with
      // the length of the typed code; browsers drop them, so the comparison does too.
      // The per-request CSP nonce differs on every page, whatever it shows.
      const html = (await res.text()).replace(/\0/g, "").replace(/nonce="[^"]*"/g, 'nonce=""');
      expect(html).toContain("Không tìm thấy giấy chứng nhận");
      bodies.push(html.split(t).join(""));
    }
    expect(bodies[1]).toBe(bodies[0]);
    expect(bodies[2]).toBe(bodies[0]);
    // The long input is never shown back in the page's own content.
    const long = await (await anonymous.get(`/verify/${"B".repeat(5000)}`)).text();
    expect(long).not.toMatch(/value="B{65,}"/);
    expect(long).not.toMatch(/"typed","B{65,}"/);
  });
});

describe("revocation and reissue", () => {
  it("reissues with a new code, then revokes only with a reason; verification and /me follow", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const list = await (await hr.get(`/hr/certificates?q=${encodeURIComponent("Ánh Tuyết")}`)).text();
    expect(list).toContain(groupCode(code));
    expect(await (await hr.get(`/hr/certificates?q=${code.toLowerCase()}`)).text()).toContain(groupCode(code));
    const hrPdf = await hr.get(`/hr/certificates/${groupCode(code)}/pdf`);
    expect(hrPdf.status).toBe(200);

    // Reissue after a corrected name: the new certificate carries it, the old code is replaced.
    await db.user.update({ where: { id: world.users.learner.id }, data: { fullName: "Nguyễn Thị Ánh Tuyết (sửa)" } });
    const reissued = await hr.post(`/hr/certificates/${groupCode(code)}`, { intent: "reissue" });
    expect(reissued.status).toBe(302);
    const old = await db.certificate.findUniqueOrThrow({ where: { code } });
    expect(old.status).toBe("replaced");
    const fresh = await db.certificate.findUniqueOrThrow({ where: { id: old.replacedById! } });
    expect(fresh.code).not.toBe(code);
    expect(fresh).toMatchObject({ fullName: "Nguyễn Thị Ánh Tuyết (sửa)", enrollmentId: old.enrollmentId, status: "valid" });
    expect(fresh.expiresAt?.getTime()).toBe(old.expiresAt?.getTime());
    expect(reissued.headers.get("location")).toBe(`/hr/certificates/${groupCode(fresh.code)}?done=reissued`);
    expect(await db.auditEvent.count({ where: { action: "certificate.reissue", actorId: world.users.hr.id, targetId: String(old.id) } })).toBe(1);
    const anonymous = new Client(server.url);
    expect(await (await anonymous.get(`/verify/${groupCode(code)}`)).text()).toContain("Giấy chứng nhận đã được thay thế");
    expect((await hr.post(`/hr/certificates/${groupCode(code)}`, { intent: "reissue" })).status).toBe(409);

    // Revoking needs a reason.
    const noReason = await hr.post(`/hr/certificates/${groupCode(fresh.code)}`, { intent: "revoke", reason: "   " });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Vui lòng nhập lý do thu hồi.");
    expect((await db.certificate.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe("valid");
    const revoked = await hr.post(`/hr/certificates/${groupCode(fresh.code)}`, { intent: "revoke", reason: "Hồ sơ khai sai" });
    expect(revoked.status).toBe(302);
    expect(await db.certificate.findUniqueOrThrow({ where: { id: fresh.id } })).toMatchObject({
      status: "revoked",
      revokedById: world.users.hr.id,
      revokeReason: "Hồ sơ khai sai",
    });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "certificate.revoke", targetId: String(fresh.id) } });
    expect(event).toMatchObject({ actorId: world.users.hr.id, orgUnitId: world.units.a1.id });
    expect(event.detail).toContain("Hồ sơ khai sai");
    expect((await hr.post(`/hr/certificates/${groupCode(fresh.code)}`, { intent: "revoke", reason: "lần hai" })).status).toBe(409);

    const page = await (await anonymous.get(`/verify/${groupCode(fresh.code)}`)).text();
    expect(page).toContain("Giấy chứng nhận đã bị thu hồi");
    expect(page).not.toContain("Hồ sơ khai sai"); // the reason stays internal
    const learner = await signedIn("hocvien@p1.vn");
    const me = await (await learner.get("/me")).text();
    expect(me).toContain("Đã thu hồi");
    expect(me).toContain("Đã thay thế");
    // A revoked certificate's PDF carries the mark.
    const marked = pdfText(await (await learner.get(`/me/certificates/${groupCode(fresh.code)}/pdf`)).arrayBuffer(), "revoked");
    expect(marked).toContain("ĐÃ THU HỒI");
  });
});

describe("names as data", () => {
  it("renders names with markup, quotes and formulas as plain text", async () => {
    const evil = `=HYPERLINK("http://evil.example","Bấm") <script>alert('x')</script> "Lê"`;
    const user = await createUser("kytu@p1.vn", world.units.a1, [], { fullName: evil });
    const cert = await certificateFor(user);
    const anonymous = new Client(server.url);
    const page = await (await anonymous.get(`/verify/${groupCode(cert.code)}`)).text();
    expect(page).not.toContain("<script>alert('x')</script>");
    expect(page).toContain("&lt;script&gt;");
    const hr = await signedIn("nhansu@p1.vn");
    const list = await (await hr.get(`/hr/certificates?q=HYPERLINK`)).text();
    expect(list).not.toContain("<script>alert('x')</script>");
    expect(list).toContain(groupCode(cert.code));
  });
});

describe("expiry and renewal", () => {
  it("a certificate past its expiry verifies as expired", async () => {
    const user = await createUser("hethan@p1.vn", world.units.a1, [], { fullName: "Trần Văn Hết Hạn" });
    const cert = await certificateFor(user, new Date(Date.now() - 400 * 86_400_000));
    const row = await db.certificate.findUniqueOrThrow({ where: { id: cert.id } });
    expect(row.expiresAt!.getTime()).toBeLessThan(Date.now());
    const anonymous = new Client(server.url);
    const page = await (await anonymous.get(`/verify/${groupCode(cert.code)}`)).text();
    expect(page).toContain("Giấy chứng nhận đã hết hạn");
  });

  it("creates one renewal enrolment per expiring certificate, once", async () => {
    const user = await createUser("giahan@p1.vn", world.units.a1, [], { fullName: "Phạm Thị Gia Hạn" });
    // Completed a year ago less ten days: expires in ten days, within the 30-day lead.
    const completedAt = addMonths(new Date(Date.now() + 10 * 86_400_000), -12);
    const cert = await certificateFor(user, completedAt);
    const row = await db.certificate.findUniqueOrThrow({ where: { id: cert.id } });
    const first = await createRenewals(new Date(), 30);
    expect(first.created).toBeGreaterThanOrEqual(1);
    const renewals = await db.enrollment.findMany({ where: { userId: user.id, origin: "renewal" } });
    expect(renewals).toHaveLength(1);
    expect(renewals[0]).toMatchObject({ cycle: 2, completedAt: null });
    expect(renewals[0].dueAt!.getTime()).toBe(row.expiresAt!.getTime());
    const second = await createRenewals(new Date(), 30);
    expect(second.created).toBe(0);
    expect(await db.enrollment.count({ where: { userId: user.id } })).toBe(2);
    // The learner now works on the new cycle, and /me shows it with its due date.
    expect((await getEnrollment(user.id, row.courseId))?.id).toBe(renewals[0].id);
    const learner = await signedIn("giahan@p1.vn");
    const me = await (await learner.get("/me")).text();
    expect(me).toContain("Học lại để gia hạn chứng nhận");
    expect(me).toContain("Hạn hoàn thành");
  });

  it("the command line runs the renewals", () => {
    const out = execFileSync("npx", ["tsx", "scripts/kns.ts", "renewals", "--lead-days", "30"], { env: process.env }).toString();
    expect(out).toMatch(/ghi danh học lại mới: 0\./);
  });
});

describe("bulk download", () => {
  it("zips every certificate in force of a unit and period, with a safe list", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const expected = await db.certificate.count({ where: { status: "valid", orgUnit: { path: { startsWith: world.units.a.path } } } });
    expect(expected).toBeGreaterThanOrEqual(3);
    const res = await hr.get(`/hr/certificates/zip?unit=P1&from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const pdfs = Object.keys(files).filter((n) => n.endsWith(".pdf"));
    expect(pdfs).toHaveLength(expected);
    for (const n of pdfs) expect(strFromU8(files[n].subarray(0, 5))).toBe("%PDF-");
    const list = strFromU8(files["danh-sach.csv"]);
    expect(list.split("\r\n").filter(Boolean)).toHaveLength(expected + 1);
    expect(list).toContain(`"'=HYPERLINK(""http://evil.example"",""Bấm"")`);
    expect(await db.auditEvent.count({ where: { action: "certificate.zip", actorId: world.users.hr.id } })).toBe(1);

    // Mistakes come back to the list with a translated message.
    const missing = await hr.get(`/hr/certificates/zip?unit=&from=${today}&to=${today}`);
    expect(missing.status).toBe(302);
    expect(missing.headers.get("location")).toContain("zipError=unitRequired");
    const elsewhere = await hr.get(`/hr/certificates/zip?unit=P2&from=${from}&to=${to}`);
    expect(elsewhere.headers.get("location")).toContain("zipError=unitNotFound");
    const back = await (await hr.get(elsewhere.headers.get("location")!)).text();
    expect(back).toContain("Không tìm thấy đơn vị có mã này trong phạm vi của bạn.");
  });
});

describe("rate limit", () => {
  it("answers a flood of look-ups from one address with a translated 429", async () => {
    const anonymous = new Client(server.url);
    let last: Response | undefined;
    for (let i = 0; i < 35; i++) last = await anonymous.get(`/verify/${groupCode(newCode())}`);
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await last!.text()).toContain("Bạn đã tra cứu quá nhiều lần");
  });
});
