// What an attacker sends, against the real server: forged and replayed forms, cross-origin
// posts, other people's ids, answer-key probing, hostile MDX and spreadsheets, open redirects,
// markup and formulas in names, and bodies the app must not read. Every case expects a specific
// 4xx (or a harmless answer), a clear message, and no change to the data; never a 500.
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { issueCertificate } from "~/certificates/issue.server";
import { groupCode } from "~/utils/certificates";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client, signedInClient } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;
let p2: { hr: { id: number }; trainer: { id: number } };
let certs: { mine: string; p2: string };
const COURSE = "khoa-thu";
const PRIVATE = "khoa-rieng-p2";
const EVIL = "https://evil.example";

beforeAll(async () => {
  world = await twoProvinces();
  const { problems } = await syncContent("tests/fixtures/content");
  expect(problems).toEqual([]);
  p2 = {
    hr: await createUser("nhansu@p2.vn", world.units.b, [{ role: "hr", unit: world.units.b }]),
    trainer: await createUser("giangvien@p2.vn", world.units.b, [{ role: "trainer", unit: world.units.b }]),
  };
  // A web course of the other province: only its own trainers and administrators may edit it.
  await db.course.create({ data: { slug: PRIVATE, title: "Khóa riêng", category: "other", origin: "web", ownerId: p2.trainer.id, unitId: world.units.b.id } });
  const course = await db.course.findUniqueOrThrow({ where: { slug: COURSE } });
  const certificate = async (userId: number) => {
    const e = await db.enrollment.create({ data: { userId, courseId: course.id, completedAt: new Date(), cycle: 9 } });
    return groupCode((await issueCertificate(e.id, { userId: null })).code);
  };
  certs = { mine: await certificate(world.users.learner.id), p2: await certificate(world.users.otherLearner.id) };
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
}, 120_000);
afterAll(async () => server?.stop());

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

/**
 * Everything an attack could change, in one comparable string. The audit log is part of it,
 * except the refusals (outcome "denied") an attack is expected to add: tests check those.
 */
async function fingerprint(): Promise<string> {
  const rows = await Promise.all([
    db.user.findMany({ orderBy: { id: "asc" }, select: { id: true, email: true, fullName: true, active: true, orgUnitId: true, position: true, passwordHash: true } }),
    db.roleAssignment.findMany({ orderBy: { id: "asc" }, select: { userId: true, role: true, orgUnitId: true } }),
    db.orgUnit.findMany({ orderBy: { id: "asc" }, select: { code: true, nameVi: true, nameEn: true, approvedHeadcount: true, path: true, parentId: true } }),
    db.course.findMany({ orderBy: { id: "asc" }, select: { slug: true, title: true, ownerId: true, publishedVersionId: true, passingScore: true } }),
    db.lesson.findMany({ orderBy: { id: "asc" }, select: { id: true, slug: true, position: true, title: true, source: true } }),
    db.quizQuestion.findMany({ orderBy: { id: "asc" }, select: { key: true, prompt: true, choices: true } }),
    db.enrollment.findMany({ orderBy: { id: "asc" }, select: { id: true, userId: true, completedAt: true } }),
    db.lessonCompletion.findMany({ orderBy: { id: "asc" }, select: { enrollmentId: true, lessonId: true } }),
    db.quizAttempt.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, score: true } }),
    db.attemptQuestion.findMany({ orderBy: { id: "asc" }, select: { id: true, answer: true } }),
    db.certificate.findMany({ orderBy: { id: "asc" }, select: { code: true, status: true, revokeReason: true } }),
    db.trainingAssignment.count(),
    db.media.count(),
    db.auditEvent.findMany({ where: { outcome: { not: "denied" } }, orderBy: { id: "asc" }, select: { id: true, action: true, outcome: true, actorId: true, targetId: true, detail: true } }),
  ]);
  return JSON.stringify(rows);
}

/** Runs `attack` and checks that the data is exactly as before. */
async function unchanged<T>(attack: () => Promise<T>): Promise<T> {
  const before = await fingerprint();
  const result = await attack();
  expect(await fingerprint()).toBe(before);
  return result;
}

