// Remix 2 rebuilds its route tables on every server render: @remix-run/router re-flattens,
// re-ranks and re-compiles every route pattern on each match, and one page request builds new
// route objects three times over (the route modules map, the server routes of RemixServer, the
// static router's data routes), so nothing keyed on a route array can be reused. This rewrites
// those hot spots of the installed packages, once, at install time (see
// docs/decisions/006-request-cost.md and 012-render-floor.md):
// - @remix-run/router: compiled patterns are kept per pattern string, in both builds (a pure
//   function); ranked branches, and the matches of recently seen paths, are kept per route array
//   in the CommonJS build only, which only the server loads. The ESM build also runs in the browser, where lazy route discovery adds
//   routes to the same arrays in place, so it must flatten afresh.
// - @remix-run/server-runtime, @remix-run/react, react-router-dom (server builds only): the
//   route modules map, RemixServer's routes and the static router's data routes are kept per
//   server build, so the same route arrays reach the router on every request. A server build
//   never changes its routes; a rebuild in development brings new objects and new entries.
// - @remix-run/server-runtime: each loader call copied the whole Request twice (a new URL, Headers
//   and AbortSignal each time) only to drop Remix's own `index` and `_routes` query parameters;
//   a request without them is now passed on as it is.
// Each edit checks the package version and the exact text it replaces, and leaves a file alone
// (with a warning) if either differs: an upgrade can lose the speed-up, never break routing.
// Run by `postinstall`; safe to run twice.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

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

const targets = [
  { pkg: "@remix-run/router", version: "1.23.", mark: ROUTER_MARK, files: [["dist/router.cjs.js", [compileEdit, ...branchEdits]], ["dist/router.js", [compileEdit]]] },
  { pkg: "@remix-run/router", version: "1.23.", mark: MATCHES_MARK, files: [["dist/router.cjs.js", [matchesEdit]]] },
  { pkg: "@remix-run/server-runtime", version: "2.17.", mark: ROUTES_MARK, files: [["dist/entry.js", [entryModulesEdit]]] },
  { pkg: "@remix-run/server-runtime", version: "2.17.", mark: STRIP_MARK, files: [["dist/data.js", stripEdits], ["dist/esm/data.js", stripEdits]] },
  { pkg: "@remix-run/react", version: "2.17.", mark: ROUTES_MARK, files: [["dist/server.js", serverRoutesEdits]] },
  { pkg: "react-router-dom", version: "6.30.", mark: ROUTES_MARK, files: [["server.js", [staticRouterEdit]]] },
];

for (const target of targets) {
  const dir = path.dirname(require.resolve(`${target.pkg}/package.json`));
  const version = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
  if (!version.startsWith(target.version)) {
    console.warn(`patch-remix: ${target.pkg} ${version} is not ${target.version}x; left as it is`);
    continue;
  }
  for (const [file, edits] of target.files) {
    const where = path.join(dir, file);
    let source = fs.readFileSync(where, "utf8");
    if (source.includes(target.mark)) continue;
    for (const edit of edits) {
      if (source.split(edit.from).length !== 2) {
        console.warn(`patch-remix: ${target.pkg}/${file} does not look as expected; left as it is`);
        source = "";
        break;
      }
      source = source.replace(edit.from, edit.to);
    }
    if (source) fs.writeFileSync(where, source);
  }
}
