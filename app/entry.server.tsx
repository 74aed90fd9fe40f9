// Server rendering (Remix's streaming entry) plus the headers every HTML page carries: a
// Content-Security-Policy with a fresh nonce per response, and no caching of signed-in pages.
// See docs/decisions/005-content-security-policy.md.
import crypto from "node:crypto";
import type { Writable } from "node:stream";
import type { AppLoadContext, EntryContext, HandleDataRequestFunction, HandleErrorFunction } from "@remix-run/node";
import { isRouteErrorResponse } from "@remix-run/react";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { hasSessionCookie } from "~/services/auth.server";
import { documentResponse } from "~/services/document-body.server";
import { env } from "~/services/env.server";
import { InPageHtmlContext } from "~/utils/in-page-html";
import { NonceContext } from "~/utils/nonce";

/** For the HTTP server in front of Remix: see server/index.ts. */
export { serverHooks } from "~/services/server-hooks.server";

/** How long deferred data may keep a response open (single fetch reads this export). */
export const streamTimeout = 5_000;

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
 * Every page is rendered completely before it is sent: loaders have finished by the time React
 * renders (no deferred data), so streaming would only split one small document into dozens of
 * chunks, each costing a compression flush and a socket write. One string, one write.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = crypto.randomBytes(16).toString("base64");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // Cleared as soon as the page is complete: a pending timer would keep the finished render
    // and its page alive for its whole duration (thousands of pages at full load).
    const abortTimer = setTimeout(() => abort(), streamTimeout + 1_000);
    abortTimer.unref();
    const sink = pageSink(
      (body) => {
        clearTimeout(abortTimer);
        setPageHeaders(request, responseHeaders, nonce);
        resolve(documentResponse(body, { headers: responseHeaders, status: responseStatusCode }));
      },
      (error) => {
        clearTimeout(abortTimer);
        reject(error);
      },
    );
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <InPageHtmlContext.Provider value={loadContext.inPageHtml}>
          <RemixServer context={remixContext} url={request.url} nonce={nonce} />
        </InPageHtmlContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        onShellReady() {
          shellRendered = true;
        },
        onAllReady() {
          pipe(sink as unknown as Writable);
        },
        onShellError(error: unknown) {
          clearTimeout(abortTimer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors while rendering the shell are logged by Remix when the promise rejects.
          if (shellRendered) console.error(error);
        },
      },
    );
  });
}

/**
 * Where React writes a finished page: its chunks, joined when React ends it. React's `pipe` calls
 * only write, end, destroy and on; a full Writable stream would add its state machine, events
 * and an error object per page for nothing.
 */
function pageSink(onEnd: (body: Buffer<ArrayBuffer>) => void, onDestroy: (error: unknown) => void) {
  const chunks: Uint8Array[] = [];
  return {
    write(chunk: Uint8Array | string) {
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
      return true;
    },
    end() {
      onEnd(Buffer.concat(chunks));
    },
    destroy(error?: unknown) {
      onDestroy(error ?? new Error("The page render was abandoned."));
    },
    on() {
      return this;
    },
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
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status === 404) return;
  console.error(error);
};
