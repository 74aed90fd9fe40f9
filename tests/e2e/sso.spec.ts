// Single sign-on in the browser against a real OpenID Connect provider started here (oidc-provider,
// standing in for the province's Keycloak / WSO2 / VNPT-IDP): sign-in and sign-out, a person the
// roster does not know, a person who has left, a tampered callback, a code from a foreign
// provider, and the provider rotating its signing key.
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { freePort, startServer, type RunningServer } from "../support/server";
import { startTestProvider, type TestProvider } from "../support/oidc-provider";

const DB_FILE = "tests/.tmp/e2e.db"; // the browser suite's demo database (tests/support/e2e-server.ts)
const CLIENT = { clientId: "kynangso", clientSecret: "bi-mat-cua-ung-dung-kynangso-2026" };
let app: RunningServer;
let provider: TestProvider;
let foreign: TestProvider;

const people = {
  nhung: { email: "hocvien@kynangso.vn", name: "Nguyễn Thị Hồng Nhung" },
  moi: { email: "cb00003@laocai.gov.vn" },
  nghiviec: { email: "cb00002@laocai.gov.vn" },
  nguoila: { email: "khong.co@laocai.gov.vn" },
};

test.beforeAll(async () => {
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const redirectUri = `${appUrl}/login/sso/callback`;
  provider = await startTestProvider({ ...CLIENT, redirectUri, people });
  foreign = await startTestProvider({ ...CLIENT, redirectUri, people });
  // A person who has left, as the roster import marks them.
  const db = new Database(DB_FILE);
  db.prepare(`UPDATE "User" SET "active" = 0 WHERE "email" = ?`).run(people.nghiviec.email);
  db.close();
  app = await startServer({
    DATABASE_URL: `file:./${DB_FILE}`,
    PORT: String(port),
    APP_URL: appUrl,
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: CLIENT.clientId,
    OIDC_CLIENT_SECRET: CLIENT.clientSecret,
    OIDC_NAME: "Cổng xác thực tỉnh Lào Cai",
    JOBS_EVERY_MINUTES: "0",
  });
});

test.afterAll(async () => {
  await app?.stop();
  await provider?.stop();
  await foreign?.stop();
});

/** At the provider's own sign-in page: log in as `login`, then consent. */
async function signInAtProvider(page: Page, login: string) {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("mat-khau-tai-cong");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

async function startSso(page: Page) {
  await page.goto(`${app.url}/login`);
  await page.getByRole("link", { name: "Đăng nhập bằng Cổng xác thực tỉnh Lào Cai" }).click();
  await expect(page).toHaveURL(new RegExp(`^${provider.issuer}/interaction/`));
}

test("a civil servant signs in through the province's identity provider and signs out", async ({ page }) => {
  await startSso(page);
  await signInAtProvider(page, "nhung");
  await expect(page).toHaveURL(`${app.url}/me`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Nguyễn Thị Hồng Nhung");
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto(`${app.url}/me`);
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
});

test("a person from the roster who never had a password is signed in and counts as activated", async ({ page }) => {
  await startSso(page);
  await signInAtProvider(page, "moi");
  await expect(page).toHaveURL(`${app.url}/me`);
  const db = new Database(DB_FILE, { readonly: true });
  const row = db.prepare(`SELECT "activatedAt" FROM "User" WHERE "email" = ?`).get(people.moi.email) as { activatedAt: number | null };
  db.close();
  expect(row.activatedAt).not.toBeNull();
});

test("an identity the roster does not know gets a clear message and no account", async ({ page }) => {
  await startSso(page);
  await signInAtProvider(page, "nguoila");
  await expect(page).toHaveURL(`${app.url}/login?sso=unknown`);
  await expect(page.getByRole("alert")).toContainText("không có trong danh sách cán bộ của hệ thống");
  const db = new Database(DB_FILE, { readonly: true });
  expect(db.prepare(`SELECT COUNT(*) AS n FROM "User" WHERE "email" = ?`).get(people.nguoila.email)).toEqual({ n: 0 });
  db.close();
});

test("a person who has left is refused", async ({ page }) => {
  await startSso(page);
  await signInAtProvider(page, "nghiviec");
  await expect(page).toHaveURL(`${app.url}/login?sso=left`);
  await expect(page.getByRole("alert")).toContainText("đã nghỉ việc");
});

/**
 * Changes where our sign-in start sends the browser (the provider's authorization URL), as an
 * attacker between the browser and the provider could. Redirect hops cannot be intercepted in
 * the browser, so the start itself is fetched and answered with a changed Location.
 */
async function rewriteSsoStart(page: Page, rewrite: (location: string) => string) {
  await page.route(`${app.url}/login/sso*`, async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    await route.fulfill({ response, headers: { ...response.headers(), location: rewrite(response.headers()["location"]) } });
  });
}

test("a tampered or replayed callback signs nobody in", async ({ page }) => {
  // The provider is asked to return another state than the one this browser's attempt holds.
  await rewriteSsoStart(page, (location) => {
    const url = new URL(location);
    url.searchParams.set("state", "trang-thai-gia-mao");
    return url.href;
  });
  await page.goto(`${app.url}/login/sso`);
  await signInAtProvider(page, "nhung");
  await expect(page).toHaveURL(`${app.url}/login?sso=failed`);
  await expect(page.getByRole("alert")).toContainText("Chưa hoàn tất được đăng nhập");
  await page.unrouteAll();
  await page.context().clearCookies(); // a fresh provider session, so it asks again

  // A genuine answer replayed after use: the attempt's cookie is gone, so it is refused.
  let callback = "";
  page.on("request", (r) => {
    if (r.url().startsWith(`${app.url}/login/sso/callback`)) callback = r.url();
  });
  await startSso(page);
  await signInAtProvider(page, "nhung");
  await expect(page).toHaveURL(`${app.url}/me`);
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect(page).toHaveURL(/\/login/);
  expect(callback).toContain("code=");
  await page.goto(callback);
  await expect(page).toHaveURL(`${app.url}/login?sso=failed`);
  await page.goto(`${app.url}/me`);
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
});

test("a code issued by another provider is refused", async ({ page }) => {
  // The browser is sent to a foreign provider that knows the same client id and redirect address.
  await rewriteSsoStart(page, (location) => location.replace(provider.issuer, foreign.issuer));
  await page.goto(`${app.url}/login/sso`);
  await expect(page).toHaveURL(new RegExp(`^${foreign.issuer}/interaction/`));
  await signInAtProvider(page, "nhung");
  await expect(page).toHaveURL(`${app.url}/login?sso=failed`);
  await page.goto(`${app.url}/me`);
  await expect(page).toHaveURL(/\/login\?redirectTo=/);
});

test("sign-in keeps working after the provider rotates its signing key", async ({ page }) => {
  await provider.rotateKey();
  await startSso(page);
  await signInAtProvider(page, "nhung");
  await expect(page).toHaveURL(`${app.url}/me`);
});