function postRaw(client: Client | null, path: string, body: BodyInit | null, headers: Record<string, string>) {
  return fetch(server.url + path, {
    method: "POST",
    body,
    headers: { ...(client ? { Cookie: client.cookieHeader() } : {}), Origin: server.url, ...headers },
    redirect: "manual",
  });
}

function upload(client: Client, name: string, bytes: Uint8Array | string, fields: Record<string, string> = { intent: "check" }) {
  const form = new FormData();
  form.set("file", new File([typeof bytes === "string" ? bytes : Buffer.from(bytes)], name));
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return postRaw(client, "/hr/staff", form, {});
}

describe("cross-site requests", () => {
  it("refuses a POST from another origin (or none) on every mutating route, before anything runs", async () => {
    const admin = await signedIn("quantri@p1.vn");
    const cert = certs.mine;
    const routes: [string, Record<string, string>][] = [
      ["/login", { email: "quantri@p1.vn", password: PASSWORD }],
      ["/logout", {}],
      ["/language", { lang: "en", redirectTo: "/" }],
      ["/me/password", { current: PASSWORD, next: "MatKhauMoi-2027", confirm: "MatKhauMoi-2027" }],
      ["/reauth", { password: PASSWORD }],
      ["/admin/users", { fullName: "Kẻ Lạ", email: "la@p1.vn", unitCode: "P1C1", password: "MatKhau-2026-x" }],
      [`/admin/users/${world.users.learner.id}`, { intent: "grant", role: "admin", unitCode: "P1" }],
      [`/admin/users/${world.users.learner.id}`, { intent: "save", fullName: "Đổi", email: "doi@p1.vn", unitCode: "P1C1" }],
      ["/admin/units/P1", { intent: "create", code: "P1.X", nameVi: "X", nameEn: "X", kind: "agency", approvedHeadcount: "1" }],
      ["/admin/units/P1C1", { intent: "save", nameVi: "Đổi tên", nameEn: "Renamed", approvedHeadcount: "1" }],
      ["/author", { intent: "create", slug: "khoa-la", title: "Lạ", category: "other" }],
      [`/author/${COURSE}`, { intent: "publish" }],
      [`/author/${COURSE}/lessons/bai-mot`, { intent: "save", title: "Đổi", source: "# Đổi" }],
      [`/author/${COURSE}/quiz`, { intent: "delete", questionId: "1" }],
      [`/courses/${COURSE}`, {}],
      [`/courses/${COURSE}/bai-mot`, {}],
      [`/courses/${COURSE}/quiz`, { intent: "start" }],
      ["/hr/assignments", { courseId: "1", unitCode: "P1", dueAt: "2030-01-01", reminderDays: "7" }],
      ["/hr/staff", { intent: "apply", content: "", fileName: "x.csv" }],
      [`/hr/certificates/${cert}`, { intent: "revoke", reason: "Giả mạo" }],
      [`/hr/certificates/${cert}`, { intent: "reissue" }],
      [`/admin/users/${world.users.learner.id}.data`, { intent: "grant", role: "admin", unitCode: "P1" }],
    ];
    await unchanged(async () => {
      for (const [path, fields] of routes) {
        for (const headers of [{ Origin: EVIL }, { Origin: "null", Referer: `${EVIL}/trang` }, {}] as Record<string, string>[]) {
          const res = await fetch(server.url + path, {
            method: "POST",
            body: new URLSearchParams(fields),
            headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: admin.cookieHeader(), ...headers },
            redirect: "manual",
          });
          expect([path, res.status]).toEqual([path, 403]);
          expect(await res.text()).toContain("không xuất phát từ trang của hệ thống");
        }
      }
      // The same refusal for other methods and for a look-alike origin.
      for (const method of ["PUT", "DELETE", "PATCH"]) {
        expect((await fetch(`${server.url}/admin/users`, { method, headers: { Origin: EVIL, Cookie: admin.cookieHeader() } })).status).toBe(403);
      }
      expect((await postRaw(admin, "/logout", null, { Origin: `${server.url}.evil.example` })).status).toBe(403);
    });
    expect((await admin.get("/me")).status).toBe(200);
  });
});

