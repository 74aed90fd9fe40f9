// A trainer puts a video with captions and a PDF into a lesson in a real browser: the player
// loads nothing until played, then fetches the video in byte ranges (206) under the page's CSP.
import { expect, test } from "@playwright/test";
import { expectAccessible, login } from "./helpers";

test("a lesson video loads nothing until played, then streams in ranges", async ({ page }) => {
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
});
