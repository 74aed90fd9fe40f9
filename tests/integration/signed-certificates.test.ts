// Certificate PDFs signed with the deployment's key (PAdES, ETSI.CAdES.detached), checked with
// poppler's pdfsig: valid and unmodified as downloaded, alone or in a ZIP; invalid after one
// changed byte; unsigned, and said so, without a key; and a key that cannot be opened stops the
// server from starting.
import { execFile, execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoSigningIdentity } from "~/certificates/pdf-signing.server";
import { issueCertificate } from "~/certificates/issue.server";
import { syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { groupCode } from "~/utils/certificates";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { pdfsig } from "../support/pdfsig";
import { freePort, startServer, type RunningServer } from "../support/server";

const run = promisify(execFile);
const OUT = path.resolve("tests/.tmp", `signed-${crypto.randomBytes(4).toString("hex")}`);
const KEY = path.join(OUT, "ky-so.p12");
const PASSPHRASE = "mat-khau-chung-thu-2026";
let signed: RunningServer;
let unsigned: RunningServer;
let code: string;

async function signedIn(server: RunningServer, email: string) {
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return client;
}

function save(name: string, bytes: ArrayBuffer | Uint8Array): string {
  const file = path.join(OUT, name);
  fs.writeFileSync(file, bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  return file;
}

beforeAll(async () => {
  fs.mkdirSync(OUT, { recursive: true });
  createDemoSigningIdentity(KEY, PASSPHRASE, "Sở Nội vụ tỉnh Thử nghiệm");
  const world = await twoProvinces();
  await syncContent("tests/fixtures/content");
  const course = await db.course.findUniqueOrThrow({ where: { slug: "khoa-thu" } });
  const e = await db.enrollment.create({ data: { userId: world.users.learner.id, courseId: course.id, completedAt: new Date() } });
  code = (await issueCertificate(e.id, { userId: null })).code;
  const other = await createUser("hocvien2@p1.vn", world.units.a1, [], { fullName: "Đặng Thị Lụa" });
  const e2 = await db.enrollment.create({ data: { userId: other.id, courseId: course.id, completedAt: new Date() } });
  await issueCertificate(e2.id, { userId: null });
  [signed, unsigned] = await Promise.all([
    startServer({ DATABASE_URL: process.env.DATABASE_URL!, SIGNING_P12_FILE: KEY, SIGNING_P12_PASSPHRASE: PASSPHRASE }),
    startServer({ DATABASE_URL: process.env.DATABASE_URL! }),
  ]);
});
afterAll(async () => {
  await Promise.all([signed?.stop(), unsigned?.stop()]);
  fs.rmSync(OUT, { recursive: true, force: true });
});

describe("a signed certificate PDF", () => {
  it("is valid and unmodified for pdfsig, names the issuer's key, and still reads as text", async () => {
    const learner = await signedIn(signed, "hocvien@p1.vn");
    const res = await learner.get(`/me/certificates/${groupCode(code)}/pdf`);
    expect(res.status).toBe(200);
    const file = save("giay-chung-nhan.pdf", await res.arrayBuffer());
    const { signatures } = await pdfsig(file);
    expect(signatures).toHaveLength(1);
    const [s] = signatures;
    expect([s.valid, s.unmodified, s.subFilter]).toEqual([true, true, "ETSI.CAdES.detached"]);
    expect(s.signerName).toBe("Kỹ Năng Số - chứng thư số DEMO, không có giá trị pháp lý");
    expect(s.signingTime).toMatch(/\d{4} \d{2}:\d{2}:\d{2}$/);
    const text = execFileSync("pdftotext", ["-raw", file, "-"]).toString("utf8").normalize("NFC");
    expect(text).toContain("GIẤY CHỨNG NHẬN");
    expect(text).toContain(groupCode(code));
  });

  it("is reported invalid once any byte changes", async () => {
    const learner = await signedIn(signed, "hocvien@p1.vn");
    const bytes = Buffer.from(await (await learner.get(`/me/certificates/${groupCode(code)}/pdf`)).arrayBuffer());
    // A byte of the page content, well before the signature's /Contents.
    const at = Math.floor(bytes.indexOf("/Contents <") / 3);
    bytes[at] = bytes[at] === 0x41 ? 0x42 : 0x41;
    const { signatures } = await pdfsig(save("da-sua.pdf", bytes));
    expect(signatures.map((s) => [s.valid, s.unmodified])).toEqual([[false, false]]);
    // Bytes added after signing: the signature holds, but it no longer covers the whole file.
    const original = Buffer.from(await (await learner.get(`/me/certificates/${groupCode(code)}/pdf`)).arrayBuffer());
    const appended = await pdfsig(save("noi-them.pdf", Buffer.concat([original, Buffer.from("\n% thêm sau khi ký\n")])));
    expect(appended.signatures.map((s) => [s.valid, s.unmodified])).toEqual([[true, false]]);
  });

  it("is signed in HR's ZIP of a unit's certificates too, and the verification page says so", async () => {
    const hr = await signedIn(signed, "nhansu@p1.vn");
    const day = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    const zip = unzipSync(new Uint8Array(await (await hr.get(`/hr/certificates/zip?unit=P1&from=${day}&to=${day}`)).arrayBuffer()));
    const pdfs = Object.entries(zip).filter(([name]) => name.endsWith(".pdf"));
    expect(pdfs.length).toBe(2);
    for (const [name, bytes] of pdfs) {
      const { signatures } = await pdfsig(save(name.replace(/[^\w.-]/g, "_"), bytes));
      expect([name, signatures.map((s) => s.unmodified)]).toEqual([name, [true]]);
    }
    const page = await (await new Client(signed.url).get(`/verify/${groupCode(code)}`)).text();
    expect(page).toContain("có chữ ký số bằng chứng thư DEMO");
  });
});

describe("transcripts", () => {
  it("give the learner every course with dates, hours, score and certificate, signed like certificates", async () => {
    const learner = await signedIn(signed, "hocvien@p1.vn");
    const res = await learner.get("/me/transcript");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain("ket-qua-boi-duong_");
    const file = save("ket-qua.pdf", await res.arrayBuffer());
    expect((await pdfsig(file)).signatures.map((s) => [s.valid, s.unmodified])).toEqual([[true, true]]);
    const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString("utf8").normalize("NFC");
    expect(text).toContain("KẾT QUẢ BỒI DƯỠNG KỸ NĂNG SỐ");
    expect(text).toContain("Khóa học thử nghiệm");
    expect(text).toContain(groupCode(code));
    expect(text).toContain("còn hiệu lực");
    // The fixture course declares 20 minutes: 0,3 hours, completed this year.
    expect(text).toMatch(/Tổng số giờ bồi dưỡng đã hoàn thành: 0,3 giờ; trong năm \d{4}: 0,3 giờ\./);
  });

  it("are HR's for people of their subtree, one by one or a unit's as a ZIP; nobody else's", async () => {
    const hr = await signedIn(signed, "nhansu@p1.vn");
    const learner = await db.user.findUniqueOrThrow({ where: { email: "hocvien@p1.vn" } });
    const one = await hr.get(`/hr/staff/${learner.id}/transcript`);
    expect(one.status).toBe(200);
    expect(await db.auditEvent.count({ where: { action: "transcript.download", targetId: String(learner.id) } })).toBe(1);
    const zip = unzipSync(new Uint8Array(await (await hr.get("/hr/transcripts/zip?unit=P1C1")).arrayBuffer()));
    const names = Object.keys(zip).sort();
    expect(names).toHaveLength(2);
    for (const name of names) expect((await pdfsig(save(name, zip[name]))).signatures.map((s) => s.unmodified)).toEqual([true]);
    expect((await hr.get("/hr/transcripts/zip?unit=P2")).status).toBe(404);
    const other = await db.user.findUniqueOrThrow({ where: { email: "hocvien@p2.vn" } });
    expect((await hr.get(`/hr/staff/${other.id}/transcript`)).status).toBe(404);
    const plain = await signedIn(signed, "hocvien2@p1.vn");
    expect((await plain.get(`/hr/staff/${learner.id}/transcript`)).status).toBe(403);
    expect((await plain.get("/hr/transcripts/zip?unit=P1")).status).toBe(403);
  });
});

describe("without a signing key", () => {
  it("serves unsigned PDFs and the verification page says only it confirms the certificate", async () => {
    const learner = await signedIn(unsigned, "hocvien@p1.vn");
    const file = save("chua-ky.pdf", await (await learner.get(`/me/certificates/${groupCode(code)}/pdf`)).arrayBuffer());
    expect((await pdfsig(file)).signatures).toEqual([]);
    const page = await (await new Client(unsigned.url).get(`/verify/${groupCode(code)}`)).text();
    expect(page).toContain("không có chữ ký số: chỉ trang tra cứu này xác nhận giấy chứng nhận");
  });

  it("refuses to start with a key it cannot open, naming the setting but never the passphrase", async () => {
    const port = String(await freePort());
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: port, APP_URL: `http://127.0.0.1:${port}`, SIGNING_P12_FILE: KEY, SIGNING_P12_PASSPHRASE: "sai-mat-khau-bi-mat" };
    const failed = await run(process.execPath, ["build/server.js"], { env, timeout: 30_000 }).catch((e: { code: number; stderr: string; stdout: string }) => e);
    expect("code" in failed && failed.code).not.toBe(0);
    const output = `${(failed as { stderr: string }).stderr}${(failed as { stdout: string }).stdout}`;
    expect(output).toContain("SIGNING_P12_PASSPHRASE does not open the PKCS#12 file");
    expect(output).not.toContain("sai-mat-khau-bi-mat");
  });
});
