// Certificates through the real server: issue on completion, PDF, public verification,
// revocation, reissue, scope, expiry, renewals and the ZIP download.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { unzipSync, strFromU8 } from "fflate";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/platform/db.server";
import { syncContent } from "~/content/content-sync.server";
import { createRenewals, issueCertificate, newCode } from "~/certificates/issue.server";
import { statusOf } from "~/certificates/lookup.server";
import { getEnrollment } from "~/learning/enrollments.data.server";
import { groupCode, normalizeCode } from "~/utils/certificates";
import type { Choice } from "~/utils/course";
import { addMonths, formatDate } from "~/utils/vietnam-time";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client, signedInClient } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

const APP_URL = "https://kynangso.laocai.gov.vn";
let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;
const COURSE = "/courses/khoa-thu";
const NAME = "Nguyễn Thị Ánh Tuyết";
const COURSE_TITLE = "Khóa học thử nghiệm";
const POSITION = "Chuyên viên chính";
// Not the default ("Sở Nội vụ"): the server's environment decides what is printed.
const ISSUER = "Ủy ban nhân dân tỉnh Lào Cai";
// The fixture course again, valid forever (validityMonths 0).
const FOREVER = "/courses/khoa-vo-thoi-han";
const FOREVER_TITLE = "Khóa học không thời hạn";
// PDFs and the rendered PNG land where test output is kept (ignored by git).
const OUT = path.resolve("test-results/certificates");

beforeAll(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  world = await twoProvinces();
  // Typed the way a Vietnamese keyboard may send it (decomposed): the certificate keeps NFC.
  await db.user.update({ where: { id: world.users.learner.id }, data: { fullName: NAME.normalize("NFD"), position: POSITION } });
  const { problems } = await syncContent("tests/fixtures/content");
  expect(problems).toEqual([]);
  const extra = fs.mkdtempSync(path.join(os.tmpdir(), "kns-cert-content-"));
  const forever = path.join(extra, "courses", "khoa-vo-thoi-han");
  fs.cpSync("tests/fixtures/content/courses/khoa-thu", forever, { recursive: true });
  const frontmatter = fs.readFileSync(path.join(forever, "course.md"), "utf8");
  fs.writeFileSync(path.join(forever, "course.md"), frontmatter.replace("validityMonths: 12", "validityMonths: 0").replace(`title: "${COURSE_TITLE}"`, `title: "${FOREVER_TITLE}"`));
  expect((await syncContent(extra)).problems).toEqual([]);
  fs.rmSync(extra, { recursive: true, force: true });
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, ISSUING_AUTHORITY: ISSUER, APP_URL });
});
afterAll(async () => server?.stop());

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

async function post(client: Client, p: string, entries: [string, string][]) {
  return fetch(server.url + p, {
    method: "POST",
    body: new URLSearchParams(entries),
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: client.cookieHeader(), Origin: server.url },
    redirect: "manual",
  });
}

/** Enrols, reads both lessons and passes the quiz, all over HTTP as a browser would. */
async function completeCourse(client: Client, userId: number, course = COURSE) {
  expect((await client.post(course, {})).status).toBe(302);
  expect((await client.post(`${course}/bai-mot`, {})).status).toBe(302);
  expect((await client.post(`${course}/bai-hai`, {})).status).toBe(302);
  expect((await client.post(`${course}/quiz`, { intent: "start" })).status).toBe(302);
  const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollment: { userId }, status: "open" } });
  const rows = await db.attemptQuestion.findMany({ where: { attemptId: attempt.id }, include: { question: true } });
  const entries: [string, string][] = [["intent", "submit"], ["attemptId", String(attempt.id)]];
  for (const r of rows) for (const c of JSON.parse(r.question.choices) as Choice[]) if (c.correct) entries.push([`q${r.position}`, c.id]);
  expect((await post(client, `${course}/quiz`, entries)).status).toBe(302);
}

