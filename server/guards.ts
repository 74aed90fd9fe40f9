import type { NextFunction, Request, Response } from "express";
import { getT, isLang, LANG_COOKIE, type Lang } from "../app/utils/i18n";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Request bodies above this size are refused before anyone parses them. */
export const MAX_BODY_BYTES = 12 * 1024 * 1024;

function langOf(req: Request): Lang {
  const match = (req.headers.cookie ?? "").match(new RegExp(`(?:^|;\\s*)${LANG_COOKIE}=(vi|en)`));
  return match && isLang(match[1]) ? match[1] : "vi";
}

function refuse(req: Request, res: Response, status: number, key: "errors.crossOrigin" | "errors.tooLarge") {
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
export function crossOriginRefusal(appUrl?: string) {
  const configured = appUrl ? new URL(appUrl).origin : undefined;
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const own = `${req.protocol}://${req.get("host")}`;
    const allowed = (origin: string) => origin === own || origin === configured;
    const origin = req.get("origin");
    if (origin && origin !== "null") return allowed(origin) ? next() : refuse(req, res, 403, "errors.crossOrigin");
    const referer = req.get("referer");
    if (referer) {
      try {
        if (allowed(new URL(referer).origin)) return next();
      } catch {
        // a malformed Referer is refused below
      }
    }
    return refuse(req, res, 403, "errors.crossOrigin");
  };
}

export function tooLargeRefusal(req: Request, res: Response, next: NextFunction) {
  const length = Number(req.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) return refuse(req, res, 413, "errors.tooLarge");
  next();
}
