import type { AppLoadContext } from "@remix-run/node";
import type { InPageHtml } from "~/utils/in-page-html";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Present on page requests only: HTML that goes into the page but not into its data. */
    inPageHtml?: Map<string, string>;
  }
}

/** A new store for a request that renders a page (not for `.data` requests). */
export function inPageHtmlStore(pathname: string): Map<string, string> | undefined {
  return pathname.endsWith(".data") ? undefined : new Map();
}

/**
 * Stored HTML as loader data: on a page request it is put aside for the server render and the
 * data carries a stand-in (see app/utils/in-page-html.tsx); on a data request, the HTML itself.
 */
export function htmlForPage(context: AppLoadContext, elementId: string, html: string): string | InPageHtml {
  if (!context.inPageHtml) return html;
  context.inPageHtml.set(elementId, html);
  return { inPage: elementId };
}