describe("forged and replayed forms", () => {
  it("answers unknown intents and impossible values with 400 and a message, changing nothing", async () => {
    const admin = await signedIn("quantri@p1.vn");
    const trainer = await signedIn("giangvien@p1.vn");
    const hr = await signedIn("nhansu@p1.vn");
    await unchanged(async () => {
      for (const [client, path] of [
        [admin, `/admin/users/${world.users.learner.id}`],
        [admin, "/admin/units/P1C1"],
        [trainer, `/author/${COURSE}`],
        [trainer, `/author/${COURSE}/quiz`],
        [trainer, `/author/${COURSE}/lessons/bai-mot`],
        [trainer, "/author"],
      ] as const) {
        const res = await client.post(path, { intent: "xoa-het" });
        expect([path, res.status]).toEqual([path, 400]);
        expect(await res.text()).toMatch(/không hợp lệ/);
      }
      const grant = await admin.post(`/admin/users/${world.users.learner.id}`, { intent: "grant", role: "superadmin", unitCode: "P1" });
      expect(grant.status).toBe(400);
      const assign = await hr.post("/hr/assignments", { courseId: "abc", unitCode: "P1", dueAt: "31/12/2030", reminderDays: "-1" });
      expect(assign.status).toBe(400);
      expect(await assign.text()).toContain("phải là số nguyên không âm");
      expect((await admin.post("/language", { lang: "fr" })).status).toBe(400);
      const unit = await admin.post("/admin/units/P1C1", { intent: "save", nameVi: "x".repeat(5000), nameEn: "X", approvedHeadcount: "1e309" });
      expect(unit.status).toBe(400);
    });
  });

  it("treats ids beyond any row (and beyond 32 bits) as missing, not as errors", async () => {
    const admin = await signedIn("quantri@p1.vn");
    const hr = await signedIn("nhansu@p1.vn");
    const trainer = await signedIn("giangvien@p1.vn");
    const learner = await signedIn("hocvien@p1.vn");
    const huge = "99999999999";
    await unchanged(async () => {
      expect((await admin.get(`/admin/users/${huge}`)).status).toBe(404);
      expect((await admin.get("/admin/users/2147483648")).status).toBe(404);
      expect((await admin.post(`/admin/users/${world.users.learner.id}`, { intent: "revoke", assignmentId: huge })).status).toBe(404);
      expect((await hr.post("/hr/assignments", { courseId: huge, unitCode: "P1", dueAt: "2030-01-01", reminderDays: "7" })).status).toBe(400);
      expect((await trainer.post(`/author/${COURSE}`, { intent: "deleteLesson", lessonId: huge })).status).toBe(404);
      expect((await trainer.post(`/author/${COURSE}/quiz`, { intent: "delete", questionId: huge })).status).toBe(404);
      const save = await learner.post(`/courses/${COURSE}/quiz`, { intent: "save", attemptId: huge, q1: "a" });
      expect(save.status).toBe(404);
      expect(await save.text()).toContain("Không tìm thấy lần làm bài này trong tài khoản của bạn.");
      expect((await trainer.post(`/author/${COURSE}`, { intent: "moveUp", lessonId: "2147483648", from: "1" })).status).toBe(404);
      expect((await learner.get(`/courses/${COURSE}/quiz?attempt=${huge}`)).status).toBe(200);
      expect((await trainer.post(`/author/${COURSE}/quiz`, { intent: "save", questionId: huge, key: "q9", type: "single", prompt: "?" })).status).toBe(404);
      expect((await hr.get(`/hr/coverage?course=${huge}`)).status).toBe(200);
      expect((await hr.get(`/hr/coverage?format=csv&course=${huge}`)).status).toBe(200);
    });
  });

  it("grades a replayed submit once, refuses a replayed revocation, and ignores a replayed grant", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    const other = await createUser("hocvien3@p1.vn", world.units.a1);
    const replayer = await signedIn("hocvien3@p1.vn");
    expect((await replayer.post(`/courses/${COURSE}`, {})).status).toBe(302);
    expect((await replayer.post(`/courses/${COURSE}/quiz`, { intent: "start" })).status).toBe(302);
    const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollment: { userId: other.id }, status: "open" } });
    const submit = { intent: "submit", attemptId: String(attempt.id), confirmBlank: "1" };
    const first = await replayer.post(`/courses/${COURSE}/quiz`, submit);
    expect(first.status).toBe(302);
    const graded = await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } });
    const second = await unchanged(() => replayer.post(`/courses/${COURSE}/quiz`, { ...submit, q1: "a", q2: "a", q3: "a" }));
    expect(second.status).toBe(302);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect(await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toEqual(graded);
    expect(await db.auditEvent.count({ where: { action: "quiz.submit", targetId: String(attempt.id) } })).toBe(1);
    // Answers to a closed attempt are refused.
    const late = await unchanged(() => replayer.post(`/courses/${COURSE}/quiz`, { intent: "save", attemptId: String(attempt.id), q1: "a" }));
    expect(late.status).toBe(409);
    expect(await late.text()).toContain("Lần làm bài này đã đóng");
    const closedRefusal = await db.auditEvent.findFirstOrThrow({ where: { action: "quiz.refused", actorId: other.id }, orderBy: { id: "desc" } });
    expect(JSON.parse(closedRefusal.detail)).toEqual({ code: "attemptClosed", attemptId: attempt.id });
    void learner;

    const hr = await signedIn("nhansu@p1.vn");
    const path = `/hr/certificates/${certs.mine}`;
    expect((await hr.post(path, { intent: "revoke", reason: "Sai thông tin" })).status).toBe(302);
    const again = await unchanged(() => hr.post(path, { intent: "revoke", reason: "Lần hai" }));
    expect(again.status).toBe(409);
    expect(await db.auditEvent.count({ where: { action: "certificate.revoke" } })).toBe(1);

    const admin = await signedIn("quantri@p1.vn");
    const grant = { intent: "grant", role: "trainer", unitCode: "P1C1" };
    expect((await admin.post(`/admin/users/${world.users.learner.id}`, grant)).status).toBe(200);
    const twice = await unchanged(() => admin.post(`/admin/users/${world.users.learner.id}`, grant));
    expect(twice.status).toBe(400);
    expect(await twice.text()).toContain("đã có vai trò này");
    await db.roleAssignment.deleteMany({ where: { userId: world.users.learner.id } });
  });

  it("refuses a session cookie replayed after sign-out or after its rotation", async () => {
    const admin = await signedIn("quantri@p1.vn");
    const stolen = admin.cookieHeader();
    expect((await admin.post("/logout", {})).status).toBe(302);
    await unchanged(async () => {
      const res = await fetch(`${server.url}/admin/users/${world.users.learner.id}`, {
        method: "POST",
        body: new URLSearchParams({ intent: "grant", role: "admin", unitCode: "P1" }),
        headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: stolen, Origin: server.url },
        redirect: "manual",
      });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    });
    const hr = await signedIn("nhansu@p1.vn");
    const before = hr.cookieHeader();
    expect((await hr.post("/reauth", { password: PASSWORD })).status).toBe(302);
    expect((await fetch(`${server.url}/hr/staff`, { headers: { Cookie: before }, redirect: "manual" })).status).toBe(302);
  });
});

