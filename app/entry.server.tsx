// Server rendering (Remix's streaming entry) plus the headers every HTML page carries: a
// Content-Security-Policy with a fresh nonce per response, and no caching of signed-in pages.
// See docs/decisions/004-content-security-policy.md.
import crypto from "node:crypto";
import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext, type HandleDataRequestFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { hasSessionCookie } from "~/services/auth.server";
import { env } from "~/services/env.server";
import { NonceContext } from "~/utils/nonce";

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

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const nonce = crypto.randomBytes(16).toString("base64");
  // Crawlers and SPA mode get the whole document at once; browsers get it streamed.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      setPageHeaders(request, responseHeaders, nonce);
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        ...(waitForAll ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors while rendering the shell are logged by Remix when the promise rejects.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, streamTimeout + 1_000);
  });
}

/** Single-fetch data (`.data`) of a signed-in user is as private as the page. */
export const handleDataRequest: HandleDataRequestFunction = (response, { request }) => {
  if (hasSessionCookie(request)) response.headers.set("Cache-Control", "no-store");
  return response;
};
