// Going live, in the browser: HR imports people and mails them activation; a person opens the
// mail a real SMTP server received, sets a password and finds the course assigned to them; an
// activation letter's code works once; a forgotten password; the first administrator of an
// empty database.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { freePort, startServer, type RunningServer } from "../support/server";
import { startSmtpServer } from "../support/smtp";
import { DEMO_PASSWORD } from "./helpers";

const DB_FILE = "tests/.tmp/e2e.db"; // the browser suite's demo database (tests/support/e2e-server.ts)
let app: RunningServer;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

test.beforeAll(async () => {
  smtp = await startSmtpServer();
  const port = await freePort();
  app = await startServer({ DATABASE_URL: `file:./${DB_FILE}`, PORT: String(port), APP_URL: `http://127.0.0.1:${port}`, SMTP_URL: smtp.url, JOBS_EVERY_MINUTES: "0" });
});
test.afterAll(async () => {
  await app?.stop();
  await smtp?.stop();
});

async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto(`${app.url}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Mật khẩu").fill(password);
  await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
  await expect(page).toHaveURL(`${app.url}/me`);
}

const linkIn = (text: string) => /http:\/\/127\.0\.0\.1:\d+\/activate\/[A-Za-z0-9_-]{43}/.exec(text)![0];

async function setPassword(page: Page, password: string) {
  await page.getByLabel("Mật khẩu mới", { exact: true }).fill(password);
  await page.getByLabel("Nhập lại mật khẩu mới").fill(password);
  await page.getByRole("button", { name: "Lưu mật khẩu và đăng nhập" }).click();
  await expect(page).toHaveURL(`${app.url}/me`);
}

test("HR imports three people and mails them activation; one opens the mail, sets a password and finds the assigned course", async ({ page, browser }) => {
  await signIn(page, "nhansu@kynangso.vn");
  await page.goto(`${app.url}/hr/assignments`);
  await page.getByLabel("Mã đơn vị áp dụng").fill("15.SNV");
  await page.getByRole("combobox", { name: "Khóa học" }).selectOption({ label: "Thanh toán trực tuyến phí, lệ phí trong giải quyết thủ tục hành chính" });
  await page.getByRole("region", { name: "Giao khóa học" }).getByLabel("Hạn hoàn thành").fill("2027-06-30");
  await page.getByLabel(/Chức vụ áp dụng/).fill("Chuyên viên kích hoạt");
  await page.getByRole("button", { name: "Giao khóa học" }).click();
  await expect(page.getByText(/Đã giao khóa học, ghi danh 0 người\./)).toBeVisible();

  await page.goto(`${app.url}/hr/staff`);
  await page.getByLabel("Tệp danh sách").setInputFiles(path.resolve("tests/fixtures/rosters/activation.csv"));
  await page.getByRole("button", { name: "Kiểm tra trước" }).click();
  await expect(page.getByText("Thêm mới 3, cập nhật 0, chuyển nghỉ việc 0, không đổi 0.")).toBeVisible();
  await page.getByRole("button", { name: "Áp dụng thay đổi" }).click();
  await expect(page.getByText("Đã áp dụng: thêm mới 3")).toBeVisible();

  await page.goto(`${app.url}/hr/staff?unit=15.SNV&position=kích+hoạt&account=notActivated`);
  for (const name of ["Lò Thị Mai", "Sùng A Dính", "Vàng Thị Sua"]) await page.getByRole("checkbox", { name: `Chọn ${name}` }).check();
  await page.getByRole("button", { name: "Gửi thư kích hoạt cho người đã chọn" }).click();
  await expect(page.getByText("Đã xếp 3 thư kích hoạt vào hàng gửi.")).toBeVisible();

  const [mail] = await smtp.mailTo("lothimai@laocai.gov.vn");
  expect(mail.subject).toBe("Kích hoạt tài khoản Kỹ Năng Số");
  expect(mail.text).toContain("Kính gửi Lò Thị Mai,");
  const person = await browser.newPage();
  await person.goto(linkIn(mail.text));
  await expect(person).toHaveURL(`${app.url}/activate`);
  await expect(person.getByText("Tài khoản: Lò Thị Mai (lothimai@laocai.gov.vn)")).toBeVisible();
  await setPassword(person, "Mai-hoc-so-2026");
  await expect(person.getByText("Thanh toán trực tuyến phí, lệ phí trong giải quyết thủ tục hành chính")).toBeVisible();

  // The roster now shows her account as active.
  await page.goto(`${app.url}/hr/staff?q=Lò+Thị+Mai`);
  await expect(page.getByRole("row", { name: /Lò Thị Mai/ })).toContainText("Đang hoạt động");
});

test("an activation letter's code works once", async ({ page, browser }) => {
  await signIn(page, "nhansu@kynangso.vn");
  await page.goto(`${app.url}/hr/staff?unit=15.VP`);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "In thư kích hoạt (PDF)" }).click();
  const file = path.resolve(`tests/.tmp/letters-${Date.now()}.pdf`);
  await (await download).saveAs(file);
  const text = execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
  fs.rmSync(file);
  const letter = text.split("\f")[0];
  const code = /[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/.exec(letter)![0];

  const person = await browser.newPage();
  await person.goto(`${app.url}/login`);
  await person.getByRole("link", { name: "Lần đầu sử dụng? Kích hoạt tài khoản" }).click();
  await person.getByLabel("Mã kích hoạt").fill(code.toLowerCase());
  await person.getByRole("button", { name: "Tiếp tục" }).click();
  await setPassword(person, "Thu-kich-hoat-26");

  const again = await browser.newPage();
  await again.goto(`${app.url}/activate`);
  await again.getByLabel("Mã kích hoạt").fill(code);
  await again.getByRole("button", { name: "Tiếp tục" }).click();
  await expect(again.getByRole("alert")).toContainText("Mã hoặc liên kết không đúng, đã được dùng hoặc đã hết hạn");
});

test("a forgotten password is reset from the mail", async ({ page }) => {
  await page.goto(`${app.url}/login`);
  await page.getByRole("link", { name: "Quên mật khẩu?" }).click();
  // The sign-in page has an Email field too: wait for the new page before typing.
  await expect(page.getByRole("heading", { name: "Quên mật khẩu" })).toBeVisible();
  // Someone from the demo roster (the demo accounts' passwords must stay as published).
  await page.getByLabel("Email").fill("cb00010@laocai.gov.vn");
  await page.getByRole("button", { name: "Gửi liên kết" }).click();
  await expect(page.getByRole("status")).toContainText("Nếu cb00010@laocai.gov.vn có tài khoản đang hoạt động");
  const [mail] = await smtp.mailTo("cb00010@laocai.gov.vn");
  await page.goto(linkIn(mail.text));
  await expect(page.getByRole("heading", { name: "Đặt lại mật khẩu" })).toBeVisible();
  await setPassword(page, "Can-bo-moi-2026");
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  // Going to /login before the sign-out has landed would cancel it and find her still signed in.
  await expect(page).toHaveURL(/\/login$/);
  await signIn(page, "cb00010@laocai.gov.vn", "Can-bo-moi-2026");
});

test("the first administrator, created on an empty database with create-admin, signs in", async ({ page }) => {
  const file = `tests/.tmp/empty-${Date.now()}.db`;
  const env = { ...process.env, DATABASE_URL: `file:./${file}`, NODE_ENV: "production" as const, APP_URL: "http://127.0.0.1" };
  for (const args of [["tsx", "scripts/migrate.ts"], ["tsx", "scripts/kns.ts", "import-units"]]) {
    expect(spawnSync("npx", args, { env, stdio: "pipe" }).status).toBe(0);
  }
  const created = spawnSync("npx", ["tsx", "scripts/kns.ts", "create-admin", "--email", "quantri@laocai.gov.vn", "--unit", "15"], {
    env,
    input: "Quan-tri-tinh-2026\nQuan-tri-tinh-2026\n",
    encoding: "utf8",
  });
  expect(created.status, created.stderr).toBe(0);
  const fresh = await startServer({ DATABASE_URL: `file:./${file}`, JOBS_EVERY_MINUTES: "0" });
  try {
    await page.goto(`${fresh.url}/login`);
    await page.getByLabel("Email").fill("quantri@laocai.gov.vn");
    await page.getByLabel("Mật khẩu").fill("Quan-tri-tinh-2026");
    await page.getByRole("button", { name: "Đăng nhập", exact: true }).click();
    await expect(page).toHaveURL(`${fresh.url}/me`);
    await page.getByRole("navigation", { name: "Điều hướng chính" }).getByRole("link", { name: "Quản trị" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quản trị hệ thống");
  } finally {
    await fresh.stop();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  }
});
