// The HTTP server: Express in front of Remix, in development (with Vite) and production.
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import fs from "node:fs";
import http from "node:http";
import { inPageHtmlStore } from "../app/platform/in-page-html.server";
import type { ServerHooks } from "../app/server-hooks.server";
import { missingRemixPatch } from "../scripts/remix-patches.mjs";
import { precompressedAssets } from "./assets";
import { clientErrorRefusal, clientIpHeader, clientIpOf, crossOriginRefusal, legacyDataRefusal, securityHeaders, tooLargeRefusal } from "./guards";
import { createRequestHandler } from "./remix-handler";
import { serveInTurns } from "./request-queue";

// Remix's packages are edited at install time for speed (scripts/patch-remix.mjs); an install
// that skipped scripts (`npm ci --ignore-scripts`) would serve every page slower, unnoticed.
const missingPatch = missingRemixPatch(import.meta.url);
if (missingPatch) {
  console.error(`Kỹ Năng Số cannot start: ${missingPatch}. Run \`npm rebuild\` or \`node scripts/patch-remix.mjs\`.`);
  process.exit(1);
}

const production = process.env.NODE_ENV === "production";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";

const vite = production
  ? undefined
  : await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));

const app = express();
app.disable("x-powered-by");
// The number of proxies in front (TRUST_PROXY, checked by the app's environment schema): Express
// then takes the client from the right-most entries of X-Forwarded-For that those proxies
// appended, and ignores whatever the client put before them.
const trustedProxies = process.env.TRUST_PROXY === "true" ? 1 : Number(process.env.TRUST_PROXY) || 0;
if (trustedProxies > 0) app.set("trust proxy", trustedProxies);

// The app's server build; loading it validates the environment (app/platform/env.server.ts).
const build = vite
  ? () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
  : ((await import(new URL("../build/server/index.js", import.meta.url).href)) as ServerBuild);
const hooksOf = (b: ServerBuild) => (b.entry.module as unknown as { serverHooks: ServerHooks }).serverHooks;
const productionHooks = typeof build === "function" ? undefined : hooksOf(build);
const serverHooks = async () => productionHooks ?? hooksOf(await (build as () => Promise<ServerBuild>)());
// A signing key that cannot be opened stops the start, not the first certificate download.
if (productionHooks) await productionHooks.checkSigning();

// Pages arrive compressed already (server/remix-handler.ts): the middleware's own checks of the
// content type are skipped for them.
app.use(compression({ filter: (req, res) => !res.hasHeader("Content-Encoding") && compression.filter(req, res) }));
app.use(securityHeaders);
app.use(clientIpHeader);
app.use(crossOriginRefusal(serverHooks));
app.use(tooLargeRefusal);
app.use(legacyDataRefusal);

// Downloads keep their page's address: /hr/coverage?format=csv|xlsx, /hr/progress?format=csv|xlsx,
// /hr/hours?format=csv|xlsx, /admin/audit?format=csv.
for (const page of ["/hr/coverage", "/hr/progress", "/hr/hours", "/admin/audit"]) {
  app.get(page, (req, _res, next) => {
    const format = req.query.format;
    if (format === "csv" || format === "xlsx") {
      // Remix reads originalUrl.
      req.url = req.url.replace(page, `${page}/export`);
      req.originalUrl = req.url;
    }
    next();
  });
}

if (vite) {
  app.use(vite.middlewares);
} else {
  // Fingerprinted build assets never change: cache them for a year. They were compressed at
  // build time; the compression middleware leaves them alone (they carry Content-Encoding).
  app.use("/assets", precompressedAssets("build/client/assets"), express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  // Only addresses under the build's own top-level files and folders (favicon, guide images)
  // reach the file system: otherwise every page would first cost a failed stat of its path.
  const publicFiles = express.static("build/client", { maxAge: "1h" });
  const publicEntries = new Set(fs.readdirSync("build/client"));
  app.use((req, res, next) => (publicEntries.has(req.path.split("/")[1]) ? publicFiles(req, res, next) : next()));
}

app.all(
  "*",
  createRequestHandler({
    build,
    mode: production ? "production" : "development",
    getLoadContext: (req) => ({ ip: clientIpOf(req), inPageHtml: inPageHtmlStore(req.path) }),
  }),
);
app.use(clientErrorRefusal);

// A training session that ends at one time brings thousands of learners at once: a long
// accept queue lets them wait for the server instead of being refused (the kernel caps it at
// net.core.somaxconn). Requests start one per turn of the event loop, in the order they came,
// so a connection waiting in that queue is accepted between two requests (server/request-queue.ts).
const server = http.createServer();
serveInTurns(server, app);
// A client may send its request and close its side at once (`nc`, a pipelined batch): Node's
// default then drops every request not answered in the same turn, as a request waiting its turn
// would be. Half-open, each is answered and the connection closes after the last.
(server as unknown as { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
server.listen({ port, host, backlog: 4096 }, () => {
  console.log(`Kỹ Năng Số: http://localhost:${port} (${production ? "production" : "development"})`);
  void serverHooks().then((hooks) => hooks.startScheduledJobs());
});
// Keep idle connections open longer than clients and load balancers do, so a reused
// connection is never closed under a request.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
