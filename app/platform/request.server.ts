import type { AppLoadContext } from "@remix-run/node";
import { CLIENT_IP_HEADER } from "~/utils/client-ip";

declare module "@remix-run/node" {
  interface AppLoadContext {
    ip: string;
  }
}

export function clientIp(context: AppLoadContext): string {
  return context.ip ?? "unknown";
}

/**
 * The client's address where only the request is at hand. The HTTP server (server/index.ts)
 * always overwrites this header with the address it saw, so a client cannot choose it.
 */
export function requestIp(request: Request): string {
  return request.headers.get(CLIENT_IP_HEADER) ?? "unknown";
}

/** A trimmed text field of a submitted form; absent or non-text fields read as "". */
export function field(form: FormData, name: string, max = 500): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim().slice(0, max) : "";
}

export function notFound(): Response {
  return new Response("Not Found", { status: 404 });
}

export function badRequest(): Response {
  return new Response("Bad Request", { status: 400 });
}

/** Ids are 32-bit integers in both databases; PostgreSQL refuses a larger value with an error. */
export const MAX_ID = 2_147_483_647;

/** A positive id from a form field or query, or null for anything else (including ids beyond MAX_ID). */
export function positiveId(value: unknown): number | null {
  const n = typeof value === "string" && /^\d{1,10}$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isInteger(n) && n > 0 && n <= MAX_ID ? n : null;
}

/** Parses a positive integer id from a URL parameter; anything else is a 404. */
export function idParam(value: string | undefined): number {
  if (!value || !/^[1-9]\d{0,9}$/.test(value) || Number(value) > MAX_ID) throw notFound();
  return Number(value);
}
