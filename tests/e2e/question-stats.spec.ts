// A trainer reads how the questions of a shipped course perform, on a desktop and on a 390 px
// phone: reachable from the quiz bank, accessible, no sideways scrolling.
import { expect, test } from "@playwright/test";
import { expectAccessible, login } from "./helpers";

const COURSE = "/author/an-toan-thong-tin";

for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
  test(`the question statistics read well at ${viewport.width} px`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await login(page, "giangvien@kynangso.vn");
    await page.goto(`${COURSE}/quiz`);
    await page.getByRole("link", { name: "Xem thống kê câu hỏi" }).click();
    await expect(page).toHaveURL(/\/quiz\/stats$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Thống kê câu hỏi: /);
    await expect(page.getByRole("heading", { name: "Phân bố điểm" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Tỉ lệ đạt theo đơn vị" })).toBeVisible();
    // The demo's graded attempts drew questions: at least one has figures.
    await expect(page.getByText("Chỉ số phân loại").first()).toBeVisible();
    await expectAccessible(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(viewport.width);
    // For a look by eye: the top of the page, the charts and the first flagged question.
    await page.screenshot({ path: `tests/.tmp/question-stats-${viewport.width}-top.png` });
    await page.locator("section", { has: page.getByRole("heading", { name: "Tỉ lệ đạt theo đơn vị" }) }).screenshot({ path: `tests/.tmp/question-stats-${viewport.width}-units.png` });
    await page.locator("li.card").first().screenshot({ path: `tests/.tmp/question-stats-${viewport.width}-question.png` });

    // Every learner's first attempt only: the same page, the choice kept.
    await page.getByLabel("Tính các lần làm bài").selectOption("first");
    await page.getByRole("button", { name: "Xem", exact: true }).click();
    await expect(page).toHaveURL(/attempts=first/);
    await expect(page.getByLabel("Tính các lần làm bài")).toHaveValue("first");
  });
}
