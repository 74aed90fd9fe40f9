// Two-step sign-in in the browser, as a deployment runs it (SECOND_FACTOR=staff): a new
// administrator must set up an authenticator app before anything else, saves the recovery
// codes, adds a passkey (Chromium's virtual authenticator stands in for a fingerprint reader),
// then signs in with the passkey and, another day, with a code from the app.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import Database from "better-sqlite3";
import { Secret, TOTP } from "otpauth";
import { expect, test, type Page } from "@playwright/test";
import { freePort, startServer, type RunningServer } from "../support/server";
import { expectAccessible } from "./helpers";

const DEMO_DB = "tests/.tmp/e2e.db"; // the browser suite's demo database (tests/support/e2e-server.ts)
// A copy of it, so that the failed sign-ins other browser tests make from this machine's address
// (rate limits live in the database) never throttle this journey's sign-ins.
const DB_FILE = `tests/.tmp/e2e-second-factor-${Date.now()}.db`;
const EMAIL = `quantri.haibuoc.${Date.now()}@laocai.gov.vn`;
const PASSWORD = "Quan-tri-hai-buoc-2026";
let app: RunningServer;
let origin: string;

test.beforeAll(async () => {
  const demo = new Database(DEMO_DB, { readonly: true });
  await demo.backup(DB_FILE);
  demo.close();
  const copy = new Database(DB_FILE);
  copy.prepare(`DELETE FROM "RateLimiterFlexible"`).run();
  copy.close();
  const port = await freePort();
  // A passkey belongs to a domain name: the site is opened as localhost, never as an IP address.
  origin = `http://localhost:${port}`;
  const env = { ...process.env, DATABASE_URL: `file:./${DB_FILE}`, NODE_ENV: "production" as const, APP_URL: origin };
  const created = spawnSync("npx", ["tsx", "scripts/kns.ts", "create-admin", "--email", EMAIL, "--unit", "15", "--name", "Đỗ Minh Châu"], {
    env,
    input: `${PASSWORD}\n${PASSWORD}\n`,
    encoding: "utf8",
  });
  expect(created.status, created.stderr).toBe(0);
  app = await startServer({ DATABASE_URL: `file:./${DB_FILE}`, PORT: String(port), APP_URL: origin, SECOND_FACTOR: "staff", JOBS_EVERY_MINUTES: "0" });
});
test.afterAll(async () => {
  await app?.stop();
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(DB_FILE + suffix, { force: true });
});

/** Signs out and waits until the site says so, so that the next page is not asked for by the old session. */
async function signOut(page: Page) {
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page.getByRole("link", { name: "Đăng nhập" })).toBeVisible();
}

async function signInWithPassword(page: Page) {
  await page.goto(`${origin}/login`);
  await page.getByLabel("Email").fill(EMAIL);
  await page.getByLabel("Mật khẩu").fill(PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
}

test("a new administrator sets up the app and a passkey, then signs in with each", async ({ page }) => {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });

  // A password alone opens nothing but the set-up page.
  await signInWithPassword(page);
  await expect(page).toHaveURL(`${origin}/me/security?required=1`);
  await expect(page.getByText("Tài khoản cán bộ nhân sự và quản trị phải bật xác thực hai bước.")).toBeVisible();
  await page.goto(`${origin}/admin`);
  await expect(page).toHaveURL(`${origin}/me/security?required=1`);

  await page.getByRole("button", { name: "Thiết lập ứng dụng xác thực" }).click();
  await expect(page.getByText("1. Mở ứng dụng xác thực, chọn thêm tài khoản và quét mã QR này.")).toBeVisible();
  await expect(page.locator("svg").first()).toBeVisible();
  const key = (await page.locator("code.font-mono").textContent())!.replace(/\s/g, "");
  const authenticator = new TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(key) });
  await page.screenshot({ path: "test-results/second-factor-setup.png", fullPage: true });
  await page.getByLabel("2. Nhập mã 6 chữ số ứng dụng đang hiện").fill(authenticator.generate());
  await page.getByRole("button", { name: "Xác nhận và bật" }).click();
  await expect(page.getByText("Đã bật xác thực hai bước bằng ứng dụng.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Mã khôi phục" }).getByRole("listitem")).toHaveCount(10);
  await expectAccessible(page);
  await page.screenshot({ path: "test-results/second-factor-recovery-codes.png", fullPage: true });

  // The session that set up the app is confirmed: the administration opens.
  await page.goto(`${origin}/admin`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quản trị hệ thống");

  await page.goto(`${origin}/me/security`);
  await page.getByLabel("Tên gợi nhớ").fill("Máy tính cơ quan");
  await page.getByRole("button", { name: "Thêm khóa truy cập" }).click();
  await expect(page.getByText("Đã thêm khóa truy cập.")).toBeVisible();
  await expect(page.getByText("Máy tính cơ quan", { exact: true })).toBeVisible();
  await expect(page.getByLabel("Tên gợi nhớ")).toHaveValue("");
  await page.screenshot({ path: "test-results/second-factor-passkey.png", fullPage: true });

  // Another day: password, then the passkey.
  await signOut(page);
  await signInWithPassword(page);
  await expect(page).toHaveURL(/\/login\/verify\?redirectTo=/);
  await expect(page.getByRole("heading", { name: "Xác minh đăng nhập" })).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: "test-results/second-factor-verify.png", fullPage: true });
  await page.getByRole("button", { name: "Dùng khóa truy cập (passkey)" }).click();
  await expect(page).toHaveURL(`${origin}/me`);
  await page.goto(`${origin}/admin`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quản trị hệ thống");

  // And with a code from the app (one of the next time step: the first was spent on set-up).
  await signOut(page);
  await signInWithPassword(page);
  await page.getByLabel("Mã xác thực").fill("123456");
  await page.getByRole("button", { name: "Xác minh", exact: true }).click();
  await expect(page.getByText("Mã không đúng hoặc đã được dùng.")).toBeVisible();
  await page.getByLabel("Mã xác thực").fill(authenticator.generate({ timestamp: Date.now() + 30_000 }));
  await page.getByRole("button", { name: "Xác minh", exact: true }).click();
  await expect(page).toHaveURL(`${origin}/me`);
});