function sessionId(client: Client): string {
  return /__Host-kns_session=([^;]+)/.exec(client.cookieHeader())![1];
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

/** What the QR code on a PDF written by pdfText says, read from the page rendered at 150 dpi. */
function qrContent(name: string): string | null {
  execFileSync("pdftoppm", ["-r", "150", "-png", "-singlefile", path.join(OUT, `${name}.pdf`), path.join(OUT, `${name}-150dpi`)]);
  const png = PNG.sync.read(fs.readFileSync(path.join(OUT, `${name}-150dpi.png`)));
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.width, png.height)?.data ?? null;
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

  it("print dates as dd/mm/yyyy in Vietnamese time, the day turning at 17:00 UTC", () => {
    expect(formatDate(new Date("2026-11-26T16:59:59.999Z"))).toBe("26/11/2026");
    expect(formatDate(new Date("2026-11-26T17:00:00Z"))).toBe("27/11/2026");
    expect(formatDate(new Date("2026-12-31T17:00:00Z"))).toBe("01/01/2027");
    expect(formatDate(new Date("2028-02-28T17:30:00Z"))).toBe("29/02/2028");
    // The same as Intl with the Ho Chi Minh City time zone, every 7 hours over three years.
    const intl = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "Asia/Ho_Chi_Minh" });
    for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2028, 0, 1); t += 7 * 3600_000) {
      expect(formatDate(new Date(t))).toBe(intl.format(new Date(t)));
    }
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
    expect(cert).toMatchObject({ fullName: NAME.normalize("NFC"), position: POSITION, unitName: "Đơn vị P1C1", courseTitle: COURSE_TITLE, issuer: ISSUER, status: "valid" });
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
    const cert = await db.certificate.findUniqueOrThrow({ where: { code } });
    expect(text).toContain(NAME);
    expect(text).toContain(COURSE_TITLE);
    expect(text).toContain(groupCode(code));
    expect(text).toContain("GIẤY CHỨNG NHẬN");
    expect(text).toContain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    expect(text).toContain(`Chức vụ: ${POSITION}`);
    expect(text).toContain("Đơn vị: Đơn vị P1C1");
    expect(text).toContain(`Ngày hoàn thành: ${formatDate(cert.completedAt)}`);
    expect(text).toContain(`Giá trị đến: ${formatDate(cert.expiresAt!)}`);
    expect(formatDate(cert.expiresAt!)).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    // The authority set in the server's environment, in the header (capitals) and under the signature.
    expect(text).toContain(ISSUER.toUpperCase());
    expect(text.split("\n")).toContain(ISSUER);
    expect(text).not.toContain("Sở Nội vụ");
    expect(text).toContain(`${APP_URL}/verify`);
    // The QR code leads to this certificate's own verification page on the public site, nothing else.
    expect(qrContent("certificate")).toBe(`${APP_URL}/verify/${groupCode(code)}`);
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

