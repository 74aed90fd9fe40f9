// Server rendering (one pass to one string) plus the headers every HTML page carries: a
// Content-Security-Policy with a fresh nonce per response, and no caching of signed-in pages.
// See docs/decisions/005-content-security-policy.md.
import crypto from "node:crypto";
import type { AppLoadContext, EntryContext, HandleDataRequestFunction, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse } from "@remix-run/react";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { hasSessionCookie } from "~/identity/auth.server";
import { documentResponse } from "~/platform/document-body.server";
import { env } from "~/platform/env.server";
import { InPageHtmlContext } from "~/utils/in-page-html";
import { NonceContext } from "~/utils/nonce";
import { pageHasScripts } from "~/utils/route-handle";

/** For the HTTP server in front of Remix: see server/index.ts. */
export { serverHooks } from "~/server-hooks.server";

/**
 * How long deferred data may delay a response, in ms (single fetch reads this export). No loader
 * defers data, so nothing waits on it. But Remix arms a timer of this length for every page and
 * data request, never clears it, and the timer keeps that request's abort controller alive until
 * it fires. At 5 s, that was thousands of them at full load (decision 018).
 */
export const streamTimeout = 1;

const development = env.NODE_ENV === "development";

function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    // Only scripts carrying this response's nonce run; what they load is trusted in turn.
    `script-src 'nonce-${nonce}' 'strict-dynamic'`,
    // Vite injects <style> elements while developing; the production build is one stylesheet.
    development ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    // Progress bars set their width in a style attribute; attributes cannot load or run anything.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    development ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function setPageHeaders(request: Request, headers: Headers, nonce: string) {
  headers.set("Content-Type", "text/html; charset=utf-8");
  headers.set("Content-Security-Policy", contentSecurityPolicy(nonce));
  // A signed-in page holds personal data: no browser or proxy may keep a copy (back button included).
  if (hasSessionCookie(request)) headers.set("Cache-Control", "no-store");
}

/**
 * Every page is rendered in one synchronous pass to one string, sent as one Buffer (see
 * docs/decisions/018-one-pass-render.md). Loaders have finished before React renders, so
 * nothing on the page waits for data: streaming would only split a small document into chunks,
 * each costing an encoding step, a compression flush and a turn of the event loop.
 */
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = crypto.randomBytes(16).toString("base64");
  // A page sent without scripts never hands its data to the browser: it is not even encoded
  // (scripts/remix-patches.mjs encodes it on first read).
  if (!pageHasScripts(remixContext.staticHandlerContext.matches.map((m) => ({ handle: remixContext.routeModules[m.route.id]?.handle })))) {
    remixContext.serverHandoffStream = undefined;
  }
  const dataHandedOver = await readDataAhead(remixContext);
  // A render error throws here, and Remix renders the route's error boundary instead.
  const html = renderToString(
    <NonceContext.Provider value={nonce}>
      <InPageHtmlContext.Provider value={loadContext.inPageHtml}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </InPageHtmlContext.Provider>
    </NonceContext.Provider>,
  );
  dataHandedOver?.();
  setPageHeaders(request, responseHeaders, nonce);
  return documentResponse(Buffer.from(`<!DOCTYPE html>${html}`), { headers: responseHeaders, status: responseStatusCode });
}

const decoder = new TextDecoder();
const HAND_OVER_FAILED = "The page's data could not be handed to Remix's <Scripts> (app/entry.server.tsx, decision 018)";

/**
 * The page's data reaches the browser as inline scripts written by Remix's `<Scripts>`, which
 * reads the encoded data from a stream and suspends the render until each read settles. A
 * suspended render cannot finish in one pass. The data is complete once the loaders are (no
 * loader defers data, and `streamTimeout` would cut deferred data off at once), so it is read
 * here first and handed to that component as one read that has already settled, through
 * `renderMeta.streamCache`, a field of Remix's own (@remix-run/react 2.17.5, pinned).
 *
 * There is no safe way back if Remix stops looking there: `renderToString` would send the page
 * without its data, and the browser would never hydrate it. So the page fails instead, with the
 * reason in the log: when Remix gives no `renderMeta`, or when the returned check finds that
 * `<Scripts>` rendered without reading the end of the data.
 */
async function readDataAhead(context: EntryContext): Promise<(() => void) | undefined> {
  const stream = context.serverHandoffStream;
  if (!stream) return undefined;
  if (!context.renderMeta) throw new Error(`${HAND_OVER_FAILED}: Remix's EntryContext has no renderMeta`);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value);
  // Remix takes its own reader of the stream while rendering; it reads nothing more from it.
  reader.releaseLock();
  const settled = (done: boolean, value: string) => Object.assign(Promise.resolve(), { result: { done, value } });
  let endRead = false;
  const end = Object.defineProperty(Promise.resolve(), "result", {
    get() {
      endRead = true;
      return { done: true, value: "" };
    },
  });
  const renderMeta = context.renderMeta;
  renderMeta.streamCache = {
    0: settled(false, decoder.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))),
    1: end,
  };
  return () => {
    if (renderMeta.didRenderScripts && !endRead) throw new Error(`${HAND_OVER_FAILED}: <Scripts> rendered without reading renderMeta.streamCache`);
  };
}

/** Single-fetch data (`.data`) of a signed-in user is as private as the page. */
export const handleDataRequest: HandleDataRequestFunction = (response, { request }) => {
  if (hasSessionCookie(request)) response.headers.set("Cache-Control", "no-store");
  return response;
};

/**
 * Unexpected errors are logged; a request for an address that does not exist (a browser's
 * /favicon.ico, scanners probing /wp-login.php) is an ordinary 404, not an error to log.
 */
/** The path of a request for a log line: no query string, and no secret of an activation link. */
function loggedPath(request: Request): string {
  let path: string;
  try {
    path = new URL(request.url).pathname;
  } catch {
    path = "(malformed URL)";
  }
  return path.replace(/^\/activate\/[^/]+/, "/activate/…").slice(0, 200);
}

/**
 * Errors the client caused (a malformed address, a request Remix refuses, a 4xx thrown on
 * purpose) are one line each, without a stack: anyone can send them, and a stack trace per
 * request would let them flood the log. Only server faults get the whole error.
 */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status === 404) return;
  if ((isRouteErrorResponse(error) && error.status < 500) || error instanceof URIError) {
    const status = isRouteErrorResponse(error) ? error.status : 400;
    console.warn(`[kns:request] ${status} ${request.method} ${loggedPath(request)}`);
    return;
  }
  console.error(error);
};
