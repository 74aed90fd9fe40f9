import { expect, test, type Response } from "@playwright/test";
import fs from "node:fs";
import { expectAccessible, login } from "./helpers";

const COURSE = "Thanh toán trực tuyến phí, lệ phí trong giải quyết thủ tục hành chính";

test("a learner finds a course, reads a lesson, marks it done and resumes", async ({ page }) => {
  await login(page, "hocvien@kynangso.vn");
  await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Khóa học" }).click();
  await page.getByLabel("Chủ đề").selectOption("payment");
  await page.getByRole("button", { name: "Tìm" }).click();
  await expect(page.getByRole("link", { name: COURSE })).toBeVisible();
  await expect(page.getByRole("link", { name: /An toàn thông tin/ })).toHaveCount(0);
  await page.getByRole("link", { name: COURSE }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(COURSE);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Đăng ký học" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thu phí, lệ phí không dùng tiền mặt tại bộ phận Một cửa");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Đánh dấu đã học xong" }).click();
  await expect(page.getByText("Bài 2/6")).toBeVisible();
  await page.goto("/me");
  // The province assigned the security course to everyone: it shows as assigned, with its due date.
  await expect(page.getByText("Được giao").first()).toBeVisible();
  await expect(page.getByRole("link", { name: COURSE, exact: true })).toBeVisible();
  await page.getByRole("link", { name: COURSE, exact: true }).click();
  await expect(page.getByRole("link", { name: /^Học tiếp:/ })).toBeVisible();
});

test("a lesson's body comes once in its page, and every lesson shows its own body after links and Back", async ({ page }) => {
  await login(page, "hocvien@kynangso.vn");
  const first = "/courses/an-toan-thong-tin/mat-khau-va-xac-thuc-nhieu-lop";
  const response = await page.goto(first);
  // The stored HTML is in the page, not repeated in the data the page hydrates from.
  const html = await response!.text();
  expect(html.split("Vì sao tài khoản của bạn là mục tiêu").length - 1).toBe(1);
  const body = page.locator("article .lesson-body");
  await expect(body.getByRole("heading", { level: 2 }).first()).toHaveText("Vì sao tài khoản của bạn là mục tiêu");
  await page.getByRole("link", { name: "Bài tiếp theo →" }).click();
  await expect(page.getByText("Bài 2/6")).toBeVisible();
  await expect(body.getByRole("heading", { level: 2 }).first()).toHaveText("Vì sao cơ quan nhà nước bị nhắm tới");
  await page.goBack();
  await expect(page.getByText("Bài 1/6")).toBeVisible();
  await expect(body.getByRole("heading", { level: 2 }).first()).toHaveText("Vì sao tài khoản của bạn là mục tiêu");
  await page.getByRole("link", { name: /^← An toàn thông tin/ }).click();
  await expect(page.getByText(/Sau khóa học, bạn có thể đặt mật khẩu mạnh/)).toBeVisible();
});

test("a lesson page's first visit, with nothing cached, is plain HTML and styles under 60 KB, its figures under 150 KB more; the course page brings the app's scripts without the trainer's texts", async ({ browser, page }) => {
  await login(page, "hocvien@kynangso.vn");
  // A fresh browser profile (empty cache) with the learner's session.
  const context = await browser.newContext({ storageState: await page.context().storageState() });
  const fresh = await context.newPage();
  const sizes: Promise<number>[] = [];
  const imageSizes: Promise<number>[] = [];
  const kinds = new Set<string>();
  fresh.on("requestfinished", (request) => {
    kinds.add(request.resourceType());
    (request.resourceType() === "image" ? imageSizes : sizes).push(request.sizes().then((s) => s.responseHeadersSize + s.responseBodySize));
  });
  const scripts: Promise<string>[] = [];
  fresh.on("response", (response) => {
    if (response.request().resourceType() === "script") scripts.push(response.text());
  });
  const response = await fresh.goto("/courses/an-toan-thong-tin/mat-khau-va-xac-thuc-nhieu-lop", { waitUntil: "networkidle" });
  expect(response!.status()).toBe(200);
  expect(response!.headers()["content-encoding"]).toMatch(/^(gzip|br)$/);
  await expect(fresh.locator("article .lesson-body").getByRole("heading", { level: 2 }).first()).toHaveText("Vì sao tài khoản của bạn là mục tiêu");
  const total = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  expect([...kinds]).toEqual(expect.arrayContaining(["document", "stylesheet"]));
  expect(kinds.has("script")).toBe(false);
  expect(total).toBeGreaterThan(10 * 1024);
  expect(total).toBeLessThan(60 * 1024);
  // The lesson's figures: drawn diagrams, palette PNGs, loaded lazily.
  const images = (await Promise.all(imageSizes)).reduce((a, b) => a + b, 0);
  expect(images).toBeLessThan(150 * 1024);
  await expect(fresh.locator("article .lesson-body img").first()).toHaveAttribute("loading", "lazy");
  console.log(`lesson page, first visit: ${sizes.length} responses, ${(total / 1024).toFixed(1)} KB transferred, and ${imageSizes.length} figures, ${(images / 1024).toFixed(1)} KB`);
  // The course page runs the app: its scripts carry the learner's texts, not the trainer area's.
  await fresh.goto("/courses/an-toan-thong-tin", { waitUntil: "networkidle" });
  const code = (await Promise.all(scripts)).join("\n");
  expect(code).toContain("Bài tiếp theo");
  expect(code).not.toContain("Hướng dẫn soạn bài");
  await context.close();
});

