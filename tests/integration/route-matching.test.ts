// The installed router is rewritten at install time to keep compiled patterns (both builds) and
// ranked branches and matches (the server's CommonJS build only), and the server keeps its route
// tables per build (scripts/patch-remix.mjs; library-internals.test.ts checks every edit's text).
// Matching must give exactly what it gave before, including in the browser's build, where lazy
// route discovery adds routes to existing arrays. Loaders get the request itself unless Remix's
// own query parameters have to be taken off it.
import { createRequire } from "node:module";
import { matchRoutes, type AgnosticRouteObject as RouteObject } from "@remix-run/router";
import { describe, expect, it } from "vitest";

const routes: RouteObject[] = [
  {
    path: "/",
    id: "root",
    children: [
      { index: true, id: "home" },
      { path: "courses/:course", id: "course" },
      { path: "courses/:course/quiz", id: "quiz" },
      { path: "courses/:course/:lesson", id: "lesson" },
      { path: "verify/:code?", id: "verify" },
      { path: "Admin/Units", id: "units", caseSensitive: true },
      { path: "media/*", id: "media" },
    ],
  },
];

const ids = (path: string) => matchRoutes(routes, path)?.map((m) => [m.route.id, m.params]) ?? null;

describe("route matching", () => {
  it("ranks static segments before dynamic ones and keeps params per call", () => {
    for (let round = 0; round < 3; round++) {
      expect(ids("/")).toEqual([["root", {}], ["home", {}]]);
      expect(ids("/courses/an-toan/quiz")!.at(-1)).toEqual(["quiz", { course: "an-toan" }]);
      expect(ids("/courses/an-toan/bai-1")!.at(-1)).toEqual(["lesson", { course: "an-toan", lesson: "bai-1" }]);
      expect(ids("/courses/thanh-toan")!.at(-1)).toEqual(["course", { course: "thanh-toan" }]);
      expect(ids("/verify")!.at(-1)).toEqual(["verify", { code: undefined }]);
      expect(ids("/verify/ABCD-EFGH")!.at(-1)).toEqual(["verify", { code: "ABCD-EFGH" }]);
      expect(ids("/media/anh/so-do.png")!.at(-1)).toEqual(["media", { "*": "anh/so-do.png" }]);
      expect(ids("/Admin/Units")!.at(-1)).toEqual(["units", {}]);
      expect(ids("/admin/units")).toBeNull();
      expect(ids("/khong-co")).toBeNull();
    }
  });

  // The browser's behaviour (routes discovered lazily and added in place) is covered by the
  // browser tests, which navigate from /verify to /verify/<code> on the client.
  it("ranks the same way in the server's CommonJS build, which keeps ranked branches", () => {
    const server = createRequire(import.meta.url)("@remix-run/router") as { matchRoutes: typeof matchRoutes };
    expect(server.matchRoutes(routes, "/courses/an-toan/quiz")?.at(-1)?.route.id).toBe("quiz");
    expect(server.matchRoutes(routes, "/courses/an-toan/bai-1")?.at(-1)?.route.id).toBe("lesson");
  });

  it("gives every caller its own matches for a path matched before", () => {
    const require = createRequire(import.meta.url);
    const server = require("@remix-run/router") as { matchRoutes: typeof matchRoutes };
    const first = server.matchRoutes(routes, "/courses/an-toan/bai-1")!;
    (first[0].params as Record<string, string>).course = "changed";
    (first as unknown[]).length = 0;
    const second = server.matchRoutes(routes, "/courses/an-toan/bai-1")!;
    expect(second.map((m) => [m.route.id, m.params])).toEqual([
      ["root", { course: "an-toan", lesson: "bai-1" }],
      ["lesson", { course: "an-toan", lesson: "bai-1" }],
    ]);
    // As from a fresh match: one params object shared by the matches of one result.
    expect(second[0].params).toBe(second[1].params);
    expect(second[0].params).not.toBe(first[0]?.params);
    // Encoded and unknown paths are matched (and missed) the same way every time.
    for (let round = 0; round < 2; round++) {
      expect(server.matchRoutes(routes, "/courses/an%20toan")?.at(-1)?.params).toEqual({ course: "an toan" });
      expect(server.matchRoutes(routes, "/khong-co/gi")).toBeNull();
    }
  });

  it("sees a changed route table (a new array is matched afresh)", () => {
    const extended: RouteObject[] = [{ path: "/", id: "root", children: [{ path: "khong-co", id: "new" }] }];
    expect(matchRoutes(extended, "/khong-co")?.at(-1)?.route.id).toBe("new");
    expect(ids("/khong-co")).toBeNull();
  });
});

