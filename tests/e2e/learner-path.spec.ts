// The whole learner path on a 390 px phone, as a civil servant with weak IT skills walks it:
// enrol, read every lesson, be told the quiz is next, be warned about blank questions by
// number, pass, and reach the certificate in one tap.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { expectAccessible, login } from "./helpers";

const SLUG = "an-toan-tren-dien-thoai";
const TITLE = "Làm việc an toàn trên điện thoại di động";
type Bank = { questions: { prompt: string; choices: { text: string; correct: boolean }[] }[] };
const bank = JSON.parse(fs.readFileSync(`content/courses/${SLUG}/quiz.json`, "utf8")) as Bank;

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

test("on a phone: start, read every lesson, warned about blank questions, pass, and download the certificate", async ({ page }) => {
  await login(page, "quantri@kynangso.vn");
  await page.goto(`/courses/${SLUG}`);
  // What to do comes first on a phone, before the introduction and the list of lessons.
  const enrol = page.getByRole("button", { name: "Đăng ký học" });
  await expect(enrol).toBeInViewport();
  await enrol.click();

  // Every lesson, one after the other; focus moves to each new page's heading.
  const lessons = fs.readdirSync(`content/courses/${SLUG}/lessons`).filter((f) => f.endsWith(".mdx")).length;
  for (let i = 0; i < lessons; i++) {
    if (i > 0) await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
    if (i === 0) {
      // A figure's small print opens full size with one tap: the image links to itself.
      const figure = page.locator("figure a").first();
      const href = (await figure.getAttribute("href")) ?? "";
      expect(href).toBe(await figure.locator("img").getAttribute("src"));
      expect((await page.request.get(href)).status()).toBe(200);
    }
    const before = page.url();
    await page.getByRole("button", { name: "Đánh dấu đã học xong" }).click();
    await page.waitForURL((url) => url.toString() !== before);
  }
  await page.goto(`/courses/${SLUG}`);
  await expect(page.getByText("Bạn đã học xong các bài. Bước cuối cùng: làm bài kiểm tra để nhận Giấy chứng nhận.")).toBeVisible();
  await page.getByRole("link", { name: "Làm bài kiểm tra" }).click();
  await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();

  // One answer, then Submit: the confirmation names the nine blank questions, and cancelling keeps the attempt open.
  const questions = page.locator("fieldset");
  await expect(questions).toHaveCount(10);
  await questions.nth(0).locator("input").first().check();
  let message = "";
  page.once("dialog", async (d) => {
    message = d.message();
    await d.dismiss();
  });
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await expect.poll(() => message).toContain("Bạn chưa trả lời 9/10 câu: câu 2, 3, 4, 5, 6, 7, 8, 9, 10.");
  await expect(questions).toHaveCount(10);

  // Now every question, answered from the bank.
  for (let i = 0; i < 10; i++) {
    const fieldset = questions.nth(i);
    const legend = (await fieldset.locator("legend").innerText()).split("\n").pop()!.trim();
    const question = bank.questions.find((q) => q.prompt === legend);
    expect(question, legend).toBeTruthy();
    for (const choice of question!.choices) {
      const box = fieldset.getByLabel(choice.text, { exact: true });
      if (choice.correct) await box.check();
      else if ((await box.getAttribute("type")) === "checkbox") await box.uncheck();
    }
  }
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Nộp bài" }).click();
  await expect(page.getByText("Chúc mừng, bạn đã qua bài kiểm tra.")).toBeVisible();
  await expect(page.getByText(/Số lần làm còn lại/)).toHaveCount(0);
  await expectAccessible(page);
  await page.screenshot({ path: "test-results/learner-path-passed.png", fullPage: true });

  // One tap to the certificate.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Tải Giấy chứng nhận (PDF)" }).click();
  const file = `tests/.tmp/phone-certificate-${Date.now()}.pdf`;
  await (await download).saveAs(file);
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
  fs.rmSync(file);
  expect(text).toContain("GIẤY CHỨNG NHẬN");
  expect(text).toContain("Phạm Quang Huy");
  expect(text.replace(/\s+/g, " ")).toContain(TITLE);
});
