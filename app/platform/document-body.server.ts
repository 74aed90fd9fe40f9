// A rendered page is one Buffer (app/entry.server.tsx). Wrapped in a Fetch Response it would
// become a web ReadableStream that the HTTP server then reads back chunk by chunk: measurable
// work on every page for bytes that were already in hand. When the HTTP server in front of
// Remix (server/remix-handler.ts) says it can take the Buffer itself, the page travels beside
// its Response instead. The two sides are bundled separately, so they meet on a global symbol.
// See docs/decisions/012-render-floor.md.

const REGISTRY = Symbol.for("kns.documentBodies");

type Registry = WeakMap<Response, Buffer<ArrayBuffer>>;
type WithRegistry = typeof globalThis & { [REGISTRY]?: Registry };

/** Called once by the HTTP server that sends document bodies with `takeDocumentBody`. */
export function acceptDocumentBodies(): void {
  (globalThis as WithRegistry)[REGISTRY] ??= new WeakMap();
}

/** A page's Response: its body beside it when the HTTP server takes it so, inside it otherwise. */
export function documentResponse(body: Buffer<ArrayBuffer>, init: ResponseInit): Response {
  const registry = (globalThis as WithRegistry)[REGISTRY];
  if (!registry) return new Response(body, init);
  const response = new Response(null, init);
  registry.set(response, body);
  return response;
}

/** The body `documentResponse` kept beside this Response, if any. */
export function takeDocumentBody(response: Response): Buffer<ArrayBuffer> | undefined {
  const registry = (globalThis as WithRegistry)[REGISTRY];
  const body = registry?.get(response);
  if (body) registry!.delete(response);
  return body;
}
