// A trainer's course versions in the browser: comparing two versions line by line, rolling back
// to an earlier one, and, on a second server that requires reviews (COURSE_REVIEW=required),
// requesting a review that another trainer approves.
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { freePort, startServer, type RunningServer } from "../support/server";
import { DEMO_PASSWORD, expectAccessible } from "./helpers";

const DB_FILE = "tests/.tmp/e2e.db"; // the browser suite's demo database (tests/support/e2e-server.ts)
const SLUG = "phien-ban-trinh-duyet";
const REVIEWER = "giangvien2@kynangso.vn";
const SHOTS = "tests/.tmp/screens";
let reviewApp: RunningServer;

test.beforeAll(async () => {
  // A second trainer of the province, written like the demo's accounts (same password, no second factor).
  const db = new Database(DB_FILE);
  try {
    const model = db.prepare(`SELECT u.passwordHash, u.orgUnitId, r.orgUnitId AS roleUnit FROM "User" u JOIN "RoleAssignment" r ON r.userId = u.id WHERE u.email = ? AND r.role = 'trainer'`).get("giangvien@kynangso.vn") as {
      passwordHash: string;
      orgUnitId: number;
      roleUnit: number;
    };
    const now = Date.now();
    db.prepare(
      `INSERT INTO "User" (email, fullName, orgUnitId, passwordHash, activatedAt, active, secondFactorExempt, createdAt, updatedAt) VALUES (?, 'Đỗ Thị Duyệt', ?, ?, ?, 1, 1, ?, ?) ON CONFLICT DO NOTHING`,
    ).run(REVIEWER, model.orgUnitId, model.passwordHash, now, now, now);
    const id = (db.prepare(`SELECT id FROM "User" WHERE email = ?`).get(REVIEWER) as { id: number }).id;
    db.prepare(`INSERT INTO "RoleAssignment" (userId, role, orgUnitId, createdAt) VALUES (?, 'trainer', ?, ?) ON CONFLICT DO NOTHING`).run(id, model.roleUnit, now);
  } finally {
    db.close();
  }
  const port = await freePort();
  reviewApp = await startServer({ DATABASE_URL: `file:./${DB_FILE}`, PORT: String(port), APP_URL: `http://127.0.0.1:${port}`, JOBS_EVERY_MINUTES: "0", SECOND_FACTOR: "staff", COURSE_REVIEW: "required" });
});
test.afterAll(async () => {
  await reviewApp?.stop();
});

async function signIn(page: Page, base: string, email: string) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page).toHaveURL(`${base}/me`);
}

/** A form posted from the site with the page's session: the set-up a trainer would click through. */
async function submit(page: Page, base: string, path: string, form: Record<string, string>) {
  const res = await page.request.post(base + path, { form, headers: { Origin: base }, maxRedirects: 0 });
  expect(res.status(), `${path} ${form.intent}`).toBeLessThan(400);
}

const lesson = (source: string) => ({ intent: "save", title: "Bài một", titleEn: "", minutes: "5", source });