describe("courses without a validity period", () => {
  it("issue on completion a certificate that never expires, said so on the PDF and on /verify", async () => {
    const user = await createUser("vohan@p1.vn", world.units.a1, [], { fullName: "Đặng Văn Vô Hạn" });
    const learner = await signedIn("vohan@p1.vn");
    await completeCourse(learner, user.id, FOREVER);
    const cert = await db.certificate.findFirstOrThrow({ where: { userId: user.id } });
    expect(cert).toMatchObject({ courseTitle: FOREVER_TITLE, status: "valid", expiresAt: null });
    const text = pdfText(await (await learner.get(`/me/certificates/${groupCode(cert.code)}/pdf`)).arrayBuffer(), "no-expiry");
    expect(text).toContain(FOREVER_TITLE);
    expect(text).toContain("Giá trị đến: Không thời hạn");
    const page = await (await new Client(server.url).get(`/verify/${groupCode(cert.code)}`)).text();
    expect(page).toContain("Giấy chứng nhận hợp lệ");
    expect(page).toMatch(/Giá trị đến<\/dt><dd[^>]*>Không thời hạn<\/dd>/);
    expect(await (await learner.get("/me")).text()).toContain("Không thời hạn");
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
      expect(html).not.toContain(POSITION); // only the minimum is public
      // Plain HTML: no scripts and no hydration data, still under the page's security policy.
      expect(html).not.toContain("<script");
      expect(html).not.toContain("modulepreload");
      expect(res.headers.get("content-security-policy")).toContain("script-src");
    }
    expect(await (await anonymous.get("/verify")).text()).not.toContain("<script");
    // Pages of the app keep theirs.
    expect(await (await anonymous.get("/login")).text()).toMatch(/<script [^>]*type="module"/);
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
  it("reissues with a new code only with a reason and a fresh password; the old code is replaced", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const list = await (await hr.get(`/hr/certificates?q=${encodeURIComponent("Ánh Tuyết")}`)).text();
    expect(list).toContain(groupCode(code));
    expect(await (await hr.get(`/hr/certificates?q=${code.toLowerCase()}`)).text()).toContain(groupCode(code));
    const hrPdf = await hr.get(`/hr/certificates/${groupCode(code)}/pdf`);
    expect(hrPdf.status).toBe(200);
    const here = `/hr/certificates/${groupCode(code)}`;
    const unchanged = async () => {
      expect(await db.certificate.findUniqueOrThrow({ where: { code } })).toMatchObject({ status: "valid", replacedById: null });
      expect(await db.auditEvent.count({ where: { action: "certificate.reissue" } })).toBe(0);
    };

    // A reason is required.
    const noReason = await hr.post(here, { intent: "reissue", reason: "  " });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Vui lòng nhập lý do cấp lại.");
    await unchanged();
    // So is a password typed within the last minutes, as for revoking.
    const stale = await signedIn("nhansu@p1.vn");
    await db.session.update({ where: { id: sessionId(stale) }, data: { createdAt: new Date(Date.now() - 11 * 60_000) } });
    for (const intent of ["reissue", "revoke"]) {
      const refused = await stale.post(here, { intent, reason: "Sửa họ tên" });
      expect(refused.status).toBe(302);
      expect(refused.headers.get("location")).toBe(`/reauth?redirectTo=${encodeURIComponent(here)}`);
    }
    await unchanged();

    // Reissue after a corrected name: the new certificate carries it, the old code is replaced.
    await db.user.update({ where: { id: world.users.learner.id }, data: { fullName: "Nguyễn Thị Ánh Tuyết (sửa)" } });
    const reissued = await hr.post(here, { intent: "reissue", reason: "Sửa họ tên theo hồ sơ" });
    expect(reissued.status).toBe(302);
    const old = await db.certificate.findUniqueOrThrow({ where: { code } });
    expect(old.status).toBe("replaced");
    const fresh = await db.certificate.findUniqueOrThrow({ where: { id: old.replacedById! } });
    expect(fresh.code).not.toBe(code);
    expect(fresh).toMatchObject({ fullName: "Nguyễn Thị Ánh Tuyết (sửa)", enrollmentId: old.enrollmentId, status: "valid" });
    expect(fresh.expiresAt?.getTime()).toBe(old.expiresAt?.getTime());
    expect(reissued.headers.get("location")).toBe(`/hr/certificates/${groupCode(fresh.code)}?done=reissued`);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "certificate.reissue", targetId: String(old.id) } });
    expect(event).toMatchObject({ actorId: world.users.hr.id, orgUnitId: world.units.a1.id });
    expect(event.detail).toContain("Sửa họ tên theo hồ sơ");
    const anonymous = new Client(server.url);
    expect(await (await anonymous.get(`/verify/${groupCode(code)}`)).text()).toContain("Giấy chứng nhận đã được thay thế");
    expect((await hr.post(here, { intent: "reissue", reason: "lần hai" })).status).toBe(409);
    expect(await db.certificate.count({ where: { enrollmentId: old.enrollmentId } })).toBe(2);
  });

  it("revokes only with a reason, and a revoked certificate stays revoked everywhere, even once reissued", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const old = await db.certificate.findUniqueOrThrow({ where: { code } });
    const fresh = await db.certificate.findUniqueOrThrow({ where: { id: old.replacedById! } });
    const here = `/hr/certificates/${groupCode(fresh.code)}`;

    const noReason = await hr.post(here, { intent: "revoke", reason: "   " });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Vui lòng nhập lý do thu hồi.");
    expect((await db.certificate.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe("valid");
    const revoked = await hr.post(here, { intent: "revoke", reason: "Hồ sơ khai sai" });
    expect(revoked.status).toBe(302);
    const after = await db.certificate.findUniqueOrThrow({ where: { id: fresh.id } });
    expect(after).toMatchObject({ status: "revoked", revokedById: world.users.hr.id, revokeReason: "Hồ sơ khai sai" });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "certificate.revoke", targetId: String(fresh.id) } });
    expect(event).toMatchObject({ actorId: world.users.hr.id, orgUnitId: world.units.a1.id });
    expect(event.detail).toContain("Hồ sơ khai sai");
    expect((await hr.post(here, { intent: "revoke", reason: "lần hai" })).status).toBe(409);

    const learner = await signedIn("hocvien@p1.vn");
    const anonymous = new Client(server.url);
    /** Every place that shows the certificate says revoked, with the date where a date is shown. */
    const showsRevoked = async () => {
      const page = await (await anonymous.get(`/verify/${groupCode(fresh.code)}`)).text();
      expect(page).toContain("Giấy chứng nhận đã bị thu hồi");
      expect(page).not.toContain("Giấy chứng nhận đã được thay thế");
      expect(page).toContain("Ngày thu hồi");
      expect(page).toContain(formatDate(after.revokedAt!));
      expect(page).not.toContain("Hồ sơ khai sai"); // the reason stays internal

      const listed = await (await hr.get(`/hr/certificates?q=${fresh.code}`)).text();
      expect(listed).toContain(groupCode(fresh.code));
      expect(listed).toContain("Đã thu hồi");
      expect(listed).not.toContain("Còn hiệu lực");
      expect(listed).not.toContain("Đã thay thế");

      const detail = await (await hr.get(here)).text();
      expect(detail).toContain("Đã thu hồi");
      expect(detail).toContain("Ngày thu hồi");
      expect(detail).toContain("Hồ sơ khai sai");
      expect(detail).not.toContain("Thu hồi giấy chứng nhận"); // no second revocation offered

      const me = await (await learner.get("/me")).text();
      const at = me.indexOf(groupCode(fresh.code));
      expect(me.slice(me.lastIndexOf("<li", at), at)).toContain("Đã thu hồi");

      for (const [who, p] of [[learner, `/me/certificates/${groupCode(fresh.code)}/pdf`], [hr, `${here}/pdf`]] as const) {
        const marked = pdfText(await (await who.get(p)).arrayBuffer(), "revoked");
        expect(marked).toContain("ĐÃ THU HỒI");
        expect(marked).not.toContain("ĐÃ THAY THẾ");
      }
    };
    await showsRevoked();

    // Reissued with a reason: a new valid certificate, and the revoked one keeps its revocation.
    const reissued = await hr.post(here, { intent: "reissue", reason: "Cấp lại sau khi xác minh hồ sơ" });
    expect(reissued.status).toBe(302);
    const kept = await db.certificate.findUniqueOrThrow({ where: { id: fresh.id } });
    expect(kept).toMatchObject({ status: "revoked", revokeReason: "Hồ sơ khai sai", revokedById: world.users.hr.id });
    expect(kept.revokedAt?.getTime()).toBe(after.revokedAt!.getTime());
    const next = await db.certificate.findUniqueOrThrow({ where: { id: kept.replacedById! } });
    expect(next).toMatchObject({ status: "valid", revokedAt: null, enrollmentId: fresh.enrollmentId });
    expect(reissued.headers.get("location")).toBe(`/hr/certificates/${groupCode(next.code)}?done=reissued`);
    const event2 = await db.auditEvent.findFirstOrThrow({ where: { action: "certificate.reissue", targetId: String(fresh.id) } });
    expect(event2).toMatchObject({ actorId: world.users.hr.id });
    expect(event2.detail).toContain("Cấp lại sau khi xác minh hồ sơ");
    await showsRevoked();
    const detail = await (await hr.get(here)).text();
    expect(detail).toContain("Được thay thế bởi");
    expect(detail).toContain(groupCode(next.code));
    expect(detail).not.toContain("Cấp lại với mã mới"); // reissued once is enough
    expect((await hr.post(here, { intent: "reissue", reason: "lần hai" })).status).toBe(409);
    expect(await (await anonymous.get(`/verify/${groupCode(next.code)}`)).text()).toContain("Giấy chứng nhận hợp lệ");
    const me = await (await learner.get("/me")).text();
    expect(me).toContain("Đã thay thế"); // the first code
    expect(me).toContain("Còn hiệu lực"); // the latest
  });
});

