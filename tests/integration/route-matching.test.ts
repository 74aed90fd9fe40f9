// The installed router is rewritten at install time to keep compiled patterns (both builds) and
// ranked branches (the server's CommonJS build only; scripts/patch-remix.mjs). Matching must
// give exactly what it gave before, including in the browser's build, where lazy route
// discovery adds routes to existing arrays. Loaders get the request itself unless Remix's own
// query parameters have to be taken off it.
import fs from "node:fs";
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
  it("is memoised in the installed router", () => {
    const require = createRequire(import.meta.url);
    for (const file of ["dist/router.cjs.js", "dist/router.js"]) {
      const source = fs.readFileSync(require.resolve(`@remix-run/router/${file}`), "utf8");
      expect(source).toContain("kns: memoised route matching");
    }
  });

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
  it("keeps ranked branches only in the server's CommonJS build", () => {
    const require = createRequire(import.meta.url);
    const cjs = fs.readFileSync(require.resolve("@remix-run/router/dist/router.cjs.js"), "utf8");
    const esm = fs.readFileSync(require.resolve("@remix-run/router/dist/router.js"), "utf8");
    expect(cjs).toContain("rankedBranchesOf(routes)");
    expect(esm).not.toContain("rankedBranchesOf");
    const server = require("@remix-run/router") as { matchRoutes: typeof matchRoutes };
    expect(server.matchRoutes(routes, "/courses/an-toan/quiz")?.at(-1)?.route.id).toBe("quiz");
  });

  it("gives every caller its own matches for a path matched before", () => {
    const require = createRequire(import.meta.url);
    const server = require("@remix-run/router") as { matchRoutes: typeof matchRoutes };
    const cjs = fs.readFileSync(require.resolve("@remix-run/router/dist/router.cjs.js"), "utf8");
    expect(cjs).toContain("kns: route matches kept per path");
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
