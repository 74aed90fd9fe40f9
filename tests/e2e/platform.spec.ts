import { expect, test } from "@playwright/test";
import { expectAccessible, login } from "./helpers";

const nav = (page: import("@playwright/test").Page) => page.getByRole("navigation", { name: "Điều hướng chính" });

test("each demo role signs in and sees its own navigation", async ({ page }) => {
  const expected: Record<string, string[]> = {
    "hocvien@kynangso.vn": ["Học tập của tôi", "Khóa học"],
    "giangvien@kynangso.vn": ["Học tập của tôi", "Khóa học", "Soạn bài giảng"],
    "nhansu@kynangso.vn": ["Học tập của tôi", "Khóa học", "Nhân sự", "Giao khóa học", "Chứng nhận", "Báo cáo đào tạo", "Theo dõi", "Thư đã gửi"],
    "quantri@kynangso.vn": ["Học tập của tôi", "Khóa học", "Soạn bài giảng", "Nhân sự", "Giao khóa học", "Chứng nhận", "Báo cáo đào tạo", "Theo dõi", "Thư đã gửi", "Quản trị"],
  };
  for (const [email, links] of Object.entries(expected)) {
    await login(page, email);
    await expect(nav(page).getByRole("link")).toHaveText(links);
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await expect(page).toHaveURL(/\/login$/);
  }
});

test("a wrong password gets a clear message that names neither part", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill("hocvien@kynangso.vn");
  await page.getByLabel("Mật khẩu").fill("khong-dung-mat-khau");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("alert")).toHaveText("Email hoặc mật khẩu không đúng.");
});

test("learners are refused admin pages and administrators see 404 outside their province", async ({ page }) => {
  await login(page, "hocvien@kynangso.vn");
  await page.goto("/admin/users");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không có quyền truy cập");
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page).toHaveURL(/\/login$/);

  await login(page, "quantri@kynangso.vn");
  const res = await page.goto("/admin/units/01");
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Không tìm thấy trang");
});

test("an administrator browses the province, edits a unit's headcount and creates an account", async ({ page }) => {
  await login(page, "quantri@kynangso.vn");
  await nav(page).getByRole("link", { name: "Quản trị" }).click();
  await page.getByRole("link", { name: "Cơ cấu tổ chức" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Tỉnh Lào Cai");
  await page.getByRole("link", { name: "Sở Nội vụ" }).click();
  await page.getByLabel("Biên chế được giao").first().fill("20");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByRole("status")).toHaveText("Đã lưu đơn vị.");

  await page.goto("/admin/users");
  const form = page.locator("form", { has: page.getByRole("button", { name: "Tạo mới" }) });
  await form.getByLabel("Họ và tên").fill("Đỗ Thị Ánh Tuyết");
  await form.getByLabel("Email").fill("anhtuyet@laocai.gov.vn");
  await form.getByLabel("Chức vụ").fill("Chuyên viên");
  await form.getByLabel("Mã đơn vị").fill("15.SNV");
  await form.getByLabel("Mật khẩu ban đầu").fill("ngan");
  await form.getByRole("button", { name: "Tạo mới" }).click();
  await expect(page.getByText("ít nhất 12 ký tự")).toBeVisible();
  await form.getByLabel("Mật khẩu ban đầu").fill("BatDau-2026-LC");
  await form.getByRole("button", { name: "Tạo mới" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Đỗ Thị Ánh Tuyết");
  await expect(page.getByRole("status")).toHaveText("Đã tạo tài khoản.");
});

test("the language switch changes the interface and is remembered", async ({ page }) => {
  await login(page, "nhansu@kynangso.vn");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Hello, Lê Thu Hà");
  await page.reload();
  await expect(page.getByRole("navigation", { name: "Main navigation" })).toContainText("My learning");
  await page.getByRole("button", { name: "Tiếng Việt" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Xin chào, Lê Thu Hà");
});

test("main pages have no serious accessibility problems", async ({ page }) => {
  await page.goto("/login");
  await expectAccessible(page);
  await login(page, "quantri@kynangso.vn");
  for (const path of ["/me", "/me/password", "/admin", "/admin/users", "/admin/units/15"]) {
    await page.goto(path);
    await expectAccessible(page);
  }
});
