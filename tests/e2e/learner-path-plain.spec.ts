// The learner path two more ways: on a phone with JavaScript off (every step is a plain form and
// link), and on a desktop with the keyboard alone, through the quiz to the certificate. On every
// page: targets of at least 24×24 px, and with the keyboard a visible focus ring on whatever has
// focus, which after each navigation is the new page's heading.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "./helpers";

type Bank = { questions: { prompt: string; choices: { text: string; correct: boolean }[] }[] };
const bankOf = (slug: string) => JSON.parse(fs.readFileSync(`content/courses/${slug}/quiz.json`, "utf8")) as Bank;
const lessonCount = (slug: string) => fs.readdirSync(`content/courses/${slug}/lessons`).filter((f) => f.endsWith(".mdx")).length;

/**
 * Targets that fail WCAG 2.2's target size (2.5.8): smaller than 24×24 px and closer to another
 * target than the criterion's spacing allows (a 24 px circle centred on each undersized target
 * touches no other target and no other such circle). A check box or radio button counts with its
 * label, which takes the tap too; a link inside a sentence is exempt, as the criterion says;
 * something visually hidden until focused (the skip link) is not a target until then.
 */
async function expectTargetsAtLeast24(page: Page) {
  const small = await page.evaluate(() => {
    type Target = { name: string; box: DOMRect; undersized: boolean };
    const targets: Target[] = [];
    for (const el of document.querySelectorAll<HTMLElement>("a[href], button, input:not([type=hidden]), select, textarea, summary")) {
      const target = (el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio") && el.closest("label")) || el;
      const box = target.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1 || getComputedStyle(target).visibility === "hidden") continue;
      // A link around an image not loaded yet (lazy, below the fold) becomes the image's size.
      if ([...el.querySelectorAll("img")].some((img) => !img.complete || img.naturalWidth === 0)) continue;
      const parent = el.parentElement;
      const inSentence = el.tagName === "A" && getComputedStyle(el).display === "inline" && parent !== null && parent.innerText.trim().length > el.innerText.trim().length;
      if (inSentence) continue;
      const name = `${el.tagName.toLowerCase()} "${(el.innerText || el.getAttribute("aria-label") || el.getAttribute("name") || "").trim().slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`;
      targets.push({ name, box, undersized: box.width < 24 || box.height < 24 });
    }
    const centre = (b: DOMRect) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
    const circleTouches = (c: { x: number; y: number }, b: DOMRect) => Math.hypot(Math.max(b.left - c.x, 0, c.x - b.right), Math.max(b.top - c.y, 0, c.y - b.bottom)) < 12;
    return targets
      .filter((t) => t.undersized)
      .filter((t) => {
        const c = centre(t.box);
        return targets.some((o) => o !== t && (circleTouches(c, o.box) || (o.undersized && Math.hypot(c.x - centre(o.box).x, c.y - centre(o.box).y) < 24)));
      })
      .map((t) => t.name);
  });
  expect(small, page.url()).toEqual([]);
}

test.describe("with JavaScript off, on a phone", () => {
  test.use({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

  test("a learner signs in, reads every lesson, is told which questions are blank, passes and downloads the certificate", async ({ page }) => {
    const slug = "chu-ky-so-van-ban-dien-tu";
    const bank = bankOf(slug);
    await page.goto("/login");
    await expectTargetsAtLeast24(page);
    await page.getByLabel("Email").fill("hocvien@kynangso.vn");
    await page.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
    await expect(page).toHaveURL(/\/me$/);
    await expectTargetsAtLeast24(page);

    await page.goto(`/courses/${slug}`);
    await expectTargetsAtLeast24(page);
    await page.getByRole("button", { name: "Đăng ký học" }).click();
    for (let i = 0; i < lessonCount(slug); i++) {
      await expectTargetsAtLeast24(page);
      const before = page.url();
      await page.getByRole("button", { name: "Đánh dấu đã học xong" }).click();
      await page.waitForURL((url) => url.toString() !== before);
    }
    // After the last lesson the quiz page comes next.
    await expect(page).toHaveURL(new RegExp(`/courses/${slug}/quiz$`));
    await page.getByRole("button", { name: "Bắt đầu làm bài" }).click();
    const questions = page.locator("fieldset");
    await expect(questions).toHaveCount(10);
    await expectTargetsAtLeast24(page);

    // One answer and Submit: the server names the nine blank questions and grades nothing.
    await questions.nth(0).locator("input").first().check();
    await page.getByRole("button", { name: "Nộp bài" }).click();
    await expect(page.getByText("Bạn còn 9 câu chưa trả lời")).toBeVisible();
    for (const n of [2, 10]) await expect(page.getByRole("link", { name: `Câu ${n}`, exact: true })).toBeVisible();
    await expect(questions).toHaveCount(10);

    for (let i = 0; i < 10; i++) {
      const fieldset = questions.nth(i);
      const prompt = (await fieldset.locator("legend").innerText()).split("\n").pop()!.trim();
      const question = bank.questions.find((q) => q.prompt === prompt);
      expect(question, prompt).toBeTruthy();
      for (const choice of question!.choices) {
        const box = fieldset.getByLabel(choice.text, { exact: true });
        if (choice.correct) await box.check();
        else if ((await box.getAttribute("type")) === "checkbox") await box.uncheck();
      }
    }
    await page.getByRole("button", { name: "Vẫn nộp bài" }).click();
    await expect(page.getByText("Chúc mừng, bạn đã qua bài kiểm tra.")).toBeVisible();
    await expectTargetsAtLeast24(page);
    await page.screenshot({ path: "test-results/no-js-passed.png", fullPage: true });

    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "Tải Giấy chứng nhận (PDF)" }).click();
    const file = `tests/.tmp/no-js-certificate-${Date.now()}.pdf`;
    await (await download).saveAs(file);
    const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
    fs.rmSync(file);
    expect(text).toContain("GIẤY CHỨNG NHẬN");
    expect(text).toContain("Nguyễn Thị Hồng Nhung");
  });
});

