// With the keyboard only: sign in, enrol, and read lessons. After each navigation focus is on the
// new page's heading, so a second key press never acts on the next page unread; every focused
// control shows a ring that can be seen, on the blue header too.
import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "./helpers";

const SLUG = "tri-tue-nhan-tao-tao-sinh";

/** Presses Tab until the focused element has this accessible text; fails after 80 presses. */
async function tabTo(page: Page, text: string | RegExp) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? "");
    if (typeof text === "string" ? focused === text : text.test(focused)) return;
  }
  throw new Error(`Tab never reached "${text}"`);
}

/** The focused element's outline: width in px and colour. */
const ring = (page: Page) =>
  page.evaluate(() => {
    const style = getComputedStyle(document.activeElement as Element);
    return { width: parseFloat(style.outlineWidth), style: style.outlineStyle, color: style.outlineColor };
  });

test("a learner with only a keyboard signs in, enrols and reads two lessons without skipping one", async ({ page }) => {
  await page.goto("/login");
  await tabTo(page, /^English$/);
  // On the dark header the ring is white.
  expect(await ring(page)).toMatchObject({ width: 2, style: "solid", color: "rgb(255, 255, 255)" });
  await page.getByLabel("Email").focus();
  await page.keyboard.type("nhansu@kynangso.vn");
  await page.keyboard.press("Tab");
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/me$/);

  await page.goto(`/courses/${SLUG}`);
  await tabTo(page, "Đăng ký học");
  expect((await ring(page)).width).toBeGreaterThanOrEqual(2);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/courses/${SLUG}/[a-z0-9-]+$`));
  const first = page.url();
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();

  await tabTo(page, "Đánh dấu đã học xong");
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.toString() !== first);
  const second = page.url();
  // Focus is on the second lesson's heading: pressing Enter again does nothing.
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
  await page.keyboard.press("Enter");
  await page.waitForLoadState("networkidle");
  expect(page.url()).toBe(second);
  await page.goto(`/courses/${SLUG}`);
  await expect(page.getByText(/· Đã học$/)).toHaveCount(1);
});
