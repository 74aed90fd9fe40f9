// Remix behind Express, as @remix-run/express does it, except for pages: a rendered page comes
// back as one Buffer (app/services/document-body.server.ts), is compressed in one call, and
// leaves in one write with its length. Every other response (data, resource routes, redirects)
// is streamed as Remix made it. See docs/decisions/012-render-floor.md.
import { createRequestHandler as createRemixRequestHandler, createReadableStreamFromReadable, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { acceptDocumentBodies, takeDocumentBody } from "../app/services/document-body.server";

/** Pages smaller than this are not worth compressing (the `compression` middleware's default). */
const COMPRESS_FROM_BYTES = 1024;
/**
 * Up to this size a page is compressed on the event loop: measured on a 6 KB page, compression
 * took 0.05–0.08 ms of CPU that way and 0.2 ms through the thread pool (the hand-over costs more
 * than the compression). Larger pages go to the thread pool so they never hold up other requests.
 */
const COMPRESS_INLINE_UP_TO_BYTES = 128 * 1024;
// Measured on a 28.7 KB lesson page: gzip (level 6) gives 7.0 KB in 0.19 ms; brotli needs
// quality 5 (0.42 ms) to do better (6.7 KB), and at the middleware's quality 4 it is both
// larger (7.2 KB) and slower. So pages go out gzipped; brotli only for a client without gzip.
// Level 2, not zlib's default 6: on the 19.3 KB lesson page with the caches of a busy server
// (measured after sweeping 8 MB), level 6 took 0.28 ms for 6.07 KB, level 2 0.11 ms for 6.49 KB.
// A tenth of a page's CPU for 0.4 KB, against 150 KB of scripts and styles fetched once.
const GZIP_OPTIONS = { level: 2 };
const BROTLI_OPTIONS = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } };
const inOneCall =
  (sync: (body: Buffer) => Buffer, async: (body: Buffer) => Promise<Buffer>) =>
  (body: Buffer): Buffer | Promise<Buffer> =>
    body.length <= COMPRESS_INLINE_UP_TO_BYTES ? sync(body) : async(body);
const brotliAsync = promisify(zlib.brotliCompress);
const brotli = inOneCall((body) => zlib.brotliCompressSync(body, BROTLI_OPTIONS), (body) => brotliAsync(body, BROTLI_OPTIONS));
const gzipAsync = promisify(zlib.gzip);
const gzip = inOneCall((body) => zlib.gzipSync(body, GZIP_OPTIONS), (body) => gzipAsync(body, GZIP_OPTIONS));

export function createRequestHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode: string;
  getLoadContext: (req: ExpressRequest) => AppLoadContext;
}) {
  acceptDocumentBodies();
  const handleRequest = createRemixRequestHandler(options.build, options.mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      const response = await handleRequest(fetchRequestOf(req, res), options.getLoadContext(req));
      await send(req, res, response);
    } catch (error) {
      next(error);
    }
  };
}

function fetchRequestOf(req: ExpressRequest, res: ExpressResponse): Request {
  // req.hostname follows "trust proxy"; the port comes from X-Forwarded-Host or Host.
  const portOf = (host: string | undefined) => Number.parseInt(host?.split(":")[1] ?? "", 10);
  const forwardedPort = portOf(req.get("X-Forwarded-Host"));
  const hostPort = portOf(req.get("host"));
  const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : undefined;
  const url = `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`;

  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else if (value) headers.set(name, value);
  }
  // Loaders and actions are told when the client goes away before its answer is written.
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  return new Request(url, init);
}

async function send(req: ExpressRequest, res: ExpressResponse, response: Response) {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [name, value] of response.headers) {
    if (name !== "set-cookie") res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);

  const document = takeDocumentBody(response);
  if (document) {
    res.end(await encoded(req, res, document));
    return;
  }
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** The page in the best encoding the client accepts, with the headers that say so. */
async function encoded(req: ExpressRequest, res: ExpressResponse, body: Buffer): Promise<Buffer> {
  res.vary("Accept-Encoding");
  let sent = body;
  if (body.length >= COMPRESS_FROM_BYTES && !res.hasHeader("Content-Encoding") && req.method !== "HEAD") {
    if (req.acceptsEncodings("gzip")) {
      sent = await gzip(body);
      res.setHeader("Content-Encoding", "gzip");
    } else if (req.acceptsEncodings("br")) {
      sent = await brotli(body);
      res.setHeader("Content-Encoding", "br");
    }
  }
  res.setHeader("Content-Length", sent.length);
  return sent;
}
