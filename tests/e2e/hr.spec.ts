import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectAccessible, login } from "./helpers";

test("HR imports a roster: errors first, then a clean dry run and apply", async ({ page }) => {
  await login(page, "nhansu@kynangso.vn");
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Nhân sự" }).click();
  await expectAccessible(page);
  await page.getByLabel("Tệp danh sách").setInputFiles(path.resolve("tests/fixtures/rosters/with-error.csv"));
  await page.getByRole("button", { name: "Kiểm tra trước" }).click();
  await expect(page.getByText("Có 1 lỗi.")).toBeVisible();
  await expect(page.getByRole("cell", { name: /đơn vị 01001 không tồn tại hoặc ngoài phạm vi/ })).toBeVisible();
  await page.getByLabel("Tệp danh sách").setInputFiles(path.resolve("tests/fixtures/rosters/valid.csv"));
  await page.getByRole("button", { name: "Kiểm tra trước" }).click();
  await expect(page.getByText("Thêm mới 2, cập nhật 0, chuyển nghỉ việc 0, không đổi 0.")).toBeVisible();
  await page.getByRole("button", { name: "Áp dụng thay đổi" }).click();
  await expect(page.getByText("Đã áp dụng: thêm mới 2")).toBeVisible();
  await page.getByLabel("Tìm theo họ tên, email hoặc mã cán bộ").fill("Thu Trang");
  await page.getByRole("button", { name: "Lọc" }).click();
  await expect(page.getByRole("cell", { name: /Hoàng Thị Thu Trang/ })).toBeVisible();
});

test("HR assigns mandatory training and reads the coverage report", async ({ page }) => {
  await login(page, "nhansu@kynangso.vn");
  await page.goto("/hr/assignments");
  await page.getByRole("combobox", { name: "Khóa học" }).selectOption({ label: "An toàn thông tin trong công việc của cán bộ, công chức" });
  await page.getByRole("region", { name: "Giao khóa học" }).getByLabel("Hạn hoàn thành").fill("2027-03-31");
  await page.getByLabel(/Chức vụ áp dụng/).fill("Chủ tịch");
  await page.getByRole("button", { name: "Giao khóa học" }).click();
  await expect(page.getByText(/Đã giao khóa học, ghi danh \d+ người\./)).toBeVisible();
  await expectAccessible(page);

  await page.goto("/hr/coverage");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Báo cáo đào tạo và biên chế");
  await expect(page.getByRole("rowheader", { name: "Tổng cộng" })).toBeVisible();
  await expectAccessible(page);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải CSV" }).click();
  expect((await download).suggestedFilename()).toBe("bao-cao-dao-tao-15.csv");
  await page.screenshot({ path: "test-results/coverage.png", fullPage: true });
});
