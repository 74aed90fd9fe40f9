// The app behind a real nginx with the settings the README recommends (bench/nginx-site.conf and
// bench/nginx-proxy.conf, decision 034): nginx compresses pages, the build's precompressed assets
// pass through as they are, and signing in and reading a page work through the proxy.
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNginxFront } from "../../bench/nginx-front";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { freePort, startServer, type RunningServer } from "../support/server";

let app: RunningServer;
let nginx: ChildProcess;
let front: string;
let prefix: string;

/** A raw GET: the headers and the body bytes exactly as they came over the wire. */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on("error", reject);
  });
}

beforeAll(async () => {
  const nginxPort = await freePort();
  front = `http://127.0.0.1:${nginxPort}`;
  app = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, TRUST_PROXY: "1", APP_URL: front });
  prefix = fs.mkdtempSync(path.join(os.tmpdir(), "kns-nginx-"));
  nginx = startNginxFront({ dir: prefix, upstream: new URL(app.url).host, port: nginxPort }).child;
  for (let i = 0; i < 100; i++) {
    if (await fetch(`${front}/healthz`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  nginx?.kill("SIGQUIT");
  await app?.stop();
  if (prefix) fs.rmSync(prefix, { recursive: true, force: true });
});

describe("behind nginx with the recommended settings", () => {
  it("has nginx compress the page, which the app sent plain; without nginx the app compresses it itself", async () => {
    const proxied = await rawGet(`${front}/login`, { "Accept-Encoding": "gzip" });
    expect(proxied.status).toBe(200);
    expect(proxied.headers["content-encoding"]).toBe("gzip");
    // nginx compresses as it streams: no length, chunked. The app always states the length.
    expect(proxied.headers["content-length"]).toBeUndefined();
    expect(proxied.headers["transfer-encoding"]).toBe("chunked");
    expect(proxied.headers.vary).toMatch(/Accept-Encoding/i);
    const page = zlib.gunzipSync(proxied.body).toString("utf8");
    expect(page).toContain("Đăng nhập");
    // The page's own headers pass through the proxy.
    expect(proxied.headers["content-security-policy"]).toMatch(/script-src 'nonce-/);

    const direct = await rawGet(`${app.url}/login`, { "Accept-Encoding": "gzip" });
    expect(direct.headers["content-encoding"]).toBe("gzip");
    expect(Number(direct.headers["content-length"])).toBe(direct.body.length);
    expect(zlib.gunzipSync(direct.body).toString("utf8")).toContain("Đăng nhập");

    // A client that takes no compression gets the page plain through nginx too.
    const plain = await rawGet(`${front}/login`, {});
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.toString("utf8")).toContain("Đăng nhập");
  });

  it("passes the build's precompressed assets through as they are (Brotli when the client takes it)", async () => {
    const page = zlib.gunzipSync((await rawGet(`${front}/login`, { "Accept-Encoding": "gzip" })).body).toString("utf8");
    const stylesheet = /href="(\/assets\/[^"]+\.css)"/.exec(page)?.[1];
    expect(stylesheet).toBeTruthy();
    const viaNginx = await rawGet(`${front}${stylesheet}`, { "Accept-Encoding": "br, gzip" });
    const fromApp = await rawGet(`${app.url}${stylesheet}`, { "Accept-Encoding": "br, gzip" });
    expect(viaNginx.status).toBe(200);
    expect(viaNginx.headers["content-encoding"]).toBe("br");
    expect(viaNginx.body.equals(fromApp.body)).toBe(true);
    expect(zlib.brotliDecompressSync(viaNginx.body).toString("utf8")).toMatch(/[.#][\w-]+\s*\{/);
  });

  it("passes activation links on to the app like any page (their own location keeps them out of the access log)", async () => {
    const link = `/activate/${"x".repeat(43)}`;
    const [viaNginx, direct] = await Promise.all([rawGet(`${front}${link}`, {}), rawGet(`${app.url}${link}`, {})]);
    expect(viaNginx.status).toBe(direct.status);
    expect(viaNginx.headers.location).toBe(direct.headers.location);
    expect(String(viaNginx.headers["set-cookie"] ?? "")).toMatch(/activation|kns/i);
  });

  it("signs a learner in through the proxy, and her pages come back compressed by nginx", async () => {
    const world = await twoProvinces();
    const learner = await createUser("quanginx@p1.vn", world.units.a1);
    const client = new Client(front);
    const signIn = await client.post("/login", { email: learner.email, password: PASSWORD });
    expect(signIn.status).toBe(302);
    const me = await rawGet(`${front}/me`, { Cookie: client.cookieHeader(), "Accept-Encoding": "gzip" });
    expect(me.status).toBe(200);
    expect(me.headers["content-encoding"]).toBe("gzip");
    expect(me.headers["cache-control"]).toBe("no-store");
    expect(zlib.gunzipSync(me.body).toString("utf8")).toContain(learner.fullName);
  });
});