test("a trainer compares two versions and rolls back; with reviews required, another trainer approves", async ({ page, baseURL, browser }) => {
  const base = baseURL!;
  await signIn(page, base, "giangvien@kynangso.vn");
  await submit(page, base, "/author", { intent: "create", slug: SLUG, title: "Phiên bản trong trình duyệt", category: "egov" });
  await submit(page, base, `/author/${SLUG}`, {
    intent: "settings", title: "Phiên bản trong trình duyệt", titleEn: "", summary: "Thử phiên bản.", summaryEn: "", category: "egov", estimatedMinutes: "20",
    validityMonths: "0", passingScore: "80", quizSize: "2", maxAttempts: "3", retryWaitMinutes: "0", timeLimitMinutes: "0", reviewPolicy: "explain", selfEnroll: "on", intro: "",
  });
  await submit(page, base, `/author/${SLUG}`, { intent: "addLesson", slug: "bai-mot", title: "Bài một" });
  await submit(page, base, `/author/${SLUG}/lessons/bai-mot`, lesson("# Mật khẩu\n\nDùng ít nhất 8 ký tự.\n\nKhông dùng lại mật khẩu cũ.\n"));
  for (const key of ["q1", "q2"]) {
    await submit(page, base, `/author/${SLUG}/quiz`, { intent: "save", key, type: "single", prompt: `Câu hỏi ${key}?`, explanation: "", choice0Text: "Đúng", choice0Correct: "on", choice1Text: "Sai" });
  }
  await submit(page, base, `/author/${SLUG}`, { intent: "publish" });
  await submit(page, base, `/author/${SLUG}/lessons/bai-mot`, lesson("# Mật khẩu\n\nDùng ít nhất 12 ký tự.\n\nKhông dùng lại mật khẩu cũ.\n"));
  await submit(page, base, `/author/${SLUG}`, { intent: "publish" });

  // Compare version 1 with version 2 from the course page.
  await page.goto(`${base}/author/${SLUG}`);
  await page.getByRole("link", { name: "Phiên bản, so sánh và khôi phục" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Phiên bản và so sánh" })).toBeVisible();
  await page.getByLabel("Từ").selectOption({ label: "Phiên bản 1" });
  await page.getByLabel("Đến").selectOption({ label: "Phiên bản 2" });
  await page.getByRole("button", { name: "So sánh" }).click();
  await expect(page.getByRole("heading", { name: "Thay đổi từ Phiên bản 1 đến Phiên bản 2" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Bài thay đổi: Bài một/ })).toBeVisible();
  await expect(page.locator('[data-diff="removed"]')).toContainText("Dùng ít nhất 8 ký tự.");
  await expect(page.locator('[data-diff="added"]')).toContainText("Dùng ít nhất 12 ký tự.");
  await expectAccessible(page);
  await page.screenshot({ path: `${SHOTS}/versions-compare-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SHOTS}/versions-compare-390.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 720 });

  // Roll back to version 1: published as version 3.
  await page.getByRole("button", { name: "Khôi phục phiên bản 1" }).click();
  await expect(page.getByText("Đã khôi phục phiên bản 1: học viên đang học phiên bản 3.")).toBeVisible();
  await expect(page.getByTestId("version-3")).toContainText("Phiên bản 3 (đang dùng)");
  await expect(page.getByTestId("version-3")).toContainText("Khôi phục phiên bản 1");

  // With reviews required: the trainer asks, another trainer approves.
  const app = reviewApp.url;
  await signIn(page, app, "giangvien@kynangso.vn");
  await submit(page, app, `/author/${SLUG}/lessons/bai-mot`, lesson("# Mật khẩu\n\nDùng ít nhất 14 ký tự.\n\nKhông dùng lại mật khẩu cũ.\n"));
  await page.goto(`${app}/author/${SLUG}`);
  await expect(page.getByRole("button", { name: "Xuất bản", exact: true })).toHaveCount(0);
  await page.getByLabel("Ghi chú cho người duyệt (không bắt buộc)").fill("Tăng độ dài mật khẩu tối thiểu.");
  await page.getByRole("button", { name: "Gửi duyệt" }).click();
  await expect(page.getByText("Đã gửi yêu cầu duyệt.")).toBeVisible();
  await expect(page.getByText("Yêu cầu duyệt của bạn đang chờ người khác duyệt.")).toBeVisible();
  await page.locator("#publish-heading").screenshot({ path: `${SHOTS}/versions-request-heading.png` });
  await page.screenshot({ path: `${SHOTS}/versions-request-desktop.png`, fullPage: true });
  await page.goto(`${app}/author/${SLUG}/versions`);
  await expect(page.getByText("Bạn không thể tự duyệt yêu cầu của mình.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Duyệt và xuất bản" })).toHaveCount(0);

  const context = await browser.newContext();
  const reviewer = await context.newPage();
  await signIn(reviewer, app, REVIEWER);
  await reviewer.goto(`${app}/author/${SLUG}/versions`);
  const open = reviewer.getByTestId("open-request");
  await expect(open).toContainText("Trần Minh Đức");
  await expect(open).toContainText("Tăng độ dài mật khẩu tối thiểu.");
  // What the request changes, against the version learners have.
  await expect(reviewer.locator('[data-diff="added"]')).toContainText("Dùng ít nhất 14 ký tự.");
  await reviewer.getByLabel("Nhận xét").fill("Đã xem, đồng ý.");
  await expectAccessible(reviewer);
  await reviewer.screenshot({ path: `${SHOTS}/versions-review-desktop.png`, fullPage: true });
  await reviewer.setViewportSize({ width: 390, height: 844 });
  await reviewer.screenshot({ path: `${SHOTS}/versions-review-390.png`, fullPage: true });
  await reviewer.getByRole("button", { name: "Duyệt và xuất bản" }).click();
  await expect(reviewer.getByText("Đã duyệt: học viên đang học phiên bản 4.")).toBeVisible();
  await expect(reviewer.getByText("Đã duyệt (phiên bản 4)")).toBeVisible();
  await expect(reviewer.getByText("Đã xem, đồng ý.")).toBeVisible();
  await context.close();
});
