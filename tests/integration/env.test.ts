import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { db } from "~/platform/db.server";
import { parseEnv } from "~/platform/env.server";
import { createUnit, createUser } from "../support/factories";
import { startServer } from "../support/server";

const run = promisify(execFile);

describe("environment validation", () => {
  it("explains each problem on its own line", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", PORT: "http" })).toThrow(
      /DATABASE_URL: must be a SQLite file URL.*\n.*PORT/s,
    );
  });
  it("requires the public address when mail is sent, since mail links must name it", () => {
    expect(() => parseEnv({ NODE_ENV: "production", SMTP_URL: "smtp://mail.tinh.gov.vn:587" })).toThrow(/APP_URL: is required when SMTP_URL is set/);
    expect(() => parseEnv({ SMTP_URL: "smtp://mail.tinh.gov.vn:587" })).toThrow(/APP_URL: is required when SMTP_URL is set/);
    expect(parseEnv({ NODE_ENV: "production", SMTP_URL: "smtp://mail.tinh.gov.vn:587", APP_URL: "https://kynangso.tinh.gov.vn" }).APP_URL).toBe(
      "https://kynangso.tinh.gov.vn",
    );
  });
  it("asks for the whole single sign-on setting, and never leaves a deployment without a way to sign in", () => {
    const issuer = { OIDC_ISSUER: "https://sso.laocai.gov.vn/realms/can-bo", APP_URL: "https://kynangso.laocai.gov.vn" };
    expect(() => parseEnv(issuer)).toThrow(/OIDC_CLIENT_ID: and OIDC_CLIENT_SECRET are required when OIDC_ISSUER is set/);
    expect(() => parseEnv({ OIDC_ISSUER: issuer.OIDC_ISSUER, OIDC_CLIENT_ID: "kns", OIDC_CLIENT_SECRET: "s" })).toThrow(/APP_URL: is required when OIDC_ISSUER is set/);
    expect(() => parseEnv({ PASSWORD_SIGN_IN: "off" })).toThrow(/PASSWORD_SIGN_IN: may be "off" only when OIDC_ISSUER is set/);
    expect(parseEnv({ ...issuer, OIDC_CLIENT_ID: "kns", OIDC_CLIENT_SECRET: "s", OIDC_MATCH: "employee_code" }).OIDC_MATCH).toBe("employee_code");
    expect(() => parseEnv({ OIDC_CLAIM: "email; DROP" })).toThrow(/OIDC_CLAIM/);
  });
  it("defaults to the embedded SQLite database", () => {
    expect(parseEnv({}).DATABASE_URL).toBe("file:./data/kynangso.db");
  });
});

describe("start-up", () => {
  it("refuses to start in production without the public address that links in certificates and e-mail name", async () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/APP_URL: is required in production/);
    expect(parseEnv({ NODE_ENV: "development" }).APP_URL).toBeUndefined();
    const failure = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, APP_URL: "" }).catch((e: Error) => e);
    expect(String(failure)).toMatch(/APP_URL: is required in production/);
  });

  it("refuses to serve with an invalid environment and names each problem", async () => {
    const failure = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, APP_URL: "kynangso dot gov", SESSION_IDLE_MINUTES: "0" }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/Invalid environment configuration:\n\s+- APP_URL: .*\n\s+- SESSION_IDLE_MINUTES: /);
  });

  it("never loads the demo accounts into a production database", async () => {
    const result = await run("npx", ["tsx", "scripts/kns.ts", "demo-data"], { env: { ...process.env, NODE_ENV: "production", APP_URL: "https://kynangso.tinh.gov.vn" } }).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("không nạp dữ liệu mẫu khi NODE_ENV=production");
    expect(await db.user.count()).toBe(0);
  });

  it("never loads the demo accounts into a database that holds real people", async () => {
    await createUnit("P9", undefined, "province").then((unit) => createUser("that@tinh.gov.vn", unit));
    const result = await run("npx", ["tsx", "scripts/kns.ts", "demo-data"], { env: { ...process.env, NODE_ENV: "development" } }).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cơ sở dữ liệu đã có người dùng thật, không nạp dữ liệu mẫu");
    expect(await db.user.count()).toBe(1);
    expect(await db.orgUnit.count()).toBe(1);
  });
});
