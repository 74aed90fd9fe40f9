// Remix 2 rebuilds its route tables on every server render: @remix-run/router re-flattens,
// re-ranks and re-compiles every route pattern on each match, and one page request builds new
// route objects three times over (the route modules map, the server routes of RemixServer, the
// static router's data routes), so nothing keyed on a route array can be reused. This rewrites
// those hot spots of the installed packages, once, at install time (see
// docs/decisions/006-request-cost.md and 012-render-floor.md; the edits are in remix-patches.mjs):
// - @remix-run/router: compiled patterns are kept per pattern string, in both builds (a pure
//   function); ranked branches, and the matches of recently seen paths, are kept per route array
//   in the CommonJS build only, which only the server loads. The ESM build also runs in the
//   browser, where lazy route discovery adds routes to the same arrays in place, so it must
//   flatten afresh.
// - @remix-run/server-runtime, @remix-run/react, react-router-dom (server builds only): the
//   route modules map, RemixServer's routes and the static router's data routes are kept per
//   server build, so the same route arrays reach the router on every request. A server build
//   never changes its routes; a rebuild in development brings new objects and new entries.
// - @remix-run/server-runtime: each loader call copied the whole Request twice (a new URL, Headers
//   and AbortSignal each time) only to drop Remix's own `index` and `_routes` query parameters;
//   a request without them is now passed on as it is.
// - @remix-run/server-runtime: a page's data is encoded for the browser when the page first reads
//   it, not before every render, so a page sent without scripts never encodes it.
// Run by `postinstall`; safe to run twice (a patched file carries its mark). The install fails,
// and no file is written, when a package is not at the pinned version or a file does not hold the
// text an edit replaces: the edits must be rewritten for the new version, or dropped (decision
// 006 says which ones React Router 7 makes unnecessary). The server refuses to start without them.
import fs from "node:fs";
import path from "node:path";
import { applyPatch, installedVersion, packageDir, remixPatches } from "./remix-patches.mjs";

/** The patched source of every file that lacked a mark, by path: all are checked before one is written. */
const patched = new Map();
try {
  for (const patch of remixPatches) {
    const dir = packageDir(patch.pkg, import.meta.url);
    const version = installedVersion(dir);
    if (version !== patch.version) {
      throw new Error(`${patch.pkg} ${version} is installed, but the edits of ${patch.pkg}/${patch.file} were written for ${patch.version}`);
    }
    const where = path.join(dir, patch.file);
    const source = patched.get(where) ?? fs.readFileSync(where, "utf8");
    if (!source.includes(patch.mark)) patched.set(where, applyPatch(patch, source));
  }
} catch (error) {
  console.error(`patch-remix: ${error.message}; nothing was changed (see scripts/patch-remix.mjs)`);
  process.exit(1);
}
for (const [where, source] of patched) fs.writeFileSync(where, source);
