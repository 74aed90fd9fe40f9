import crypto from "node:crypto";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { codeFromBytes, groupCode } from "../../app/utils/certificates";
import { expectAccessible, login } from "./helpers";

const NAME = "Phạm Quang Huy";

/**
 * A certificate for the demo administrator, written straight into the e2e database (the
 * server reads it like any other). The administrator takes no course in the other specs.
 */
function seedCertificate(): string {
  const db = new Database("tests/.tmp/e2e.db");
  try {
    const user = db.prepare(`SELECT id, orgUnitId FROM "User" WHERE email = ?`).get("quantri@kynangso.vn") as { id: number; orgUnitId: number };
    const course = db.prepare(`SELECT id FROM "Course" WHERE publishedVersionId IS NOT NULL ORDER BY id LIMIT 1`).get() as { id: number };
    const now = Date.now();
    const enrollment = db
      .prepare(`INSERT INTO "Enrollment" (userId, courseId, cycle, origin, createdAt, completedAt) VALUES (?, ?, 1, 'self', ?, ?) ON CONFLICT DO NOTHING`)
      .run(user.id, course.id, now, now);
    const enrollmentId =
      enrollment.changes === 1
        ? Number(enrollment.lastInsertRowid)
        : (db.prepare(`SELECT id FROM "Enrollment" WHERE userId = ? AND courseId = ? AND cycle = 1`).get(user.id, course.id) as { id: number }).id;
    const code = codeFromBytes(crypto.randomBytes(20));
    db.prepare(
      `INSERT INTO "Certificate" (code, enrollmentId, userId, courseId, orgUnitId, fullName, position, unitName, courseTitle, issuer, completedAt, issuedAt, expiresAt, status)
       VALUES (?, ?, ?, ?, ?, ?, 'Chuyên viên', 'Sở Nội vụ', 'Khóa học kiểm thử', 'Sở Nội vụ', ?, ?, NULL, 'valid')`,
    ).run(code, enrollmentId, user.id, course.id, user.orgUnitId, NAME, now, now);
    return code;
  } finally {
    db.close();
  }
}

test("anyone verifies a certificate by typing its code, without signing in", async ({ page }) => {
  const code = seedCertificate();
  // The public pages are plain HTML: nothing to run, nothing to download but the page and its styles.
  const scripts: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scripts.push(request.url());
  });
  await page.goto("/verify");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tra cứu giấy chứng nhận");
  await expectAccessible(page);
  // Typed in lower case and without dashes, as people do.
  await page.getByLabel("Mã chứng nhận").fill(code.toLowerCase());
  await page.getByRole("button", { name: "Tra cứu" }).click();
  await expect(page).toHaveURL(new RegExp(`/verify/${groupCode(code)}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Giấy chứng nhận hợp lệ");
  await expect(page.getByText(NAME)).toBeVisible();
  await expect(page.getByText("Không thời hạn")).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("Mã chứng nhận").fill("KNS-0000-0000-0000-0000-0000");
  await page.getByRole("button", { name: "Tra cứu" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Không tìm thấy giấy chứng nhận");
  await expectAccessible(page);

  // The language switch is a plain form too, and comes back to the same result.
  await page.goto(`/verify/${groupCode(code)}`);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page).toHaveURL(new RegExp(`/verify/${groupCode(code)}$`));
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Valid certificate");
  await page.getByRole("button", { name: "Tiếng Việt" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Giấy chứng nhận hợp lệ");
  expect(scripts).toEqual([]);
});

test("a signed-in learner opens a certificate's public page from the app and comes back", async ({ page }) => {
  const code = seedCertificate();
  await login(page, "quantri@kynangso.vn");
  await page.getByRole("link", { name: /^Xác thực:/ }).first().click();
  await expect(page).toHaveURL(/\/verify\/KNS-/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Giấy chứng nhận hợp lệ");
  await page.goBack();
  await expect(page.getByRole("heading", { name: "Giấy chứng nhận của tôi" })).toBeVisible();
  await expect(page.getByText(groupCode(code))).toBeVisible();
  // Still the running app: a link fetches only the next page's data.
  const data = page.waitForRequest((request) => new URL(request.url()).pathname === "/courses.data");
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Khóa học", exact: true }).click();
  await data;
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Danh mục khóa học");
});

test("the verification page reads well on a 375 px phone without JavaScript", async ({ browser }) => {
  const code = seedCertificate();
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/verify");
  await page.getByLabel("Mã chứng nhận").fill(groupCode(code));
  await page.getByRole("button", { name: "Tra cứu" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Giấy chứng nhận hợp lệ");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.screenshot({ path: "test-results/verify-phone.png", fullPage: true });
  await context.close();
});

test("the learner's and HR's certificate pages have no serious accessibility problems", async ({ page }) => {
  const code = seedCertificate();
  await login(page, "quantri@kynangso.vn");
  await expect(page.getByRole("heading", { name: "Giấy chứng nhận của tôi" })).toBeVisible();
  await expect(page.getByText(groupCode(code))).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page).toHaveURL(/\/login$/);

  await login(page, "nhansu@kynangso.vn");
  await page.goto("/hr/certificates");
  await expect(page.getByRole("link", { name: groupCode(code) })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: groupCode(code) }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(groupCode(code));
  await expectAccessible(page);
  // Revoking without a reason is refused with a message tied to the field.
  await page.getByRole("button", { name: "Thu hồi" }).click();
  await expect(page.getByText("Vui lòng nhập lý do thu hồi.")).toBeVisible();
  await expectAccessible(page);
});