// A server build never changes its routes: what is made from them is made once per build.
describe("route tables of a server build", () => {
  const require = createRequire(import.meta.url);

  it("give one route modules map per build, and a new one for a rebuilt one", () => {
    type Manifest = Record<string, { module: object }>;
    const { createEntryRouteModules } = require("@remix-run/server-runtime/dist/entry.js") as { createEntryRouteModules(manifest: Manifest): Record<string, object> };
    const [root, login] = [{}, {}];
    const build: Manifest = { root: { module: root }, "routes/login": { module: login } };
    const modules = createEntryRouteModules(build);
    expect(modules).toEqual({ root, "routes/login": login });
    expect(createEntryRouteModules(build)).toBe(modules);
    expect(createEntryRouteModules({ ...build })).not.toBe(modules);
  });

  it("give the static router the same data routes on every render, with this render's matches", async () => {
    type StaticRouter = { routes: RouteObject[]; state: { matches: { params: object; route: RouteObject }[] } };
    const { createStaticHandler, createStaticRouter } = require("react-router-dom/server") as {
      createStaticHandler(routes: RouteObject[]): { dataRoutes: RouteObject[]; query(request: Request): Promise<object> };
      createStaticRouter(routes: RouteObject[], context: object): StaticRouter;
    };
    const handler = createStaticHandler(routes);
    const render = async (path: string) => createStaticRouter(handler.dataRoutes, await handler.query(new Request(`http://localhost${path}`)));
    const first = await render("/courses/an-toan/bai-1");
    const second = await render("/courses/thanh-toan");
    expect(second.routes).toBe(first.routes);
    expect(second.state.matches.at(-1)!.route).toBe(first.routes[0].children!.find((r) => r.id === "course"));
    expect(first.state.matches.map((m) => [m.route.id, m.params])).toEqual([
      ["root", { course: "an-toan", lesson: "bai-1" }],
      ["lesson", { course: "an-toan", lesson: "bai-1" }],
    ]);
    expect(createStaticRouter([...handler.dataRoutes], { matches: [] }).routes).not.toBe(first.routes);
  });
});

describe("the request a loader gets", () => {
  type LoaderCall = (args: { loadContext: object; loader: (args: { request: Request }) => Promise<unknown>; params: object; request: Request; routeId: string; singleFetch: boolean }) => Promise<unknown>;
  const { callRouteLoader } = createRequire(import.meta.url)("@remix-run/server-runtime/dist/data.js") as { callRouteLoader: LoaderCall };
  const requestSeenBy = async (request: Request) => {
    let seen: Request | undefined;
    const loader = async (args: { request: Request }) => ((seen = args.request), null);
    await callRouteLoader({ loadContext: {}, loader, params: {}, request, routeId: "routes/test", singleFetch: true });
    return seen!;
  };

  it("is the request itself when Remix added nothing to its address", async () => {
    const request = new Request("http://localhost/courses?q=an+to%C3%A0n&category=security");
    expect(await requestSeenBy(request)).toBe(request);
  });

  it("is a copy without Remix's empty index marker and route list", async () => {
    const request = new Request("http://localhost/hr?index&_routes=routes%2Fhr._index&unit=P1&index=kept", { headers: { Cookie: "a=b" } });
    const seen = await requestSeenBy(request);
    expect(seen.url).toBe("http://localhost/hr?unit=P1&index=kept");
    expect(seen.headers.get("Cookie")).toBe("a=b");
  });
});
