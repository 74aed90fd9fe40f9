// The edits scripts/patch-remix.mjs makes to Remix's installed packages (why, in that script and
// in docs/decisions/006-request-cost.md and 012-render-floor.md), in one list read by that
// script, by the server's start-up check (server/index.ts) and by the tests. Each edit replaces
// text that occurs exactly once; each patch leaves its mark in the file, so a patched file is
// recognised and left alone. A change to an edit needs a new mark.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const ROUTER_MARK = "/* kns: memoised route matching, v2 */";
const compileEdit = {
  from: "function compilePath(path, caseSensitive, end) {\n",
  to:
    `${ROUTER_MARK}\n` +
    "const compiledPathCache = new Map();\n" +
    "function compilePath(path, caseSensitive, end) {\n" +
    "  const key = (caseSensitive ? \"1\" : \"0\") + (end === false ? \"0\" : \"1\") + path;\n" +
    "  let compiled = compiledPathCache.get(key);\n" +
    "  if (!compiled) {\n" +
    "    compiled = compilePathUncached(path, caseSensitive, end);\n" +
    "    if (compiledPathCache.size < 10000) compiledPathCache.set(key, compiled);\n" +
    "  }\n" +
    "  return compiled;\n" +
    "}\n" +
    "function compilePathUncached(path, caseSensitive, end) {\n",
};
const branchEdits = [
  {
    from: "  let branches = flattenRoutes(routes);\n  rankRouteBranches(branches);\n",
    to: "  let branches = rankedBranchesOf(routes);\n",
  },
  {
    from: `${ROUTER_MARK}\n`,
    to:
      `${ROUTER_MARK}\n` +
      "const rankedBranchesCache = new WeakMap();\n" +
      "function rankedBranchesOf(routes) {\n" +
      "  let branches = rankedBranchesCache.get(routes);\n" +
      "  if (!branches) {\n" +
      "    branches = flattenRoutes(routes);\n" +
      "    rankRouteBranches(branches);\n" +
      "    rankedBranchesCache.set(routes, branches);\n" +
      "  }\n" +
      "  return branches;\n" +
      "}\n",
  },
];

// The server matches the same table against the same path three times per page (request
// handler, static handler, render): the result for a path is kept per route array, and each
// caller gets its own copy (matches and their shared params object), as from a fresh match.
const MATCHES_MARK = "/* kns: route matches kept per path, v1 */";
const matchesEdit = {
  from: "function matchRoutesImpl(routes, locationArg, basename, allowPartial) {\n",
  to:
    `${MATCHES_MARK}\n` +
    "const routeMatchesCache = new WeakMap();\n" +
    "function matchRoutesImpl(routes, locationArg, basename, allowPartial) {\n" +
    "  let location = typeof locationArg === \"string\" ? parsePath(locationArg) : locationArg;\n" +
    "  let key = (allowPartial ? \"1\" : \"0\") + (basename || \"/\") + \"\\u0000\" + (location.pathname || \"/\");\n" +
    "  let byPath = routeMatchesCache.get(routes);\n" +
    "  if (!byPath) {\n" +
    "    byPath = new Map();\n" +
    "    routeMatchesCache.set(routes, byPath);\n" +
    "  }\n" +
    "  let matches = byPath.get(key);\n" +
    "  if (matches === undefined) {\n" +
    "    matches = matchRoutesImplUncached(routes, location, basename, allowPartial);\n" +
    "    if (byPath.size >= 1000) byPath.clear();\n" +
    "    byPath.set(key, matches);\n" +
    "  }\n" +
    "  if (matches === null) return null;\n" +
    "  let params = Object.assign({}, matches[0].params);\n" +
    "  return matches.map((match) => Object.assign({}, match, { params }));\n" +
    "}\n" +
    "function matchRoutesImplUncached(routes, locationArg, basename, allowPartial) {\n",
};

