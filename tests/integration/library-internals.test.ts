// Three places lean on the inside of a library for speed (docs/decisions/006-request-cost.md),
// and each must fail loudly when the library changes, never silently lose what it buys:
// - scripts/patch-remix.mjs edits Remix's installed packages: every edit is checked here, the
//   install fails on a version or text it was not written for, and the server refuses to start
//   without the edits;
// - app/platform/db-adapter.server.ts hooks into the connection of Prisma's SQLite adapter;
// - app/entry.server.tsx hands Remix's <Scripts> the page's data through renderMeta.streamCache.
// A library that changed is played by a copy of the installed one, changed, in a folder of its own.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hookSqliteAdapter, sqliteConnections } from "~/platform/db-adapter.server";
import { db, dbProvider, readRows } from "~/platform/db.server";
import { applyPatch, missingRemixPatch, packageDir, remixPatches } from "../../scripts/remix-patches.mjs";
import { TMP_DIR } from "../support/config";
import { startServer } from "../support/server";

type Patch = (typeof remixPatches)[number];
const ROOT = path.resolve("package.json");
const installedDir = (pkg: string) => packageDir(pkg, ROOT);

/** Each patched file, with its patches in the order they are made. */
const patchedFiles = new Map<string, Patch[]>();
for (const patch of remixPatches) {
  const key = `${patch.pkg}/${patch.file}`;
  patchedFiles.set(key, [...(patchedFiles.get(key) ?? []), patch]);
}
const installedSource = (patch: Patch) => fs.readFileSync(path.join(installedDir(patch.pkg), patch.file), "utf8");

/** The package's own file: every edit undone, last first (each edit's new text must be there exactly once). */
function undone(patches: Patch[], source: string): string {
  for (const patch of [...patches].reverse()) {
    for (const edit of [...patch.edits].reverse()) {
      expect(source.split(edit.to), `${patch.pkg}/${patch.file}: ${edit.to.split("\n")[0]}`).toHaveLength(2);
      source = source.replace(edit.to, () => edit.from);
    }
  }
  return source;
}
const pristineSource = (patches: Patch[]) => undone(patches, installedSource(patches[0]));

let tmpDirs: string[] = [];
const tmpDir = (prefix: string) => {
  fs.mkdirSync(TMP_DIR, { recursive: true });
  const dir = fs.mkdtempSync(path.join(TMP_DIR, prefix));
  tmpDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of tmpDirs) fs.rmSync(dir, { recursive: true, force: true });
  tmpDirs = [];
});

