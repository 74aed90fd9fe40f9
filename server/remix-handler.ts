// Remix behind Express, as @remix-run/express does it, except for pages: a rendered page comes
// back as one Buffer (app/platform/document-body.server.ts), is compressed in one call, and
// leaves in one write with its length. Every other response (data, resource routes, redirects)
// is streamed as Remix made it. See docs/decisions/012-render-floor.md.
import { createRequestHandler as createRemixRequestHandler, createReadableStreamFromReadable, writeReadableStreamToWritable, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import { promisify } from "node:util";
import zlib from "node:zlib";
import { acceptDocumentBodies, takeDocumentBody } from "../app/platform/document-body.server";

/** Pages smaller than this are not worth compressing (the `compression` middleware's default). */
const COMPRESS_FROM_BYTES = 1024;
/**
 * Up to this size a page is compressed on the event loop: measured on a 6 KB page, compression
 * took 0.05–0.08 ms of CPU that way and 0.2 ms through the thread pool (the hand-over costs more
 * than the compression). Larger pages go to the thread pool so they never hold up other requests.
 */
const COMPRESS_INLINE_UP_TO_BYTES = 128 * 1024;
// Pages go out gzipped at level 2. On the 19.3 KB lesson page, timed inside the loaded server,
// level 2 took 0.19–0.22 ms for 6.49 KB and zlib's default level 6 0.30–0.34 ms for 6.07 KB;
// level 1 was no faster. Brotli (quality 5) only for a client that takes no gzip: on a 28.7 KB
// page it cost 0.42 ms, twice gzip level 6, for a 5 % smaller page.
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