test("a lesson reads well on a 375 px phone with JavaScript disabled", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 375, height: 740 }, javaScriptEnabled: false });
  const page = await context.newPage();
  await login(page, "giangvien@kynangso.vn");
  await page.goto("/courses/thanh-toan-truc-tuyen");
  await page.getByRole("button", { name: "Đăng ký học" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  await page.screenshot({ path: "test-results/lesson-phone.png", fullPage: false });
  await page.getByRole("button", { name: "Đánh dấu đã học xong" }).click();
  await expect(page.getByText("Bài 2/6")).toBeVisible();
  await page.getByRole("link", { name: "← Bài trước" }).click();
  await expect(page.getByRole("status")).toContainText("Bạn đã học xong bài này.");
  await context.close();
});

test("a learner takes the quiz: answers are kept across a reload, then graded with explanations", async ({ page }) => {
  await login(page, "nhansu@kynangso.vn");
  await page.goto("/courses/dich-vu-cong-truc-tuyen");
  await page.getByRole("button", { name: "Đăng ký học" }).click();
  await page.goto("/courses/dich-vu-cong-truc-tuyen/quiz");
  await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  const questions = page.locator("fieldset");
  await expect(questions).toHaveCount(10);
  await expectAccessible(page);
  const firstChoice = questions.nth(0).locator("input").first();
  await firstChoice.check();
  await expect(page.getByText("Đã tự động lưu")).toBeVisible();
  await page.reload();
  await expect(questions.nth(0).locator("input").first()).toBeChecked();
  for (let i = 1; i < 10; i++) await questions.nth(i).locator("input").first().check();
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await expect(page.getByRole("heading", { name: "Kết quả lần làm thứ 1" })).toBeVisible();
  await expect(page.getByText(/^Điểm: \d+%/)).toBeVisible();
  await expect(page.getByText("Giải thích:").first()).toBeVisible();
  await page.screenshot({ path: "test-results/quiz-result.png", fullPage: true });
});

test("no response of an open attempt carries a correct answer or an explanation, HTML or data", async ({ page }) => {
  const bank = JSON.parse(fs.readFileSync("content/courses/an-toan-thong-tin/quiz.json", "utf8")) as { questions: { prompt: string; explanation: string }[] };
  // The start of each explanation, up to a character that HTML or JSON would escape.
  const explanations = bank.questions.map((q) => q.explanation.split(/[&<>"'\\]/)[0].slice(0, 60));
  const seen: Promise<{ url: string; type: string; body: string }>[] = [];
  const record = (res: Response) => {
    seen.push(res.text().then((body) => ({ url: res.url(), type: res.headers()["content-type"] ?? "", body }), () => ({ url: res.url(), type: "", body: "" })));
  };
  await login(page, "giangvien@kynangso.vn");
  await page.goto("/courses/an-toan-thong-tin");
  const enrol = page.getByRole("button", { name: "Đăng ký học" });
  if (await enrol.isVisible()) await enrol.click();
  await page.goto("/courses/an-toan-thong-tin");

  // From here to the submission, every response is kept: navigations, single-fetch data,
  // autosaves, the explicit save and a reload.
  page.on("response", record);
  await page.getByRole("link", { name: "Bài kiểm tra cuối khóa" }).click();
  await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  const questions = page.locator("fieldset");
  await expect(questions).toHaveCount(10);
  await questions.nth(0).locator("input").first().check();
  await expect(page.getByText("Đã tự động lưu")).toBeVisible();
  await questions.nth(1).locator("input").last().check();
  await page.getByRole("button", { name: "Lưu câu trả lời" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Đã lưu câu trả lời." })).toBeVisible();
  await page.reload();
  await expect(questions.nth(1).locator("input").last()).toBeChecked();
  page.off("response", record);

  const responses = await Promise.all(seen);
  expect(responses.some((r) => r.type.includes("text/html"))).toBe(true);
  expect(responses.filter((r) => /\.data(\?|$)/.test(r.url)).length).toBeGreaterThanOrEqual(4);
  // The prompts did reach the browser, so the check below looks at the right responses.
  expect(responses.some((r) => bank.questions.some((q) => r.body.includes(q.prompt)))).toBe(true);
  for (const r of responses) {
    // The scripts name the review's fields in code; what matters is that no data carries them.
    if (!/javascript|css/.test(r.type)) expect(r.body, r.url).not.toMatch(/"correct"|isAnswer|"explanation"/);
    for (const text of explanations) expect(r.body.includes(text), r.url).toBe(false);
  }

  // After submitting, the review shows explanations: the markers above were the right ones.
  for (let i = 0; i < 10; i++) await questions.nth(i).locator("input").first().check();
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await expect(page.getByText("Giải thích:").first()).toBeVisible();
  const review = await page.content();
  expect(explanations.some((text) => review.includes(text))).toBe(true);
});

test("starting the quiz in a second tab says an attempt is open and shows it", async ({ browser }) => {
  const context = await browser.newContext();
  const first = await context.newPage();
  await login(first, "giangvien@kynangso.vn");
  await first.goto("/courses/an-toan-thong-tin");
  const enrol = first.getByRole("button", { name: "Đăng ký học" });
  if (await enrol.count()) await enrol.click();
  await first.goto("/courses/an-toan-thong-tin/quiz");
  const second = await context.newPage();
  await second.goto("/courses/an-toan-thong-tin/quiz");
  await first.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  await expect(first.getByRole("button", { name: "Nộp bài" })).toBeVisible();
  await second.getByRole("button", { name: "Bắt đầu làm bài" }).click();
  await expect(second.getByRole("alert")).toContainText("Bạn đang có một lượt làm bài chưa nộp.");
  await expect(second.getByRole("link", { name: "Tiếp tục bài đang làm" })).toBeVisible();
  await expect(second.getByRole("button", { name: "Nộp bài" })).toBeVisible();
  await expect(second.getByRole("button", { name: "Bắt đầu làm bài" })).toHaveCount(0);
  await context.close();
});
