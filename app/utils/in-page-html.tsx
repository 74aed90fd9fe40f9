import { createContext, useContext, useState } from "react";

/**
 * Stored HTML (a lesson body, a course introduction) is the largest part of its page. Sent in
 * the loader data as well, it would reach the browser twice: once in the page and once, escaped
 * twice over, in the data React hydrates from. On a page request the loader therefore puts the
 * HTML aside for the server render (app/platform/in-page-html.server.ts) and its data carries
 * only this stand-in; in the browser, hydration takes the HTML from the element the server
 * rendered. Data requests (client-side navigation) carry the HTML itself.
 */
export type InPageHtml = { inPage: string };

/** The HTML a page request's loaders put aside, by element id; provided by entry.server.tsx. */
export const InPageHtmlContext = createContext<ReadonlyMap<string, string> | undefined>(undefined);

/**
 * Stored HTML in the element that hydration reads it back from. On a page request the loader's
 * stand-in names that element (`htmlForPage(context, id, html)` with the same `id`).
 */
export function StoredHtml({ id, html, className }: { id: string; html: string | InPageHtml; className: string }) {
  const putAside = useContext(InPageHtmlContext);
  // Read once, when the page hydrates: later data for this route comes with the HTML itself.
  const [hydrated] = useState(() =>
    typeof html !== "string" && !putAside && typeof document !== "undefined" ? (document.getElementById(id)?.innerHTML ?? "") : "",
  );
  const shown = typeof html === "string" ? html : putAside ? (putAside.get(html.inPage) ?? "") : hydrated;
  return <div id={id} className={className} dangerouslySetInnerHTML={{ __html: shown }} />;
}
