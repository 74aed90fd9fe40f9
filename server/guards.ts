import type { ErrorRequestHandler, NextFunction, Request, Response } from "express";
import type { ServerHooks } from "../app/server-hooks.server";
import { CLIENT_IP_HEADER } from "../app/utils/client-ip";
import { getT, isLang, LANG_COOKIE, type Lang } from "../app/utils/i18n";
import { MAX_MEDIA_BYTES } from "../app/utils/media";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Request bodies above this size are refused before anyone parses them. */
export const MAX_BODY_BYTES = 12 * 1024 * 1024;
/** The lesson editor's uploads may carry a video (MAX_MEDIA_BYTES) and the form around it. */
export const MAX_MEDIA_UPLOAD_BODY_BYTES = MAX_MEDIA_BYTES + 1024 * 1024;
const MEDIA_UPLOAD_PATH = /^\/author\/[^/]+\/lessons\/[^/]+(?:\.data)?$/;

function langOf(req: Request): Lang {
  const match = (req.headers.cookie ?? "").match(new RegExp(`(?:^|;\\s*)${LANG_COOKIE}=(vi|en)`));
  return match && isLang(match[1]) ? match[1] : "vi";
}

type RefusalKey = "errors.crossOrigin" | "errors.tooLarge" | "security.lengthRequired" | "security.unsupportedBody" | "errors.badRequest";

function refuse(req: Request, res: Response, status: number, key: RefusalKey) {
  const t = getT(langOf(req));
  res.status(status).type("text/plain; charset=utf-8").send(t(key));
}

export function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  next();
}

/**
 * CSRF protection for every mutation: a state-changing request must come from a page of this
 * site, proven by its Origin header (or Referer when a client omits Origin). Requests that
 * carry neither are refused too.
 */
export function crossOriginRefusal(hooks: () => Promise<ServerHooks>) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const { appUrl, auditRefusal } = await hooks();
    const own = `${req.protocol}://${req.get("host")}`;
    const allowed = (origin: string) => origin === own || (appUrl !== undefined && origin === new URL(appUrl).origin);
    const origin = req.get("origin");
    if (origin && origin !== "null" && allowed(origin)) return next();
    const referer = req.get("referer");
    if ((!origin || origin === "null") && referer) {
      try {
        if (allowed(new URL(referer).origin)) return next();
      } catch {
        // a malformed Referer is refused below
      }
    }
    // Written before answering, so the refusal is on record by the time the client sees it.
    await auditRefusal({ reason: "cross-origin", ip: clientIpOf(req), method: req.method, path: req.path, origin: origin ?? referer ?? null }).catch(
      (error: unknown) => console.error("audit of a refused request failed", error),
    );
    return refuse(req, res, 403, "errors.crossOrigin");
  };
}

/** The address the app records for a request (behind a trusted proxy, the forwarded one). */
export function clientIpOf(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}

/** Tells the app who is asking, in a header no client can set (see requestIp in the app). */
export function clientIpHeader(req: Request, _res: Response, next: NextFunction) {
  req.headers[CLIENT_IP_HEADER] = clientIpOf(req);
  next();
}

// Only the upload forms (roster import, department import, lesson images, a class's attendees,
// question files) post multipart bodies; every other form posts URL-encoded fields, which parse
// whatever the bytes are.
const MULTIPART_PATHS = [
  /^\/hr\/staff(?:\.data)?$/,
  /^\/admin\/units\/[^/]+(?:\.data)?$/,
  /^\/author\/[^/]+\/lessons\/[^/]+(?:\.data)?$/,
  /^\/hr\/classes\/\d+(?:\.data)?$/,
  /^\/author\/[^/]+\/quiz\/import(?:\.data)?$/,
];

/**
 * Bodies the app can read, and no more: a declared length (a body without one could be any size
 * before anyone counted it), at most MAX_BODY_BYTES (a lesson upload: MAX_MEDIA_UPLOAD_BODY_BYTES), and a form encoding the route parses.
 * Anything else would reach a parser that throws, so it is refused here with a 4xx.
 */
export function tooLargeRefusal(req: Request, res: Response, next: NextFunction) {
  const declared = req.get("content-length");
  const limit = req.method === "POST" && MEDIA_UPLOAD_PATH.test(req.path) ? MAX_MEDIA_UPLOAD_BODY_BYTES : MAX_BODY_BYTES;
  if (Number(declared ?? 0) > limit) return refuse(req, res, 413, "errors.tooLarge");
  if (SAFE_METHODS.has(req.method)) return next();
  if (declared === undefined && req.get("transfer-encoding")) return refuse(req, res, 411, "security.lengthRequired");
  const type = (req.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/x-www-form-urlencoded") return next();
  if (type === "multipart/form-data" && /;\s*boundary=/i.test(req.get("content-type")!) && MULTIPART_PATHS.some((p) => p.test(req.path))) return next();
  return refuse(req, res, 415, "security.unsupportedBody");
}

/**
 * `?_data=` requests belong to Remix's previous data protocol: this app's pages never send them
 * (single fetch asks for `.data` URLs). Remix answers them with an error and a stack trace in the
 * log, so anyone could flood the log with them: they are refused here, quietly.
 */
export function legacyDataRefusal(req: Request, res: Response, next: NextFunction) {
  if (req.query._data === undefined) return next();
  return refuse(req, res, 400, "errors.badRequest");
}

/**
 * Errors Express itself raises for what a client sent (an address that does not decode, say):
 * a 400 and one line in the log, instead of Express's default answer and a stack trace per
 * request. Faults of the server still get the whole error.
 */
export const clientErrorRefusal: ErrorRequestHandler = (error, req, res, next) => {
  const status = Number((error as { status?: number }).status ?? (error as { statusCode?: number }).statusCode ?? 500);
  if (res.headersSent || status >= 500) return next(error);
  console.warn(`[kns:request] ${status} ${req.method} (${error instanceof URIError ? "malformed address" : "refused by the HTTP layer"})`);
  return refuse(req, res, 400, "errors.badRequest");
};
