/** What a route module may declare in its `handle` export. */
export type RouteHandle = {
  /**
   * `false`: the page goes out as plain HTML, without the app's scripts and hydration data. For
   * public pages that work without JavaScript (their forms are plain GET/POST forms): nothing to
   * download, and less to render (docs/decisions/015-plain-public-pages.md).
   */
  scripts?: boolean;
};

/** Whether every route of the page lets it carry the app's scripts. */
export function pageHasScripts(matches: readonly { handle?: unknown }[]): boolean {
  return !matches.some((m) => (m.handle as RouteHandle | undefined)?.scripts === false);
}