/** Presses Tab until the focused element satisfies `done`; fails after `limit` presses. */
async function tabUntil(page: Page, done: () => Promise<boolean>, what: string, limit = 120) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    await expectVisibleRing(page);
    if (await done()) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

const focusedText = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? "");
const tabTo = (page: Page, text: string | RegExp) => tabUntil(page, async () => {
  const focused = await focusedText(page);
  return typeof text === "string" ? focused === text : text.test(focused);
}, String(text));

/** Whatever has focus shows it: an outline of at least 2 px, or a check box's or radio's own ring. */
async function expectVisibleRing(page: Page) {
  const ring = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: "body", width: 2, style: "solid" };
    const style = getComputedStyle(el);
    return { tag: `${el.tagName.toLowerCase()} ${el.innerText?.trim().slice(0, 30) ?? ""}`, width: parseFloat(style.outlineWidth), style: style.outlineStyle };
  });
  expect(ring.style === "none" ? 0 : ring.width, `focus ring on ${ring.tag}`).toBeGreaterThanOrEqual(2);
}

test("with the keyboard alone a learner reads every lesson, answers the quiz, passes and downloads the certificate", async ({ page }) => {
  const slug = "mot-cua-dien-tu";
  const bank = bankOf(slug);
  await page.goto("/login");
  await page.getByLabel("Email").focus();
  await page.keyboard.type("giangvien@kynangso.vn");
  await page.keyboard.press("Tab");
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/me$/);

  await page.goto(`/courses/${slug}`);
  await tabTo(page, "Đăng ký học");
  await page.keyboard.press("Enter");
  for (let i = 0; i < lessonCount(slug); i++) {
    await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
    await expectTargetsAtLeast24(page);
    const before = page.url();
    await tabTo(page, "Đánh dấu đã học xong");
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.toString() !== before);
  }
  await expect(page).toHaveURL(new RegExp(`/courses/${slug}/quiz$`));
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  await tabTo(page, "Bắt đầu làm bài");
  await page.keyboard.press("Enter");
  await expect(page.locator("fieldset")).toHaveCount(10);
  await expectTargetsAtLeast24(page);

  // Through the questions with Tab, arrows and Space, as a keyboard user answers them.
  const focusedChoice = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      if (!(el instanceof HTMLInputElement) || (el.type !== "radio" && el.type !== "checkbox")) return null;
      const prompt = el.closest("fieldset")?.querySelector("legend")?.innerText.split("\n").pop()?.trim() ?? "";
      return { type: el.type, checked: el.checked, label: el.closest("label")?.innerText.trim() ?? "", prompt };
    });
  const correct = (prompt: string, label: string) => bank.questions.find((q) => q.prompt === prompt)?.choices.find((c) => c.text === label)?.correct ?? false;
  let answered = 0;
  await tabUntil(
    page,
    async () => {
      let choice = await focusedChoice();
      if (choice?.type === "radio") {
        // Arrow keys move through a group and select as they go.
        for (let k = 0; k < 8 && !correct(choice!.prompt, choice!.label); k++) {
          await page.keyboard.press("ArrowDown");
          choice = await focusedChoice();
        }
        expect(correct(choice!.prompt, choice!.label), choice!.prompt).toBe(true);
        // Tab lands on a group's first button without choosing it.
        if (!choice!.checked) await page.keyboard.press("Space");
        answered++;
      } else if (choice?.type === "checkbox") {
        if (correct(choice.prompt, choice.label) !== choice.checked) await page.keyboard.press("Space");
      }
      return (await focusedText(page)) === "Nộp bài";
    },
    "Nộp bài",
    200,
  );
  expect(answered).toBeGreaterThan(0);
  page.once("dialog", (d) => d.accept());
  await page.keyboard.press("Enter");
  await expect(page.getByText("Chúc mừng, bạn đã qua bài kiểm tra.")).toBeVisible();
  await expectTargetsAtLeast24(page);
  const download = page.waitForEvent("download");
  await tabTo(page, "Tải Giấy chứng nhận (PDF)");
  await page.keyboard.press("Enter");
  const file = `tests/.tmp/keyboard-certificate-${Date.now()}.pdf`;
  await (await download).saveAs(file);
  const text = execFileSync("pdftotext", [file, "-"], { encoding: "utf8" });
  fs.rmSync(file);
  expect(text).toContain("Trần Minh Đức");
});
