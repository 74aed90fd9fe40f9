import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { expectAccessible, login } from "./helpers";

/** A demo staff member who did every lesson but failed the quiz once (the demo data has some). */
function failedLearner() {
  const db = new Database("tests/.tmp/e2e.db", { readonly: true });
  try {
    return db
      .prepare(
        `SELECT u.fullName, u.employeeCode, v.title FROM "QuizAttempt" a
         JOIN "Enrollment" e ON e.id = a.enrollmentId JOIN "User" u ON u.id = e.userId
         JOIN "Course" c ON c.id = e.courseId JOIN "CourseVersion" v ON v.id = c.publishedVersionId
         WHERE a.status = 'submitted' AND a.passed = 0 AND a.overriddenAt IS NULL AND e.completedAt IS NULL
           AND u.employeeCode IS NOT NULL
         ORDER BY e.id LIMIT 1`,
      )
      .get() as { fullName: string; employeeCode: string; title: string };
  } finally {
    db.close();
  }
}

test("HR corrects a failed quiz score with a reason, which completes the course", async ({ page }) => {
  const person = failedLearner();
  await login(page, "nhansu@kynangso.vn");
  await page.goto("/hr/staff");
  await page.getByLabel("Tìm theo họ tên, email hoặc mã cán bộ").fill(person.employeeCode);
  await page.getByRole("button", { name: "Lọc" }).click();
  await page.getByRole("link", { name: person.fullName }).click();
  await expect(page.getByRole("heading", { level: 1, name: person.fullName })).toBeVisible();
  const course = page.getByRole("region", { name: person.title });
  await expect(course.getByRole("cell", { name: "Chưa đạt" })).toBeVisible();
  await course.getByText("Điều chỉnh điểm lần 1").click();
  await expectAccessible(page);
  await course.getByLabel("Điểm mới (0–100)").fill("101");
  await course.getByLabel("Lý do điều chỉnh").fill("Câu hỏi số 3 có hai đáp án đúng, giảng viên đã xác nhận.");
  await course.getByRole("button", { name: "Lưu điểm điều chỉnh" }).click();
  // The browser refuses 101 itself; with a valid score the server saves and completes the course.
  await course.getByLabel("Điểm mới (0–100)").fill("90");
  await course.getByRole("button", { name: "Lưu điểm điều chỉnh" }).click();
  await expect(page.getByText("Đã điều chỉnh điểm; khóa học được ghi nhận hoàn thành và giấy chứng nhận đã được cấp.")).toBeVisible();
  await expect(course.getByText(/điểm chấm tự động: \d+\)\. Lý do: Câu hỏi số 3 có hai đáp án đúng/)).toBeVisible();
  await expect(course.getByText(/Hoàn thành ngày/)).toBeVisible();
  await expect(course.getByRole("link", { name: /^KNS-/ })).toBeVisible();
});
