// Route matching in @remix-run/router re-flattens, re-ranks and re-compiles every route's
// pattern on each call, and one page request matches the route table several times (request
// handler, data router, server render). This rewrites the two hot spots of the installed copy,
// once, at install time (see docs/decisions/006-request-cost.md):
// - compiled patterns are kept per pattern string, in both builds (a pure function);
// - ranked branches are kept per route array in the CommonJS build only, which only the
//   server's request handler loads, and whose route table never changes. The ESM build also
//   runs in the browser, where lazy route discovery adds routes to the same arrays in place,
//   so it must flatten afresh.
// Run by `postinstall`; safe to run twice.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const MARK = "/* kns: memoised route matching, v2 */";
const require = createRequire(import.meta.url);
const dist = path.dirname(require.resolve("@remix-run/router/package.json"));
const EXPECTED_VERSION = "1.23.";

const version = JSON.parse(fs.readFileSync(path.join(dist, "package.json"), "utf8")).version;
if (!version.startsWith(EXPECTED_VERSION)) {
  console.warn(`patch-router: @remix-run/router ${version} is not ${EXPECTED_VERSION}x; left as it is`);
  process.exit(0);
}

const compileEdit = {
  from: "function compilePath(path, caseSensitive, end) {\n",
  to:
    `${MARK}\n` +
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
    from: `${MARK}\n`,
    to:
      `${MARK}\n` +
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

for (const [file, edits] of [
  ["dist/router.cjs.js", [compileEdit, ...branchEdits]],
  ["dist/router.js", [compileEdit]],
]) {
  const target = path.join(dist, file);
  let source = fs.readFileSync(target, "utf8");
  if (source.includes(MARK)) continue;
  for (const edit of edits) {
    if (source.split(edit.from).length !== 2) {
      console.warn(`patch-router: ${file} does not look as expected; left as it is`);
      source = "";
      break;
    }
    source = source.replace(edit.from, edit.to);
  }
  if (source) fs.writeFileSync(target, source);
}
