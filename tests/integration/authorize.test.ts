import { describe, expect, it } from "vitest";
import type { SessionUser } from "~/identity/auth.server";
import { authorize, scopePaths } from "~/identity/authorize.server";

const user = (roles: [string, string][], home = "/P1/P1.SNV/"): SessionUser => ({
  id: 1,
  email: "x@y.vn",
  fullName: "X",
  orgUnitId: 1,
  orgUnitPath: home,
  locale: null,
  secondFactor: null,
  secondFactorExempt: false,
  roles: roles.map(([role, path]) => ({ role: role as SessionUser["roles"][number]["role"], orgUnitId: 1, path, unitCode: "", unitName: "" })),
});

describe("authorize", () => {
  it("grants a role over its unit's whole subtree and nothing else", () => {
    const hr = user([["hr", "/P1/"]]);
    expect(authorize(hr, "staff.view", { id: 2, path: "/P1/P1C1/" })).toBe(true);
    expect(authorize(hr, "staff.view", { id: 3, path: "/P2/P2C1/" })).toBe(false);
    // A code that merely starts with the same characters is another unit.
    expect(authorize(hr, "staff.view", { id: 4, path: "/P10/" })).toBe(false);
    expect(authorize(hr, "user.manage")).toBe(false);
  });

  it("makes everyone a learner in their own unit only", () => {
    const learner = user([]);
    expect(authorize(learner, "course.learn")).toBe(true);
    expect(authorize(learner, "course.learn", { id: 1, path: "/P1/P1.SNV/" })).toBe(true);
    expect(authorize(learner, "staff.view")).toBe(false);
    expect(authorize(learner, "course.author")).toBe(false);
  });

  it("merges overlapping scopes", () => {
    expect(scopePaths(user([["admin", "/P1/"], ["admin", "/P1/P1C1/"], ["admin", "/P2/"]]), "user.manage")).toEqual(["/P1/", "/P2/"]);
  });
});