describe("the edits scripts/patch-remix.mjs makes to Remix's installed packages", () => {
  it("are in place, in packages pinned in package.json at the versions the edits were written for", () => {
    const manifest = JSON.parse(fs.readFileSync("package.json", "utf8"));
    const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8"));
    for (const patch of remixPatches) {
      expect(manifest.dependencies[patch.pkg], patch.pkg).toBe(patch.version);
      expect(lock.packages[`node_modules/${patch.pkg}`].version, patch.pkg).toBe(patch.version);
      expect(JSON.parse(fs.readFileSync(path.join(installedDir(patch.pkg), "package.json"), "utf8")).version).toBe(patch.version);
      expect(installedSource(patch).split(patch.mark), `${patch.pkg}/${patch.file}`).toHaveLength(2);
    }
    expect(missingRemixPatch(ROOT)).toBeUndefined();
    // The libraries whose insides the other two hooks reach are pinned too.
    for (const pkg of ["@remix-run/react", "@prisma/adapter-better-sqlite3", "better-sqlite3"]) expect(manifest.dependencies[pkg]).toMatch(/^\d/);
  });

  it("are exactly their edits: undone, patched again, each file is what is installed, byte for byte", () => {
    expect([...patchedFiles.keys()]).toEqual([
      "@remix-run/router/dist/router.cjs.js",
      "@remix-run/router/dist/router.js",
      "@remix-run/server-runtime/dist/entry.js",
      "@remix-run/server-runtime/dist/data.js",
      "@remix-run/server-runtime/dist/server.js",
      "@remix-run/server-runtime/dist/esm/data.js",
      "@remix-run/react/dist/server.js",
      "react-router-dom/server.js",
    ]);
    for (const patches of patchedFiles.values()) {
      const pristine = pristineSource(patches);
      expect(pristine).not.toContain("kns:");
      expect(patches.reduce((source, patch) => applyPatch(patch, source), pristine)).toBe(installedSource(patches[0]));
    }
  });

  it("keep ranked branches and matches in the server's router only; the browser's build keeps compiled patterns alone", () => {
    const [cjs, esm] = ["dist/router.cjs.js", "dist/router.js"].map((file) => fs.readFileSync(path.join(installedDir("@remix-run/router"), file), "utf8"));
    for (const text of ["const compiledPathCache = new Map();", "function compilePathUncached(", "let branches = rankedBranchesOf(routes);", "const routeMatchesCache = new WeakMap();"]) {
      expect(cjs).toContain(text);
    }
    expect(esm).toContain("const compiledPathCache = new Map();");
    expect(esm).not.toContain("rankedBranchesOf");
    expect(esm).not.toContain("routeMatchesCache");
    expect(esm).toContain("  let branches = flattenRoutes(routes);\n  rankRouteBranches(branches);\n");
    // The ESM builds of the server runtime's entry, RemixServer and the static router are left alone.
    for (const [pkg, file] of [["@remix-run/server-runtime", "dist/esm/entry.js"], ["@remix-run/react", "dist/esm/server.js"], ["react-router-dom", "server.mjs"]]) {
      expect(fs.readFileSync(path.join(installedDir(pkg), file), "utf8")).not.toContain("kns:");
    }
    // Loader requests are passed on as they are in both builds of the server runtime.
    for (const file of ["dist/data.js", "dist/esm/data.js"]) {
      const data = fs.readFileSync(path.join(installedDir("@remix-run/server-runtime"), file), "utf8");
      expect(data).toContain('  if (!url.searchParams.has("index")) return request;\n');
      expect(data).toContain('  if (!url.searchParams.has("_routes")) return request;\n');
    }
    // A document's data is encoded for hydration when first read, not before every render.
    const server = fs.readFileSync(path.join(installedDir("@remix-run/server-runtime"), "dist/server.js"), "utf8");
    expect(server).toContain('Object.defineProperty(entryContext, "serverHandoffStream", {');
    expect(server).not.toContain("      serverHandoffStream: singleFetch.encodeViaTurboStream(state, request.signal, build.entry.module.streamTimeout, serverMode),\n      renderMeta: {}\n    } : null),\n    future: build.future,\n");
  });
});

/**
 * A project with a copy of the patch script and of each patched package as published (its
 * package.json and the files the script edits), for running the script on.
 */
function unpatchedProject(): { dir: string; file: (key: string) => string } {
  const dir = tmpDir("patch-");
  fs.mkdirSync(path.join(dir, "scripts"));
  for (const script of ["patch-remix.mjs", "remix-patches.mjs"]) fs.copyFileSync(path.join("scripts", script), path.join(dir, "scripts", script));
  const file = (key: string) => path.join(dir, "node_modules", key);
  for (const [key, patches] of patchedFiles) {
    fs.mkdirSync(path.dirname(file(key)), { recursive: true });
    fs.writeFileSync(file(key), pristineSource(patches));
    fs.copyFileSync(path.join(installedDir(patches[0].pkg), "package.json"), file(`${patches[0].pkg}/package.json`));
  }
  return { dir, file };
}
const runPatchScript = (dir: string) => spawnSync(process.execPath, [path.join(dir, "scripts/patch-remix.mjs")], { encoding: "utf8" });

describe("the patch script (postinstall)", () => {
  it("patches the published files into what is installed, and leaves patched files alone when run again", () => {
    const project = unpatchedProject();
    const first = runPatchScript(project.dir);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const written = new Map([...patchedFiles.keys()].map((key) => [key, fs.statSync(project.file(key)).mtimeMs]));
    for (const [key, patches] of patchedFiles) expect(fs.readFileSync(project.file(key), "utf8"), key).toBe(installedSource(patches[0]));
    expect(missingRemixPatch(project.file("x.js"))).toBeUndefined();

    const second = runPatchScript(project.dir);
    expect(second.status).toBe(0);
    for (const [key, mtime] of written) expect(fs.statSync(project.file(key)).mtimeMs, key).toBe(mtime);
  });

  it("fails the install, changing nothing, when a package is not at the version its edits were written for", () => {
    const project = unpatchedProject();
    const manifest = project.file("@remix-run/router/package.json");
    fs.writeFileSync(manifest, JSON.stringify({ ...JSON.parse(fs.readFileSync(manifest, "utf8")), version: "1.23.4" }));
    const run = runPatchScript(project.dir);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      "patch-remix: @remix-run/router 1.23.4 is installed, but the edits of @remix-run/router/dist/router.cjs.js were written for 1.23.3; nothing was changed (see scripts/patch-remix.mjs)",
    );
    for (const key of patchedFiles.keys()) expect(fs.readFileSync(project.file(key), "utf8"), key).not.toContain("kns:");
  });

  it("fails the install, changing nothing, when a file does not hold the text an edit replaces", () => {
    const project = unpatchedProject();
    const router = project.file("@remix-run/router/dist/router.cjs.js");
    fs.writeFileSync(router, fs.readFileSync(router, "utf8").replace("function matchRoutesImpl(routes, locationArg,", "function matchRoutesImpl(routes, location,"));
    const run = runPatchScript(project.dir);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'patch-remix: @remix-run/router/dist/router.cjs.js does not contain this text exactly once: "function matchRoutesImpl(routes, locationArg, basename, allowPartial) {"',
    );
    for (const key of patchedFiles.keys()) expect(fs.readFileSync(project.file(key), "utf8"), key).not.toContain("kns:");
  });
});

