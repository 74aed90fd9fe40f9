// The installed router is rewritten at install time to keep ranked branches and compiled
// patterns (scripts/patch-router.mjs). Matching must give exactly what it gave before.
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

  it("sees a changed route table (a new array is matched afresh)", () => {
    const extended: RouteObject[] = [{ path: "/", id: "root", children: [{ path: "khong-co", id: "new" }] }];
    expect(matchRoutes(extended, "/khong-co")?.at(-1)?.route.id).toBe("new");
    expect(ids("/khong-co")).toBeNull();
  });
});
