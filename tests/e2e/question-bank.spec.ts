import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { expectAccessible, login } from "./helpers";

test("a trainer imports a Moodle XML bank, sees what is skipped, applies it and exports GIFT", async ({ page }) => {
  await login(page, "giangvien@kynangso.vn");
  await page.goto("/author");
  const create = page.locator("form", { has: page.getByRole("button", { name: "Tạo khóa học" }) });
  await create.getByLabel("Tên khóa học").fill("Nhận diện lừa đảo trực tuyến");
  await create.getByLabel("Địa chỉ khóa học").fill("nhan-dien-lua-dao-nhap");
  await create.getByLabel("Chủ đề").selectOption("egov");
  await create.getByRole("button", { name: "Tạo khóa học" }).click();
  await expect(page).toHaveURL(/\/author\/nhan-dien-lua-dao-nhap\?created=1$/);

  await page.goto("/author/nhan-dien-lua-dao-nhap/quiz");
  await page.getByRole("link", { name: /Nhập câu hỏi từ tệp/ }).click();
  await expect(page).toHaveURL(/\/author\/nhan-dien-lua-dao-nhap\/quiz\/import$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nhập câu hỏi vào ngân hàng của khóa “Nhận diện lừa đảo trực tuyến”");
  await expectAccessible(page);

  await page.getByLabel("Tệp câu hỏi").setInputFiles("tests/fixtures/question-banks/moodle-4x.xml");
  await page.getByRole("button", { name: "Kiểm tra và xem trước" }).click();
  const preview = page.getByRole("region", { name: "Xem trước: moodle-4x.xml" });
  await expect(preview.getByText("Sẽ thêm 4 câu hỏi vào bản nháp; bỏ qua 2 câu thuộc loại không chấm được.")).toBeVisible();
  await expect(preview.getByText("Định dạng: Moodle XML. Bảng mã: UTF-8.")).toBeVisible();
  await expect(preview.getByRole("listitem").filter({ hasText: "Câu 4, dòng 142: tự luận — “Tự luận về lừa đảo”" })).toBeVisible();
  await expect(preview.getByRole("cell", { name: "bieu-tuong-khoa.png (mới, 1 KB)" })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: "test-results/question-import-preview.png", fullPage: true });
  // On a phone the questions are cards, not a seven-column table.
  const desktop = page.viewportSize()!;
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(preview.getByRole("table")).toBeHidden();
  const card = preview.getByRole("listitem").filter({ hasText: "bieu-tuong-khoa.png (mới, 1 KB)" });
  await expect(card).toBeVisible();
  expect((await card.boundingBox())!.width).toBeGreaterThan(300);
  await expectAccessible(page);
  await page.screenshot({ path: "test-results/question-import-preview-phone.png", fullPage: true });
  await page.setViewportSize(desktop);

  await preview.getByRole("button", { name: "Thêm 4 câu hỏi vào ngân hàng" }).click();
  await expect(page).toHaveURL(/\/author\/nhan-dien-lua-dao-nhap\/quiz\?imported=4$/);
  await expect(page.getByRole("status").filter({ hasText: "Đã thêm 4 câu hỏi vào bản nháp của ngân hàng." })).toBeVisible();
  const list = page.getByRole("region", { name: "Các câu hỏi (4)" });
  await expect(list.getByText("Mật khẩu nào dưới đây mạnh nhất?")).toBeVisible();
  await expect(list.getByText("Cập nhật phần mềm & hệ điều hành")).toBeVisible();
  await expect(list.getByRole("img", { name: "Biểu tượng ổ khóa trên thanh địa chỉ" })).toBeVisible();
  await expectAccessible(page);

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải GIFT" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe("nhan-dien-lua-dao-nhap-cau-hoi.gift.txt");
  const gift = fs.readFileSync(await download.path(), "utf8");
  expect(gift).toContain("$CATEGORY: $course$/top/Nhận diện lừa đảo trực tuyến");
  expect(gift).toContain("::MK-01::Mật khẩu nào dưới đây mạnh nhất?{");
  expect(gift).toContain("\t~%50%Bật xác thực hai lớp");
});