const ROUTES_MARK = "/* kns: route objects kept per server build, v1 */";
const entryModulesEdit = {
  from: "function createEntryRouteModules(manifest) {\n",
  to:
    `${ROUTES_MARK}\n` +
    "const entryRouteModulesCache = new WeakMap();\n" +
    "function createEntryRouteModules(manifest) {\n" +
    "  let modules = entryRouteModulesCache.get(manifest);\n" +
    "  if (!modules) {\n" +
    "    modules = createEntryRouteModulesUncached(manifest);\n" +
    "    entryRouteModulesCache.set(manifest, modules);\n" +
    "  }\n" +
    "  return modules;\n" +
    "}\n" +
    "function createEntryRouteModulesUncached(manifest) {\n",
};
const serverRoutesEdits = [
  {
    from: "  let routes$1 = routes.createServerRoutes(manifest.routes, routeModules, context.future, context.isSpaMode);\n",
    to: "  let routes$1 = serverRoutesOf(manifest.routes, routeModules, context.future, context.isSpaMode);\n",
  },
  {
    from: "function RemixServer({\n",
    to:
      `${ROUTES_MARK}\n` +
      "const serverRoutesCache = new WeakMap();\n" +
      "function serverRoutesOf(manifestRoutes, routeModules, future, isSpaMode) {\n" +
      "  let cached = serverRoutesCache.get(routeModules);\n" +
      "  if (!cached || cached.manifestRoutes !== manifestRoutes || cached.isSpaMode !== isSpaMode) {\n" +
      "    cached = { manifestRoutes, isSpaMode, routes: routes.createServerRoutes(manifestRoutes, routeModules, future, isSpaMode) };\n" +
      "    serverRoutesCache.set(routeModules, cached);\n" +
      "  }\n" +
      "  return cached.routes;\n" +
      "}\n" +
      "function RemixServer({\n",
  },
];
const staticRouterEdit = {
  from:
    "function createStaticRouter(routes, context, opts = {}) {\n" +
    "  let manifest = {};\n" +
    "  let dataRoutes = router.UNSAFE_convertRoutesToDataRoutes(routes, reactRouter.UNSAFE_mapRouteProperties, undefined, manifest);\n",
  to:
    `${ROUTES_MARK}\n` +
    "const staticDataRoutesCache = new WeakMap();\n" +
    "function createStaticRouter(routes, context, opts = {}) {\n" +
    "  let cached = staticDataRoutesCache.get(routes);\n" +
    "  if (!cached) {\n" +
    "    let manifest = {};\n" +
    "    cached = { manifest, dataRoutes: router.UNSAFE_convertRoutesToDataRoutes(routes, reactRouter.UNSAFE_mapRouteProperties, undefined, manifest) };\n" +
    "    staticDataRoutesCache.set(routes, cached);\n" +
    "  }\n" +
    "  let { manifest, dataRoutes } = cached;\n",
};

const STRIP_MARK = "/* kns: requests without Remix's parameters passed on as they are, v1 */";
const stripEdits = [
  {
    from: "function stripIndexParam(request) {\n  let url = new URL(request.url);\n",
    to: `${STRIP_MARK}\nfunction stripIndexParam(request) {\n  let url = new URL(request.url);\n  if (!url.searchParams.has("index")) return request;\n`,
  },
  {
    from: "function stripRoutesParam(request) {\n  let url = new URL(request.url);\n",
    to: `function stripRoutesParam(request) {\n  let url = new URL(request.url);\n  if (!url.searchParams.has("_routes")) return request;\n`,
  },
];

const HAND_OVER_MARK = "/* kns: page data encoded only for a page that hands it over, v1 */";
// A document's loader data is encoded for the browser's hydration (turbo-stream) before the
// page renders, also for a page sent without scripts (a lesson opened on its own), which never
// sends it: 5 % of a lesson page's CPU. The encoding now starts when the stream is first read;
// app/entry.server.tsx sets it to undefined for a page without scripts, so nothing reads it.
const handOverEdits = [
  {
    from: "      serverHandoffStream: singleFetch.encodeViaTurboStream(state, request.signal, build.entry.module.streamTimeout, serverMode),\n      renderMeta: {}\n    } : null),\n    future: build.future,\n",
    to: `      ${HAND_OVER_MARK}\n      renderMeta: {}\n    } : null),\n    future: build.future,\n`,
  },
  {
    from: "    serializeError: err => errors.serializeError(err, serverMode)\n  };\n  let handleDocumentRequestFunction = build.entry.module.default;\n",
    to:
      "    serializeError: err => errors.serializeError(err, serverMode)\n  };\n" +
      "  if (build.future.v3_singleFetch) {\n" +
      "    let handOver;\n" +
      "    let handOverMade = false;\n" +
      "    Object.defineProperty(entryContext, \"serverHandoffStream\", {\n" +
      "      configurable: true,\n" +
      "      enumerable: true,\n" +
      "      get() {\n" +
      "        if (!handOverMade) handOver = singleFetch.encodeViaTurboStream(state, request.signal, build.entry.module.streamTimeout, serverMode);\n" +
      "        handOverMade = true;\n" +
      "        return handOver;\n" +
      "      },\n" +
      "      set(stream) {\n" +
      "        handOver = stream;\n" +
      "        handOverMade = true;\n" +
      "      },\n" +
      "    });\n" +
      "  }\n" +
      "  let handleDocumentRequestFunction = build.entry.module.default;\n",
  },
];

