import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectAccessible, login } from "./helpers";

const EGOV = "Dịch vụ công trực tuyến và công cụ chính quyền số cho cán bộ, công chức";

test("HR imports rosters saved by a spreadsheet program: XLSX with a title block and date cells, then the XLS", async ({ page }) => {
  await login(page, "nhansu@kynangso.vn");
  await page.goto("/hr/staff");
  const template = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải tệp mẫu (XLSX)" }).click();
  expect((await template).suggestedFilename()).toBe("mau-danh-sach-can-bo.xlsx");

  await page.getByLabel("Tệp danh sách").setInputFiles(path.resolve("tests/fixtures/rosters/office/roster-title-block.xlsx"));
  await page.getByRole("button", { name: "Kiểm tra trước" }).click();
  await expect(page.getByText('Đọc trang tính "Danh sách", dòng tiêu đề cột là dòng 6.')).toBeVisible();
  await expect(page.getByText("Các trang tính không có dòng tiêu đề nên được bỏ qua: Hướng dẫn.", { exact: false })).toBeVisible();
  await expect(page.getByText("Thêm mới 12, cập nhật 0, chuyển nghỉ việc 0, không đổi 0.")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Áp dụng thay đổi" }).click();
  await expect(page.getByText("Đã áp dụng: thêm mới 12")).toBeVisible();

  // The same people from the Excel 97–2003 file: nothing left to change.
  await page.getByLabel("Tệp danh sách").setInputFiles(path.resolve("tests/fixtures/rosters/office/roster-title-block.xls"));
  await page.getByRole("button", { name: "Kiểm tra trước" }).click();
  await expect(page.getByText("Thêm mới 0, cập nhật 0, chuyển nghỉ việc 0, không đổi 12.")).toBeVisible();

  // The birth date came from a date cell.
  await page.getByLabel("Tìm theo họ tên, email hoặc mã cán bộ").fill("LC81001");
  await page.getByRole("button", { name: "Lọc" }).click();
  await page.getByRole("link", { name: "Lù Thị Dung" }).click();
  await expect(page.getByText(/Ngày sinh 15\/03\/1988/)).toBeVisible();
});

test("HR finds the overdue people of a commune, exports and reminds them, exempts one and extends another", async ({ page }) => {
  await login(page, "nhansu@kynangso.vn");
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Theo dõi" }).click();
  await expect(page.getByText(/Đang xem mọi khóa học/)).toBeVisible();
  await page.getByLabel("Mã đơn vị").fill("02680");
  await page.getByRole("combobox", { name: "Khóa học" }).selectOption({ label: EGOV });
  await page.getByRole("button", { name: "Xem" }).click();
  await page.getByRole("link", { name: /^Quá hạn: 2$/ }).click();
  const rows = page.locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(page.getByRole("link", { name: "Đỗ Phương Nhung" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Nông Kim Yến" })).toBeVisible();
  await expectAccessible(page);

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("theo-doi-dich-vu-cong-truc-tuyen-02680-overdue.csv");
  const csv = fs.readFileSync((await file.path())!, "utf8");
  expect(csv).toContain("Đỗ Phương Nhung");
  expect(csv).toContain("Quá hạn");

  await page.getByRole("checkbox", { name: "Chọn: Đỗ Phương Nhung" }).check();
  await page.getByRole("checkbox", { name: "Chọn: Nông Kim Yến" }).check();
  await page.getByRole("button", { name: "Gửi thư nhắc cho người đã chọn" }).click();
  await expect(page.getByText("Đã xếp 2 thư nhắc để gửi. 0 người đã được nhắc hôm nay nên không gửi lại.")).toBeVisible();

  await page.getByRole("link", { name: "Đỗ Phương Nhung" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Đỗ Phương Nhung: ${EGOV}`);
  await page.locator("#exempt-reason").fill("Đã học lớp bồi dưỡng tập trung tại Trường Chính trị tỉnh");
  await page.getByRole("button", { name: "Miễn học", exact: true }).click();
  await expect(page.getByText("Đã miễn học cho người này.")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "← Về danh sách theo dõi" }).click();

  await page.goto(`/hr/progress?unit=02680&course=dich-vu-cong-truc-tuyen&status=overdue`);
  await page.getByRole("link", { name: "Nông Kim Yến" }).click();
  await page.getByLabel("Hạn mới").fill("2027-06-30");
  await page.locator("#extend-reason").fill("Nghỉ thai sản đến tháng 5/2027");
  await page.getByRole("button", { name: "Gia hạn", exact: true }).click();
  await expect(page.getByText("Đã đổi hạn hoàn thành.")).toBeVisible();
  await expect(page.getByText("Lý do gia hạn: Nghỉ thai sản đến tháng 5/2027")).toBeVisible();

  await page.goto(`/hr/progress?unit=02680&course=dich-vu-cong-truc-tuyen`);
  await expect(page.getByRole("link", { name: /^Quá hạn: 0$/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /^Được miễn: 1$/ })).toBeVisible();

  // The report counts the exemption apart and no one as overdue; its figure leads to the person.
  await page.goto("/hr/coverage?unit=02680");
  await page.getByRole("combobox", { name: "Khóa học" }).selectOption({ label: EGOV });
  await page.getByRole("button", { name: "Xem báo cáo" }).click();
  await expect(page.getByRole("link", { name: "Xem danh sách người: Xã Hợp Thành, Được miễn: 1" }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: /Xã Hợp Thành, Quá hạn/ })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Tỷ lệ hoàn thành theo tháng" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Xem danh sách người: Xã Hợp Thành, Được miễn: 1" }).first().click();
  await expect(page.getByRole("link", { name: "Đỗ Phương Nhung" })).toBeVisible();
  await page.screenshot({ path: "test-results/follow-up.png", fullPage: true });
});
