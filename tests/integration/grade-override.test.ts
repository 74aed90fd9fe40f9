// HR corrects a graded quiz attempt through the real server: scope, validation, the kept
// computed score, the audit event, and the completion and certificate that a pass brings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syncContent } from "~/content/content-sync.server";
import { db } from "~/platform/db.server";
import { groupCode } from "~/utils/certificates";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { signedInClient } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let world: Awaited<ReturnType<typeof twoProvinces>>;
const COURSE = "/courses/khoa-thu";
const REASON = "Câu hỏi số 2 có đáp án sai trong ngân hàng đề, đã báo giảng viên.";

beforeAll(async () => {
  world = await twoProvinces();
  await createUser("nhansu@p2.vn", world.units.b1, [{ role: "hr", unit: world.units.b }]);
  // On the roster (imported staff carry an employee code).
  await db.user.update({ where: { id: world.users.learner.id }, data: { employeeCode: "P1-0001", position: "Chuyên viên" } });
  const { problems } = await syncContent("tests/fixtures/content");
  expect(problems).toEqual([]);
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
});
afterAll(async () => server?.stop());

const signedIn = (email: string) => signedInClient(server.url, email, PASSWORD);

/** The learner reads both lessons and submits the quiz with no answer: a graded 0, not passed. */
async function failedAttempt() {
  const learner = await signedIn("hocvien@p1.vn");
  expect((await learner.post(COURSE, {})).status).toBe(302);
  expect((await learner.post(`${COURSE}/bai-mot`, {})).status).toBe(302);
  expect((await learner.post(`${COURSE}/bai-hai`, {})).status).toBe(302);
  expect((await learner.post(`${COURSE}/quiz`, { intent: "start" })).status).toBe(302);
  const open = await db.quizAttempt.findFirstOrThrow({ where: { enrollment: { userId: world.users.learner.id }, status: "open" } });
  expect((await learner.post(`${COURSE}/quiz`, { intent: "submit", attemptId: String(open.id), confirmBlank: "1" })).status).toBe(302);
  const attempt = await db.quizAttempt.findUniqueOrThrow({ where: { id: open.id } });
  expect(attempt).toMatchObject({ status: "submitted", score: 0, passed: false });
  return { learner, attempt };
}

const snapshot = async (attemptId: number) => ({
  attempt: await db.quizAttempt.findUniqueOrThrow({ where: { id: attemptId } }),
  enrollments: await db.enrollment.findMany({ where: { userId: world.users.learner.id }, select: { completedAt: true } }),
  certificates: await db.certificate.count({ where: { userId: world.users.learner.id } }),
});

describe("grade overrides", () => {
  it("lets HR in scope correct a failed attempt, keeping the computed score, and completes the course", async () => {
    const { learner, attempt } = await failedAttempt();
    const page = `/hr/staff/${world.users.learner.id}`;
    const before = await snapshot(attempt.id);

    // Outside the subtree: 404 for reading and writing; a learner has no staff pages at all.
    const hrElsewhere = await signedIn("nhansu@p2.vn");
    expect((await hrElsewhere.get(page)).status).toBe(404);
    expect((await hrElsewhere.post(page, { attemptId: String(attempt.id), score: "90", reason: REASON })).status).toBe(404);
    expect((await learner.get(page)).status).toBe(403);
    expect((await learner.post(page, { attemptId: String(attempt.id), score: "90", reason: REASON })).status).toBe(403);

    const hr = await signedIn("nhansu@p1.vn");
    const html = await (await hr.get(page)).text();
    expect(html).toContain("Chưa đạt");
    expect(html).toContain("Điều chỉnh điểm lần 1");
    // The roster links to the person.
    expect(await (await hr.get("/hr/staff")).text()).toContain(`href="${page}"`);

    // Malformed input: a clear message, nothing changes.
    const badScore = await hr.post(page, { attemptId: String(attempt.id), score: "100.5", reason: REASON });
    expect(badScore.status).toBe(400);
    expect(await badScore.text()).toContain("Điểm phải là số nguyên từ 0 đến 100");
    const noReason = await hr.post(page, { attemptId: String(attempt.id), score: "80", reason: "  sai  " });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Hãy ghi lý do điều chỉnh");
    expect((await hr.post(page, { attemptId: "999999", score: "80", reason: REASON })).status).toBe(404);
    expect((await hr.post(page, { attemptId: "abc", score: "80", reason: REASON })).status).toBe(400);
    expect(await snapshot(attempt.id)).toEqual(before);

    // The correction: a pass completes the course (both lessons are done) and issues the certificate.
    const saved = await hr.post(page, { attemptId: String(attempt.id), score: "80", reason: REASON });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe(`${page}?done=completed`);
    const after = await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } });
    expect(after).toMatchObject({ score: 80, passed: true, gradedScore: 0, overriddenById: world.users.hr.id, overrideReason: REASON });
    const enrollment = await db.enrollment.findFirstOrThrow({ where: { userId: world.users.learner.id } });
    expect(enrollment.completedAt).not.toBeNull();
    expect(await db.certificate.count({ where: { enrollmentId: enrollment.id, status: "valid" } })).toBe(1);
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "grade.override", targetId: String(attempt.id) } });
    expect(event).toMatchObject({ actorId: world.users.hr.id, orgUnitId: world.users.learner.orgUnitId });
    expect(JSON.parse(event.detail)).toMatchObject({ from: 0, to: 80, passed: true, reason: REASON });

    // The page tells the story; the learner sees the completion and the certificate.
    const shown = await (await hr.get(page)).text();
    expect(shown).toContain("Đạt");
    expect(shown).toContain("điểm chấm tự động: 0");
    expect(shown).toContain(REASON);
    expect(shown).not.toContain("Điều chỉnh điểm lần 1");
    const cert = await db.certificate.findFirstOrThrow({ where: { enrollmentId: enrollment.id } });
    expect(await (await learner.get("/me")).text()).toContain(groupCode(cert.code));

    // A completed enrolment is not corrected again (revoke the certificate instead); a replay changes nothing.
    const again = await hr.post(page, { attemptId: String(attempt.id), score: "40", reason: REASON });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("thu hồi giấy chứng nhận");
    expect(await db.quizAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({ score: 80, passed: true, gradedScore: 0 });
    expect(await db.auditEvent.count({ where: { action: "grade.override" } })).toBe(1);
  });
});