describe("other people's ids", () => {
  it("answers 404 for users, units, courses, certificates and staff outside the caller's scope", async () => {
    const admin = await signedIn("quantri@p1.vn");
    const hr = await signedIn("nhansu@p1.vn");
    const trainer = await signedIn("giangvien@p1.vn");
    const learner = await signedIn("hocvien@p1.vn");
    await unchanged(async () => {
      const cases: [Client, "get" | "post", string, Record<string, string>, number][] = [
        [admin, "get", `/admin/users/${world.users.otherLearner.id}`, {}, 404],
        [admin, "post", `/admin/users/${world.users.otherLearner.id}`, { intent: "endSessions" }, 404],
        [admin, "get", "/admin/units/P2", {}, 404],
        [admin, "post", "/admin/units/P2C1", { intent: "save", nameVi: "Chiếm", nameEn: "Taken", approvedHeadcount: "1" }, 404],
        [admin, "post", "/admin/units/P2", { intent: "create", code: "P2.X", nameVi: "X", nameEn: "X", kind: "agency", approvedHeadcount: "1" }, 404],
        [admin, "post", `/admin/users/${world.users.learner.id}`, { intent: "save", fullName: "Chuyển", email: "hocvien@p1.vn", unitCode: "P2C1" }, 400],
        [hr, "get", `/admin/users/${world.users.learner.id}`, {}, 403],
        [trainer, "get", `/author/${PRIVATE}`, {}, 404],
        [trainer, "post", `/author/${PRIVATE}`, { intent: "addLesson", title: "Chen", slug: "chen" }, 404],
        [trainer, "get", `/author/${PRIVATE}/quiz`, {}, 404],
        [learner, "get", `/author/${COURSE}`, {}, 403],
        [hr, "get", `/hr/certificates/${certs.p2}`, {}, 404],
        [hr, "post", `/hr/certificates/${certs.p2}`, { intent: "revoke", reason: "Không phải của tôi" }, 404],
        [hr, "get", `/hr/certificates/${certs.p2}/pdf`, {}, 404],
        [learner, "get", `/me/certificates/${certs.p2}/pdf`, {}, 404],
        [learner, "get", `/hr/certificates/${certs.mine}`, {}, 403],
        [hr, "get", "/hr/staff?unit=P2", {}, 404],
        [hr, "get", "/hr/coverage?unit=P2", {}, 404],
        [hr, "post", "/hr/assignments", { courseId: "1", unitCode: "P2", dueAt: "2030-01-01", reminderDays: "7" }, 400],
      ];
      for (const [client, method, path, fields, status] of cases) {
        const res = method === "get" ? await client.get(path) : await client.post(path, fields);
        expect([method, path, res.status]).toEqual([method, path, status]);
      }
      const roster = await upload(hr, "p2.csv", "Mã cán bộ,Họ và tên,Email,Mã đơn vị,Chức vụ\nX1,Người P2,x1@p2.vn,P2C1,Chuyên viên", { intent: "apply" });
      expect(roster.status).toBe(400);
      expect(await roster.text()).toContain("ngoài phạm vi quản lý của bạn");
    });
  });

  it("keeps learners out of each other's attempts", async () => {
    const victim = await signedIn("hocvien@p2.vn");
    expect((await victim.post(`/courses/${COURSE}`, {})).status).toBe(302);
    expect((await victim.post(`/courses/${COURSE}/quiz`, { intent: "start" })).status).toBe(302);
    const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollment: { userId: world.users.otherLearner.id }, status: "open" } });
    const attacker = await signedIn("hocvien@p1.vn");
    expect((await attacker.post(`/courses/${COURSE}`, {})).status).toBe(302);
    const refusalsBefore = await db.auditEvent.count({ where: { action: "quiz.refused", actorId: world.users.learner.id } });
    await unchanged(async () => {
      for (const intent of ["save", "submit"]) {
        const res = await attacker.post(`/courses/${COURSE}/quiz`, { intent, attemptId: String(attempt.id), q1: "a" });
        expect([intent, res.status]).toEqual([intent, 404]);
        expect(await res.text()).toContain("Không tìm thấy lần làm bài này trong tài khoản của bạn.");
      }
      const peek = await (await attacker.get(`/courses/${COURSE}/quiz?attempt=${attempt.id}`)).text();
      expect(peek).not.toContain("Câu hỏi một?");
    });
    const refused = await db.auditEvent.findMany({ where: { action: "quiz.refused", actorId: world.users.learner.id }, orderBy: { id: "asc" }, skip: refusalsBefore });
    expect(refused.map((e) => [e.outcome, JSON.parse(e.detail)])).toEqual([
      ["denied", { code: "notYourAttempt", attemptId: attempt.id }],
      ["denied", { code: "notYourAttempt", attemptId: attempt.id }],
    ]);
  });
});