describe("names as data", () => {
  it("renders names with markup, quotes and formulas as plain text: PDF, /verify, /me, HR list and detail", async () => {
    const evil = `=HYPERLINK("http://evil.example","Bấm") <script>alert('x')</script> "Lê"`;
    // What React writes for it in a page: the same characters, escaped, never markup.
    const escaped = `=HYPERLINK(&quot;http://evil.example&quot;,&quot;Bấm&quot;) &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &quot;Lê&quot;`;
    const user = await createUser("kytu@p1.vn", world.units.a1, [], { fullName: evil });
    const cert = await certificateFor(user);
    const anonymous = new Client(server.url);
    const hr = await signedIn("nhansu@p1.vn");
    const learner = await signedIn("kytu@p1.vn");
    const pages = {
      verify: await (await anonymous.get(`/verify/${groupCode(cert.code)}`)).text(),
      list: await (await hr.get(`/hr/certificates?q=HYPERLINK`)).text(),
      detail: await (await hr.get(`/hr/certificates/${groupCode(cert.code)}`)).text(),
      me: await (await learner.get("/me")).text(),
    };
    for (const [name, html] of Object.entries(pages)) {
      expect([name, html.includes("<script>alert(")]).toEqual([name, false]);
      expect([name, html.includes(escaped)]).toEqual([name, true]);
    }
    expect(pages.list).toContain(groupCode(cert.code));
    // In the PDF it is text like any other name, every character kept.
    const text = pdfText(await (await learner.get(`/me/certificates/${groupCode(cert.code)}/pdf`)).arrayBuffer(), "hostile-name");
    expect(text.replace(/\s+/g, " ")).toContain(evil);
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

  it("the command line creates renewals, and running it twice creates nothing more", async () => {
    const user = await createUser("giahan-cli@p1.vn", world.units.a1, [], { fullName: "Lý Thị Gia Hạn" });
    await certificateFor(user, addMonths(new Date(Date.now() + 5 * 86_400_000), -12));
    const cli = () => execFileSync("npx", ["tsx", "scripts/kns.ts", "renewals", "--lead-days", "30"], { env: process.env }).toString();
    expect(cli()).toMatch(/ghi danh học lại mới: 1\./);
    expect(cli()).toMatch(/ghi danh học lại mới: 0\./);
    expect(await db.enrollment.count({ where: { userId: user.id, origin: "renewal" } })).toBe(1);
  });
});

describe("bulk download", () => {
  it("zips every certificate of a unit and period, whatever its status, with a safe list", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    // Issued a month ago: outside the period, so not in the ZIP.
    const before = await certificateFor(await createUser("thangtruoc@p1.vn", world.units.a1, [], { fullName: "Võ Văn Tháng Trước" }));
    await db.certificate.update({ where: { id: before.id }, data: { issuedAt: new Date(Date.now() - 30 * 86_400_000) } });
    const inPeriod = await db.certificate.findMany({
      where: { orgUnit: { path: { startsWith: world.units.a.path } }, issuedAt: { gte: new Date(`${from}T00:00:00+07:00`) } },
      select: { code: true, status: true, expiresAt: true, revokedAt: true },
    });
    const states = inPeriod.map((c) => statusOf(c));
    for (const state of ["valid", "expired", "revoked", "replaced"]) expect(states).toContain(state);

    const res = await hr.get(`/hr/certificates/zip?unit=P1&from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const pdfs = Object.keys(files).filter((n) => n.endsWith(".pdf"));
    expect(pdfs).toHaveLength(inPeriod.length);
    for (const n of pdfs) expect(strFromU8(files[n].subarray(0, 5))).toBe("%PDF-");
    expect(pdfs.some((n) => n.includes(groupCode(before.code)))).toBe(false);
    const list = strFromU8(files["danh-sach.csv"]);
    const lines = list.split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(inPeriod.length + 1);
    expect(lines[0]).toContain(`"Trạng thái","Ngày thu hồi"`);
    const label = { valid: "Còn hiệu lực", expired: "Hết hạn", revoked: "Đã thu hồi", replaced: "Đã thay thế" } as const;
    for (const c of inPeriod) {
      const line = lines.find((l) => l.startsWith(`"${groupCode(c.code)}"`))!;
      expect(line).toContain(`"${label[statusOf(c)]}","${c.revokedAt ? formatDate(c.revokedAt) : ""}"`);
    }
    expect(list).not.toContain(groupCode(before.code));
    expect(list).toContain(`"'=HYPERLINK(""http://evil.example"",""Bấm"")`);
    expect(await db.auditEvent.count({ where: { action: "certificate.zip", actorId: world.users.hr.id } })).toBe(1);
    // A period around the old one finds it alone.
    const old = new Date(Date.now() - 30 * 86_400_000 + 7 * 3600_000).toISOString().slice(0, 10);
    const alone = unzipSync(new Uint8Array(await (await hr.get(`/hr/certificates/zip?unit=P1&from=${old}&to=${old}`)).arrayBuffer()));
    expect(Object.keys(alone).filter((n) => n.endsWith(".pdf"))).toEqual([`Vo-Van-Thang-Truoc_${groupCode(before.code)}.pdf`]);

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