const ROUTER = { pkg: "@remix-run/router", version: "1.23.3" };
const SERVER_RUNTIME = { pkg: "@remix-run/server-runtime", version: "2.17.5" };

/**
 * Every patch, in the order they are made (two patch the router's CommonJS build). Versions are
 * exact and pinned in package.json: the edits were written against these files.
 * @type {{ pkg: string; version: string; file: string; mark: string; edits: { from: string; to: string }[] }[]}
 */
export const remixPatches = [
  // The browser loads the ESM build of the router, and lazy route discovery adds routes to the
  // arrays it already holds: only compiled patterns (a pure function of the pattern) are kept there.
  { ...ROUTER, file: "dist/router.cjs.js", mark: ROUTER_MARK, edits: [compileEdit, ...branchEdits] },
  { ...ROUTER, file: "dist/router.cjs.js", mark: MATCHES_MARK, edits: [matchesEdit] },
  { ...ROUTER, file: "dist/router.js", mark: ROUTER_MARK, edits: [compileEdit] },
  // The server loads the CommonJS builds of the rest; the loader requests are edited in both.
  { ...SERVER_RUNTIME, file: "dist/entry.js", mark: ROUTES_MARK, edits: [entryModulesEdit] },
  { ...SERVER_RUNTIME, file: "dist/data.js", mark: STRIP_MARK, edits: stripEdits },
  { ...SERVER_RUNTIME, file: "dist/server.js", mark: HAND_OVER_MARK, edits: handOverEdits },
  { ...SERVER_RUNTIME, file: "dist/esm/data.js", mark: STRIP_MARK, edits: stripEdits },
  { pkg: "@remix-run/react", version: "2.17.5", file: "dist/server.js", mark: ROUTES_MARK, edits: serverRoutesEdits },
  { pkg: "react-router-dom", version: "6.30.4", file: "server.js", mark: ROUTES_MARK, edits: [staticRouterEdit] },
];

/**
 * The folder of a package as Node finds it from a module.
 * @param {string} pkg
 * @param {string} from the module's URL or path
 */
export function packageDir(pkg, from) {
  return path.dirname(createRequire(from).resolve(`${pkg}/package.json`));
}

/** @param {string} dir */
export function installedVersion(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
}

/**
 * The source with one patch's edits made. Throws, naming the text it looked for, when the
 * source does not hold that text exactly once.
 * @param {(typeof remixPatches)[number]} patch
 * @param {string} source
 */
export function applyPatch(patch, source) {
  for (const edit of patch.edits) {
    if (source.split(edit.from).length !== 2) {
      throw new Error(`${patch.pkg}/${patch.file} does not contain this text exactly once: ${JSON.stringify(edit.from.split("\n")[0])}`);
    }
    source = source.replace(edit.from, () => edit.to);
  }
  return source;
}

/**
 * Why the patches are not in place in the packages Node finds from a module, in one line; or
 * undefined when every patched file carries its mark at the pinned version.
 * @param {string} from the module's URL or path
 * @returns {string | undefined}
 */
export function missingRemixPatch(from) {
  for (const patch of remixPatches) {
    const dir = packageDir(patch.pkg, from);
    const version = installedVersion(dir);
    if (version !== patch.version) return `${patch.pkg} is ${version}, but scripts/patch-remix.mjs edits ${patch.version}`;
    if (!fs.readFileSync(path.join(dir, patch.file), "utf8").includes(patch.mark)) {
      return `${patch.pkg}/${patch.file} lacks the edits of scripts/patch-remix.mjs (${patch.mark})`;
    }
  }
  return undefined;
}