describe("answer keys", () => {
  it("never leave the server while an attempt is open: pages, single-fetch data and action replies", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    await learner.post(`/courses/${COURSE}`, {});
    expect((await learner.post(`/courses/${COURSE}/quiz`, { intent: "start" })).status).toBe(302);
    const attempt = await db.quizAttempt.findFirstOrThrow({ where: { enrollment: { userId: world.users.learner.id }, status: "open" } });
    const first = await db.attemptQuestion.findFirstOrThrow({ where: { attemptId: attempt.id, position: 1 } });
    const save = { intent: "save", attemptId: String(attempt.id), q1: (JSON.parse(first.choiceOrder) as string[])[0] };
    const responses = [
      await learner.get(`/courses/${COURSE}/quiz`),
      await learner.get(`/courses/${COURSE}/quiz.data`),
      await learner.get(`/courses/${COURSE}/quiz.data?_routes=routes%2Fcourses.%24course.quiz`),
      await learner.get(`/courses/${COURSE}/quiz?attempt=${attempt.id}`),
      await learner.get(`/courses/${COURSE}/quiz.data?attempt=${attempt.id}`),
      await learner.post(`/courses/${COURSE}/quiz`, save),
      await learner.post(`/courses/${COURSE}/quiz.data`, save),
      await learner.get(`/courses/${COURSE}`),
      await learner.get(`/courses/${COURSE}.data`),
      await learner.get(`/courses/${COURSE}/bai-mot.data`),
      await learner.get("/me.data"),
    ];
    const prompts = (await db.versionQuestion.findMany({ select: { prompt: true } })).map((q) => q.prompt);
    let shown = 0;
    for (const res of responses) {
      expect(res.status, res.url).toBeLessThan(400);
      const body = await res.text();
      shown += prompts.filter((p) => body.includes(p)).length;
      expect(body).not.toMatch(/"correct"|correct:|isAnswer|GIAITHICH/);
    }
    // The questions themselves were there to be probed.
    expect(shown).toBeGreaterThanOrEqual(3);
    // Starting again while the attempt is open is refused, and the refusal carries no key either.
    const again = await learner.post(`/courses/${COURSE}/quiz.data`, { intent: "start" });
    expect(again.status).toBe(409);
    const againBody = await again.text();
    expect(againBody).toContain("attemptOpen");
    expect(againBody).not.toMatch(/"correct"|correct:|isAnswer|GIAITHICH/);
    // Trainers' pages hold the keys: learners may not open them.
    expect((await learner.get(`/author/${COURSE}/quiz`)).status).toBe(403);
    expect((await learner.get(`/author/${COURSE}/quiz.data`)).status).toBe(403);
  });
});

