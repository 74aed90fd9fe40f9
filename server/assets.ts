// The build's fingerprinted assets, sent as compressed at build time (scripts/precompress-assets.mjs)
// in the best encoding the client takes. Files without a compressed copy, and clients that take
// neither encoding, get the file as it is from express.static.
import type { NextFunction, Request, Response } from "express";
import fs from "node:fs";

const TYPES: Record<string, string> = {
  js: "application/javascript; charset=UTF-8",
  css: "text/css; charset=UTF-8",
  svg: "image/svg+xml",
};
const ENCODINGS = [
  { name: "br", suffix: ".br" },
  { name: "gzip", suffix: ".gz" },
] as const;

/** Rewrites a request for an asset to its compressed copy; express.static then sends that file. */
export function precompressedAssets(dir: string) {
  const files = new Set(fs.readdirSync(dir));
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    const name = req.path.slice(1);
    const type = TYPES[name.slice(name.lastIndexOf(".") + 1)];
    const offered = ENCODINGS.filter((e) => files.has(name + e.suffix));
    if (!type || offered.length === 0 || name.includes("/")) return next();
    res.vary("Accept-Encoding");
    // Without Accept-Encoding the negotiation would pick any encoding; such a client gets the file.
    if (!req.headers["accept-encoding"]) return next();
    // Brotli whenever the client takes it at all: browsers list gzip first, with the same weight.
    const encoding = offered.find((e) => req.acceptsEncodings(e.name) === e.name);
    if (!encoding) return next();
    res.setHeader("Content-Encoding", encoding.name);
    res.setHeader("Content-Type", type);
    req.url = `/${name}${encoding.suffix}`;
    next();
  };
}