/**
 * A copy of the built server over node_modules that links to every installed package except
 * those named, which are copied (to be changed by the caller).
 */
function builtServerWith(copied: string[]): { dir: string; packageDir: (pkg: string) => string } {
  const dir = tmpDir("server-");
  fs.mkdirSync(path.join(dir, "build"));
  fs.copyFileSync("build/server.js", path.join(dir, "build/server.js"));
  fs.cpSync("build/server", path.join(dir, "build/server"), { recursive: true });
  const modules = path.join(dir, "node_modules");
  const mirror = (from: string, to: string, prefix: string) => {
    fs.mkdirSync(to);
    for (const entry of fs.readdirSync(from)) {
      const name = prefix + entry;
      if (copied.includes(name)) fs.cpSync(path.join(from, entry), path.join(to, entry), { recursive: true });
      else if (copied.some((pkg) => pkg.startsWith(`${name}/`))) mirror(path.join(from, entry), path.join(to, entry), `${name}/`);
      else fs.symlinkSync(path.join(from, entry), path.join(to, entry));
    }
  };
  mirror(path.resolve("node_modules"), modules, "");
  return { dir, packageDir: (pkg) => path.join(modules, pkg) };
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs a copy of the built server (from the project folder, as `npm start` does) until it listens or exits. */
async function runServerCopy(dir: string) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(dir, "build/server.js")], {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: String(port), APP_URL: `http://127.0.0.1:${port}`, JOBS_EVERY_MINUTES: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const listening = (async () => {
    for (let i = 0; i < 300 && child.exitCode === null; i++) {
      if (stdout.includes(`:${port}`)) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  })();
  const exitCode = await Promise.race([exited, listening.then(() => undefined)]);
  return {
    url: `http://127.0.0.1:${port}`,
    exitCode,
    output: () => stdout + stderr,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

describe("the server's start-up", () => {
  it("refuses to start, saying why and what to run, when Remix's packages lack the edits (npm ci --ignore-scripts)", async () => {
    const server = builtServerWith(["@remix-run/router"]);
    const router = server.packageDir("@remix-run/router");
    fs.writeFileSync(path.join(router, "dist/router.cjs.js"), pristineSource(patchedFiles.get("@remix-run/router/dist/router.cjs.js")!));
    const run = await runServerCopy(server.dir);
    expect(run.exitCode).toBe(1);
    expect(run.stderr()).toBe(
      "Kỹ Năng Số cannot start: @remix-run/router/dist/router.cjs.js lacks the edits of scripts/patch-remix.mjs (/* kns: memoised route matching, v2 */). Run `npm rebuild` or `node scripts/patch-remix.mjs`.\n",
    );
    expect(missingRemixPatch(path.join(server.dir, "build/server.js"))).toContain("@remix-run/router/dist/router.cjs.js lacks the edits");
  });
});

describe("the page's data handed to Remix's <Scripts> (app/entry.server.tsx)", () => {
  /**
   * The data written into the page for the browser: one read, then the end of the stream inside
   * a Suspense boundary that rendered complete (`<!--$-->`; one left suspended would be `<!--$!-->`).
   */
  const handedOver = (page: string) => {
    const parts = page.split("window.__remixContext.streamController.enqueue(");
    expect(parts).toHaveLength(2);
    const end = parts[1].indexOf(");</script>");
    expect(parts[1].slice(end)).toMatch(/^\);<\/script><!--\$--><script nonce="[^"]+">window\.__remixContext\.streamController\.close\(\);<\/script><!--\/\$-->/);
    return JSON.parse(parts[1].slice(0, end)) as string;
  };

  it("reaches the page in the one pass of the render, read from the settled stream cache", async () => {
    const server = await startServer({ DATABASE_URL: process.env.DATABASE_URL! });
    try {
      const login = await fetch(`${server.url}/login`);
      expect(login.status).toBe(200);
      const page = await login.text();
      // A read that had not settled would have left an empty Suspense fallback: renderToString
      // never waits, and nothing is swapped in later.
      const data = handedOver(page);
      // The loader data of the root (the page's language) and of the route.
      expect(data).toContain('"root"');
      expect(data).toContain('"lang","vi"');
      expect(data).toContain('"routes/login"');
      expect(page).not.toMatch(/\$RC|<template/);
      // A page without scripts carries no data, and needs none.
      const verify = await fetch(`${server.url}/verify`);
      expect(verify.status).toBe(200);
      expect(await verify.text()).not.toContain("streamController");
    } finally {
      await server.stop();
    }
  });

  it("fails the page, with the reason in the log, when Remix no longer reads the cache", async () => {
    const server = builtServerWith(["@remix-run/react"]);
    const singleFetch = path.join(server.packageDir("@remix-run/react"), "dist/single-fetch.js");
    const source = fs.readFileSync(singleFetch, "utf8");
    expect(source).toContain("context.renderMeta.streamCache");
    fs.writeFileSync(singleFetch, source.replaceAll("streamCache", "readCache"));
    const run = await runServerCopy(server.dir);
    try {
      expect(run.exitCode, run.output()).toBeUndefined();
      const login = await fetch(`${run.url}/login`);
      expect(login.status).toBe(500);
      expect(run.output()).toContain(
        "The page's data could not be handed to Remix's <Scripts> (app/entry.server.tsx, decision 018): <Scripts> rendered without reading renderMeta.streamCache",
      );
      expect((await fetch(`${run.url}/verify`)).status).toBe(200);
    } finally {
      await run.stop();
    }
  });
});

describe.runIf(dbProvider === "sqlite")("the hook into Prisma's SQLite adapter (app/platform/db-adapter.server.ts)", () => {
  beforeAll(async () => {
    await db.$queryRaw`SELECT 1`;
  });

  it("registers Prisma's own connection after the first query, and direct statements run on it", async () => {
    const primary = sqliteConnections.primary!;
    expect(primary.open).toBe(true);
    expect(primary.inTransaction).toBe(false);
    // A temporary table exists on one connection only.
    primary.prepare(`CREATE TEMP TABLE "HookProbe" ("value" TEXT)`).run();
    try {
      primary.prepare(`INSERT INTO "HookProbe" VALUES ('on the primary connection')`).run();
      expect(await db.$queryRawUnsafe(`SELECT "value" FROM "HookProbe"`)).toEqual([{ value: "on the primary connection" }]);
      expect(await readRows`SELECT "value" FROM "HookProbe"`).toEqual([{ value: "on the primary connection" }]);
      await db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        expect(primary.inTransaction).toBe(true);
      });
      expect(primary.inTransaction).toBe(false);
    } finally {
      primary.prepare(`DROP TABLE temp."HookProbe"`).run();
    }
  });

  it("fails the connection, saying why, when the adapter's connection is not where it looks", async () => {
    const adapter = await new PrismaBetterSQLite3({ url: ":memory:" }).connect();
    const client = (adapter as unknown as { client: unknown }).client;
    try {
      Object.assign(adapter, { client: undefined });
      await expect(hookSqliteAdapter(adapter)).rejects.toThrow(
        "Prisma's SQLite adapter is not built as app/platform/db-adapter.server.ts expects: the adapter has no better-sqlite3 connection at `client`",
      );
    } finally {
      Object.assign(adapter, { client });
      await adapter.dispose();
    }
  });

  it("fails the connection when the adapter's queries no longer go through its connection's prepare", async () => {
    const adapter = await new PrismaBetterSQLite3({ url: ":memory:" }).connect();
    const other = await new PrismaBetterSQLite3({ url: ":memory:" }).connect();
    try {
      adapter.queryRaw = (query) => other.queryRaw(query);
      await expect(hookSqliteAdapter(adapter)).rejects.toThrow(
        "Prisma's SQLite adapter is not built as app/platform/db-adapter.server.ts expects: its queries do not go through `client.prepare`",
      );
    } finally {
      await Promise.all([adapter.dispose(), other.dispose()]);
    }
  });
});
