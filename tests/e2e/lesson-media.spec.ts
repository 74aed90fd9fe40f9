// A trainer puts a video with captions and a PDF into a lesson in a real browser: the player
// loads nothing until played, then fetches the video in byte ranges (206) under the page's CSP.
import { expect, test } from "@playwright/test";
import { expectAccessible, login } from "./helpers";

test("a lesson video loads nothing until played, then streams in ranges", async ({ browser, page }) => {
  await login(page, "giangvien@kynangso.vn");
  await page.goto("/author");
  const create = page.locator("form", { has: page.getByRole("button", { name: "Tạo khóa học" }) });
  await create.getByLabel("Tên khóa học").fill("Nộp hồ sơ qua video");
  await create.getByLabel("Địa chỉ khóa học").fill("nop-ho-so-video");
  await create.getByLabel("Chủ đề").selectOption("egov");
  await create.getByRole("button", { name: "Tạo khóa học" }).click();
  const addLesson = page.locator("form", { has: page.getByRole("button", { name: "Thêm bài giảng" }) });
  await addLesson.getByLabel("Tên bài giảng").fill("Xem video hướng dẫn");
  await addLesson.getByLabel("Địa chỉ bài giảng").fill("xem-video");
  await addLesson.getByRole("button", { name: "Thêm bài giảng" }).click();
  await expect(page).toHaveURL(/\/lessons\/xem-video\?created=1$/);

  // Upload a WebM (Chromium plays it without extra codecs), its captions and a PDF.
  for (const file of ["clip.webm", "clip.vtt", "mau-to-khai.pdf"]) {
    await page.getByLabel("Chọn tệp").setInputFiles(`tests/fixtures/media/${file}`);
    await page.getByRole("button", { name: "Tải tệp lên" }).click();
    await expect(page.getByText(`Đã tải lên tệp ${file}.`)).toBeVisible();
  }

  const media: { url: string; range: string | null; status: number }[] = [];
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.startsWith("/media/nop-ho-so-video/")) media.push({ url: response.url(), range: response.request().headers().range ?? null, status: response.status() });
  });
  const source = page.getByLabel("Nội dung bài giảng (MDX)");
  await source.fill(
    '## Xem video\n\n<Video src="/media/nop-ho-so-video/clip.webm" title="Nộp hồ sơ trực tuyến" captions="/media/nop-ho-so-video/clip.vtt" />\n\n<Attachment src="/media/nop-ho-so-video/mau-to-khai.pdf" title="Mẫu tờ khai" />\n',
  );
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Đã lưu bài giảng." })).toBeVisible();
  const preview = page.getByRole("region", { name: "Xem trước" });
  const video = preview.locator("video");
  await expect(video).toHaveAttribute("preload", "none");
  await expect(preview.getByRole("link", { name: /Mẫu tờ khai/ })).toContainText("PDF, 1 KB");
  await expectAccessible(page);
  await page.waitForLoadState("networkidle");
  expect(media.filter((m) => m.url.endsWith("clip.webm"))).toEqual([]);

  // Play: the browser asks for a range and gets 206; the CSP lets the video and captions in.
  await video.evaluate((el: HTMLVideoElement) => el.play().catch(() => undefined));
  await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.readyState)).toBeGreaterThanOrEqual(2);
  const played = media.filter((m) => m.url.endsWith("clip.webm"));
  expect(played.length).toBeGreaterThan(0);
  expect(played[0]).toMatchObject({ range: "bytes=0-", status: 206 });
  await preview.screenshot({ path: "tests/.tmp/lesson-media.png" });

  // Published with a one-question quiz, the lesson's first visit by a learner stays light: the
  // page, its scripts and styles, the captions, and nothing of the video.
  await page.getByRole("link", { name: "Nộp hồ sơ qua video" }).first().click();
  const settings = page.locator("form", { has: page.getByRole("button", { name: "Lưu thông tin chung" }) });
  await settings.getByLabel("Số câu mỗi lần kiểm tra").fill("1");
  await settings.getByRole("button", { name: "Lưu thông tin chung" }).click();
  await expect(page.getByText("Đã lưu thông tin chung.")).toBeVisible();
  await page.getByRole("link", { name: "Quản lý câu hỏi" }).click();
  const form = page.locator("#question-form form");
  await form.getByLabel("Mã câu hỏi").fill("q1");
  await form.getByLabel("Loại câu hỏi").selectOption("truefalse");
  await form.getByLabel("Câu hỏi", { exact: true }).fill("Có thể nộp hồ sơ trực tuyến.");
  await form.getByLabel("Lựa chọn 1", { exact: true }).fill("Đúng");
  await form.getByLabel("Lựa chọn 2", { exact: true }).fill("Sai");
  await form.getByLabel("Đáp án đúng (Lựa chọn 1)").check();
  await form.getByRole("button", { name: "Thêm câu hỏi" }).click();
  await expect(page.getByText("Đã lưu câu hỏi q1.")).toBeVisible();
  await page.getByRole("link", { name: "Nộp hồ sơ qua video" }).first().click();
  await page.getByRole("button", { name: "Xuất bản", exact: true }).click();
  await expect(page.getByText("Đã xuất bản phiên bản 1.")).toBeVisible();

  const learner = await browser.newPage();
  await login(learner, "hocvien@kynangso.vn");
  await learner.goto("/courses/nop-ho-so-video");
  await learner.getByRole("button", { name: "Đăng ký học" }).click();
  await expect(learner.getByRole("heading", { level: 1 })).toHaveText("Xem video hướng dẫn");
  const lessonUrl = learner.url();
  const context = await browser.newContext({ storageState: await learner.context().storageState() });
  const fresh = await context.newPage();
  const sizes: Promise<number>[] = [];
  const mediaRequests: string[] = [];
  fresh.on("requestfinished", (request) => {
    if (new URL(request.url()).pathname.startsWith("/media/")) mediaRequests.push(request.url());
    sizes.push(request.sizes().then((s) => s.responseHeadersSize + s.responseBodySize));
  });
  expect((await fresh.goto(lessonUrl, { waitUntil: "networkidle" }))!.status()).toBe(200);
  await expect(fresh.locator("article .lesson-body video")).toHaveAttribute("preload", "none");
  const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  // Captions are on by default, so the browser fetches the (small) .vtt file; never the video.
  expect(mediaRequests.map((u) => new URL(u).pathname)).toEqual(["/media/nop-ho-so-video/clip.vtt"]);
  expect(total).toBeLessThan(150 * 1024);
  console.log(`lesson with a video, first visit: ${sizes.length} responses, ${(total / 1024).toFixed(1)} KB`);
  await context.close();
});