describe("hostile input", () => {
  it("refuses hostile lesson MDX from the authoring page with 400 and a reason, saving nothing", async () => {
    const trainer = await signedIn("giangvien@p1.vn");
    const path = `/author/${COURSE}/lessons/bai-mot`;
    const hostile = [
      "<script>alert(1)</script>",
      "Xin chào {alert(document.cookie)}",
      'import fs from "node:fs"\n\n# Bài',
      "export const x = globalThis.process.exit(1)\n\n# Bài",
      '---js\nmodule.exports = { title: require("child_process").execSync("id").toString() }\n---\n# Bài',
      '<img src="x" onerror="alert(1)" />',
      '<Callout onClick="alert(1)">x</Callout>',
      "[bấm vào đây](javascript:alert(1))",
      "![ảnh](http://evil.example/theo-doi.png)",
      "<!-- <script>alert(1)</script> -->",
      "<Khong />",
      "<Callout {...props}>x</Callout>",
      "a".repeat(210 * 1024),
    ];
    await unchanged(async () => {
      for (const source of hostile) {
        for (const intent of ["save", "preview"]) {
          const res = await trainer.post(path, { intent, title: "Bài một", titleEn: "Lesson one", minutes: "5", source });
          expect([source.slice(0, 40), intent, res.status]).toEqual([source.slice(0, 40), intent, 400]);
          expect(await res.text()).toMatch(/Không được|không được phép|Không có thành phần|quá dài|Không dùng|Phần thông tin đầu bài/);
        }
      }
    });
  });

  it("refuses hostile CSV and XLSX with 400 and a reason, quickly and without importing", async () => {
    const hr = await signedIn("nhansu@p1.vn");
    const header = "Mã cán bộ,Họ và tên,Email,Mã đơn vị,Chức vụ";
    // A workbook complete enough for a spreadsheet library to open, around a hostile sheet.
    const part = (xml: string) => strToU8(`<?xml version="1.0" encoding="UTF-8"?>${xml}`);
    const rels = "http://schemas.openxmlformats.org/package/2006/relationships";
    const sheet = (xml: string) =>
      zipSync(
        {
          "[Content_Types].xml": part(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`),
          "_rels/.rels": part(`<Relationships xmlns="${rels}"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`),
          "xl/workbook.xml": part(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets></workbook>`),
          "xl/_rels/workbook.xml.rels": part(`<Relationships xmlns="${rels}"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`),
          "xl/worksheets/sheet1.xml": part(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${xml}</sheetData></worksheet>`),
        },
        { level: 9 },
      );
    const cases: [string, Uint8Array | string, RegExp][] = [
      ["quote.csv", `${header}\n"CB1,Tên,a@p1.vn,P1C1,CV`, /Không đọc được tệp CSV/],
      ["nul.csv", "\u0000\u0000\u0000\n\u0000", /thiếu cột|Thiếu cột/i],
      ["binary.csv", Uint8Array.from([0xff, 0xfe, 0x00, 0x41, 0x80, 0x81]), /không phải mã UTF-8/],
      ["fake.xlsx", "đây không phải tệp xlsx", /Không đọc được tệp bảng tính/],
      ["fake.xls", "đây cũng không phải", /Không đọc được tệp bảng tính/],
      ["part.xlsx", zipSync({ "xl/worksheets/sheet1.xml": strToU8("<worksheet/>") }), /Không đọc được tệp bảng tính/],
      ["empty.csv", "", /Tệp trống|Chưa chọn tệp|chọn tệp/],
      // Thousands of unclosed cells once took minutes of CPU to scan; a far column, gigabytes.
      ["slow.xlsx", sheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>Mã cán bộ</t></is></c></row><row r="2">${"<c>".repeat(300_000)}</row>`), /thiếu cột|Thiếu cột/i],
      ["far.xlsx", sheet('<row r="1"><c r="ZZZZZZZZ1"><v>1</v></c></row>'), /Tệp trống hoặc thiếu dòng tiêu đề/],
      ["last-row.xlsx", sheet('<row r="1048576"><c r="A1048576"><v>1</v></c></row>'), /Tệp trống hoặc thiếu dòng tiêu đề/],
      ["sparse.xlsx", sheet(Array.from({ length: 400 }, (_, i) => `<row r="${i + 1}"><c r="XFD${i + 1}"><v>1</v></c></row>`).join("")), /quá lớn/],
      ["entity.xlsx", sheet('<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><row r="1"><c r="A1" t="inlineStr"><is><t>&b;&#99999999;</t></is></c></row>'), /thiếu cột|Thiếu cột/i],
      ["long.csv", `${header}\nCB9,${"Ă".repeat(200)},x9@p1.vn,P1C1,${"=".repeat(300)}`, /quá dài/],
    ];
    await unchanged(async () => {
      for (const [name, bytes, message] of cases) {
        const res = await upload(hr, name, bytes);
        const text = await res.text();
        expect([name, res.status]).toEqual([name, 400]);
        expect([name, message.test(text)]).toEqual([name, true]);
      }
      // Malformed request bodies to the upload route are the sender's fault too.
      const truncated = await postRaw(hr, "/hr/staff", '--xx\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc', { "Content-Type": "multipart/form-data; boundary=xx" });
      expect(truncated.status).toBe(400);
      expect(await truncated.text()).toContain("Không đọc được dữ liệu biểu mẫu");
      const forgedApply = await postRaw(hr, "/hr/staff", new URLSearchParams({ intent: "apply", content: "!!!không phải base64", fileName: "../../etc/passwd" }), { "Content-Type": "application/x-www-form-urlencoded" });
      expect(forgedApply.status).toBe(400);
    });
  });

  it("keeps markup inert and formulas neutral wherever names are shown or exported", async () => {
    const admin = await signedIn("quantri@p1.vn");
    const markup = '<img src=x onerror="alert(1)">';
    const created = await admin.post("/admin/users", { fullName: `Tên ${markup}`, email: "html@p1.vn", unitCode: "P1C1", password: "MatKhau-2026-Dai" });
    expect(created.status).toBe(302);
    const list = await (await admin.get("/admin/users?q=html")).text();
    expect(list).toContain("&lt;img src=x onerror=");
    expect(list).not.toContain(markup);
    expect((await admin.post("/admin/units/P1C1", { intent: "save", nameVi: '=HYPERLINK("https://evil.example","Bấm")', nameEn: "<b>x</b>", approvedHeadcount: "3" })).status).toBe(200);
    const hr = await signedIn("nhansu@p1.vn");
    const csv = await (await hr.get("/hr/coverage?format=csv")).text();
    expect(csv).toContain(`"'=HYPERLINK(""https://evil.example"",""Bấm"")"`);
    expect(csv).not.toMatch(/(^|[,\r\n])"?=HYPERLINK/);
    const page = await (await hr.get("/hr/coverage")).text();
    expect(page).not.toContain("<b>x</b>");
    const roster = await upload(hr, `<img src=x onerror=alert(1)>.csv`, "Mã cán bộ,Họ và tên,Email,Mã đơn vị,Chức vụ\nF1,=cmd|' /C calc'!A0,f1@p1.vn,P1C1,+SUM(1)");
    expect(roster.status).toBe(200);
    const html = await roster.text();
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;.csv");
    expect(html).toContain("=cmd|&#x27; /C calc&#x27;!A0");
  });
});

describe("redirects", () => {
  const vectors = ["//evil.example", "https://evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/.//evil.example", "/%2e%2e//evil.example", "javascript:alert(1)", "/\n/evil.example", " //evil.example"];
  const sameSite = (location: string | null) => !!location && location.startsWith("/") && !location.startsWith("//") && !/[\\\s]/.test(location);

  it("never leave the site after login, language switch or password confirmation", async () => {
    for (const redirectTo of vectors) {
      const client = new Client(server.url);
      const login = await client.post("/login", { email: "hocvien@p1.vn", password: PASSWORD, redirectTo });
      expect([redirectTo, login.status, sameSite(login.headers.get("location"))]).toEqual([redirectTo, 302, true]);
      const language = await client.post("/language", { lang: "vi", redirectTo });
      expect([redirectTo, language.status, sameSite(language.headers.get("location"))]).toEqual([redirectTo, 302, true]);
      const reauth = await client.post("/reauth", { password: PASSWORD, redirectTo });
      expect([redirectTo, reauth.status, sameSite(reauth.headers.get("location"))]).toEqual([redirectTo, 302, true]);
      const already = await client.get(`/login?redirectTo=${encodeURIComponent(redirectTo)}`);
      expect([redirectTo, already.status, sameSite(already.headers.get("location"))]).toEqual([redirectTo, 302, true]);
    }
  });

  it("keeps a same-site path with Vietnamese letters, encoded", async () => {
    const client = new Client(server.url);
    const res = await client.post("/language", { lang: "vi", redirectTo: "/khóa-học?q=an toàn" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${encodeURI("/khóa-học")}?q=an%20to%C3%A0n`);
  });
});

describe("request bodies", () => {
  it("refuses bodies the app would not read: too large, unknown length, other encodings", async () => {
    const learner = await signedIn("hocvien@p1.vn");
    await unchanged(async () => {
      const big = await postRaw(learner, "/login", "email=" + "a".repeat(13 * 1024 * 1024), { "Content-Type": "application/x-www-form-urlencoded" });
      expect(big.status).toBe(413);
      expect(await big.text()).toContain("quá lớn");
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("email=a&password=b"));
          controller.close();
        },
      });
      const chunked = await fetch(`${server.url}/login`, {
        method: "POST",
        body: stream,
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: server.url },
        duplex: "half",
      } as RequestInit);
      expect(chunked.status).toBe(411);
      expect(await chunked.text()).toContain("độ dài");
      for (const [path, type, body] of [
        ["/login", "application/json", '{"email":"a"}'],
        ["/login", "text/plain", "email=a"],
        ["/login", "multipart/form-data; boundary=xx", "--xx--"],
        ["/hr/staff", "multipart/form-data", "no boundary"],
        [`/courses/${COURSE}/quiz`, "", ""],
      ]) {
        const res = await postRaw(learner, path, body, type ? { "Content-Type": type } : {});
        expect([path, type, res.status]).toEqual([path, type, 415]);
        expect(await res.text()).toContain("không phải một biểu mẫu");
      }
    });
  });
});
