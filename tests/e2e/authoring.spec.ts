import { expect, test } from "@playwright/test";
import { expectAccessible, login } from "./helpers";

test("a trainer builds a course in the browser, previews MDX and publishes it", async ({ page }) => {
  await login(page, "giangvien@kynangso.vn");
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Soạn bài giảng" }).click();
  await expect(page).toHaveURL(/\/author$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Soạn bài giảng");
  await expectAccessible(page);

  // Create the course.
  const create = page.locator("form", { has: page.getByRole("button", { name: "Tạo khóa học" }) });
  await create.getByLabel("Tên khóa học").fill("Sử dụng chữ ký số trên điện thoại");
  await create.getByLabel("Địa chỉ khóa học").fill("Chữ ký số");
  await create.getByLabel("Chủ đề").selectOption("egov");
  await create.getByRole("button", { name: "Tạo khóa học" }).click();
  await expect(page.getByText("Địa chỉ chỉ gồm chữ thường không dấu")).toBeVisible();
  await create.getByLabel("Địa chỉ khóa học").fill("chu-ky-so-tren-dien-thoai");
  await create.getByRole("button", { name: "Tạo khóa học" }).click();
  await expect(page).toHaveURL(/\/author\/chu-ky-so-tren-dien-thoai\?created=1$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sử dụng chữ ký số trên điện thoại");
  await expectAccessible(page);

  // Add a lesson: the editor opens.
  const addLesson = page.locator("form", { has: page.getByRole("button", { name: "Thêm bài giảng" }) });
  await addLesson.getByLabel("Tên bài giảng").fill("Ký văn bản bằng điện thoại");
  await addLesson.getByLabel("Địa chỉ bài giảng").fill("ky-van-ban");
  await addLesson.getByRole("button", { name: "Thêm bài giảng" }).click();
  await expect(page).toHaveURL(/\/lessons\/ky-van-ban\?created=1$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Soạn bài: Ký văn bản bằng điện thoại");

  // A mistake is shown with its line and column, and the text stays.
  const source = page.getByLabel("Nội dung bài giảng (MDX)");
  await source.fill("## Chuẩn bị\n\nMã hồ sơ: {hoSo.ma}\n");
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  await expect(page.getByText("Dòng 3, cột 11:")).toBeVisible();
  await expect(source).toHaveValue("## Chuẩn bị\n\nMã hồ sơ: {hoSo.ma}\n");
  // The lines are numbered, and the problem's place is a button that puts the caret there.
  await expect(page.locator('[aria-hidden="true"]', { hasText: /^1\s*2\s*3\s*4$/ })).toBeVisible();
  await page.getByRole("button", { name: /^Dòng 3, cột 11:/ }).click();
  await expect(source).toBeFocused();
  expect(await source.evaluate((el: HTMLTextAreaElement) => el.selectionStart)).toBe("## Chuẩn bị\n\n".length + 10);
  await page.screenshot({ path: "test-results/editor-line-numbers.png" });

  // Preview renders the Callout; then save.
  await source.fill('## Chuẩn bị\n\nCài ứng dụng ký số của nhà cung cấp.\n\n<Callout type="warning" title="Giữ bí mật mã PIN">\n\nKhông ai được hỏi mã PIN ký số của bạn.\n\n</Callout>\n');
  await page.getByRole("button", { name: "Xem trước" }).click();
  const preview = page.getByRole("region", { name: "Xem trước" });
  await expect(preview.getByRole("note", { name: "Giữ bí mật mã PIN" })).toContainText("Không ai được hỏi mã PIN");
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Đã lưu bài giảng." })).toBeVisible();
  await expectAccessible(page);

  // With JavaScript the preview follows the typing, without pressing anything.
  await source.fill('<Callout type="tip" title="Xem ngay khi gõ">\n\nBản xem trước tự cập nhật.\n\n</Callout>\n');
  await expect(preview.getByRole("note", { name: "Xem ngay khi gõ" })).toBeVisible();

  // Settings: a small quiz for this course.
  await page.getByRole("link", { name: "Sử dụng chữ ký số trên điện thoại" }).click();
  const settings = page.locator("form", { has: page.getByRole("button", { name: "Lưu thông tin chung" }) });
  await settings.getByLabel("Số câu mỗi lần kiểm tra").fill("2");
  await settings.getByRole("button", { name: "Lưu thông tin chung" }).click();
  await expect(page.getByText("Đã lưu thông tin chung.")).toBeVisible();

  // Two questions; one without a correct answer is refused first.
  await page.getByRole("link", { name: "Quản lý câu hỏi" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Ngân hàng câu hỏi");
  await expectAccessible(page);
  const form = page.locator("#question-form form");
  await form.getByLabel("Mã câu hỏi").fill("q1");
  await form.getByLabel("Câu hỏi", { exact: true }).fill("Ai được biết mã PIN ký số của bạn?");
  await form.getByLabel("Lựa chọn 1", { exact: true }).fill("Chỉ mình bạn");
  await form.getByLabel("Lựa chọn 2", { exact: true }).fill("Văn thư cơ quan");
  await form.getByRole("button", { name: "Thêm câu hỏi" }).click();
  await expect(page.getByRole("alert")).toContainText("Chưa có đáp án đúng");
  await page.locator("#question-form form").getByLabel("Đáp án đúng (Lựa chọn 1)").check();
  await page.locator("#question-form form").getByRole("button", { name: "Thêm câu hỏi" }).click();
  await expect(page.getByText("Đã lưu câu hỏi q1.")).toBeVisible();
  const second = page.locator("#question-form form");
  await second.getByLabel("Mã câu hỏi").fill("q2");
  await second.getByLabel("Loại câu hỏi").selectOption("truefalse");
  await second.getByLabel("Câu hỏi", { exact: true }).fill("Chữ ký số có giá trị như chữ ký tay.");
  await second.getByLabel("Lựa chọn 1", { exact: true }).fill("Đúng");
  await second.getByLabel("Lựa chọn 2", { exact: true }).fill("Sai");
  await second.getByLabel("Đáp án đúng (Lựa chọn 1)").check();
  await second.getByRole("button", { name: "Thêm câu hỏi" }).click();
  await expect(page.getByText("Đã lưu câu hỏi q2.")).toBeVisible();

  // Publish.
  await page.getByRole("link", { name: "Sử dụng chữ ký số trên điện thoại" }).click();
  await page.getByRole("button", { name: "Xuất bản", exact: true }).click();
  await expect(page.getByText("Đã xuất bản phiên bản 1.")).toBeVisible();
  await expect(page.getByRole("table")).toContainText("Trần Minh Đức");
  await expectAccessible(page);

  await page.goto("/author/guide");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hướng dẫn soạn bài giảng");
  await expectAccessible(page);
});

test("the trainer area fits a 375 px phone", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await login(page, "giangvien@kynangso.vn");
  // A shipped course (from content/) is open to every trainer.
  const course = "/author/an-toan-thong-tin";
  for (const path of ["/author", course, `${course}/lessons/mat-khau-va-xac-thuc-nhieu-lop`, `${course}/quiz`, "/author/guide"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    // When the page is wider than the screen, name an element that sticks out (content
    // inside a sideways-scrolling box, such as a code sample, may be wider).
    const wide = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      if (document.documentElement.scrollWidth <= width) return null;
      const scrolls = (el: Element | null): boolean =>
        !!el && el !== document.body && (["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX) || scrolls(el.parentElement));
      const offender = [...document.querySelectorAll("body *")].find((el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el.parentElement));
      return offender ? `${offender.tagName.toLowerCase()}.${offender.className}` : "unknown";
    });
    expect(wide, path).toBeNull();
  }
});
