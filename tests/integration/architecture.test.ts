// The direction of imports (docs/architecture.md) is enforced by ESLint: these check that the
// rules fire for each wrong direction and stay quiet for the allowed ones.
import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint();

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport const used = [x];\n`, { filePath });
  return result.messages.filter((m) => m.ruleId === "@typescript-eslint/no-restricted-imports").map((m) => m.message);
}

describe("the direction of imports", () => {
  it("keeps the database client to data access and the platform", async () => {
    expect(await restrictedImports("app/learning/grading.server.ts", 'import { db as x } from "~/platform/db.server";')).toHaveLength(1);
    expect(await restrictedImports("app/hr/coverage.server.ts", 'import { readRows as x } from "../platform/db.server";')).toHaveLength(1);
    expect(await restrictedImports("app/routes/hr.staff/route.tsx", 'import { db as x } from "~/platform/db.server";')).toHaveLength(1);
    expect(await restrictedImports("app/learning/attempts.data.server.ts", 'import { db as x } from "~/platform/db.server";')).toEqual([]);
    expect(await restrictedImports("app/platform/audit.server.ts", 'import { db as x } from "./db.server";')).toEqual([]);
    // Types may be named anywhere: they carry no access.
    expect(await restrictedImports("app/learning/quiz.server.ts", 'import type { Tx as x } from "~/platform/db.server";')).toEqual([]);
  });

  it("keeps the platform free of capabilities", async () => {
    expect(await restrictedImports("app/platform/mail.server.ts", 'import { hrUnit as x } from "~/hr/hr-scope.server";')).toHaveLength(1);
    expect(await restrictedImports("app/platform/mail.server.ts", 'import { requireUser as x } from "../identity/auth.server";')).toHaveLength(1);
    expect(await restrictedImports("app/platform/mail.server.ts", 'import { formatDate as x } from "~/utils/vietnam-time";')).toEqual([]);
  });

  it("lets nothing import a route, and keeps server code out of components and utils", async () => {
    expect(await restrictedImports("app/hr/assignments.server.ts", 'import { loader as x } from "~/routes/hr.staff";')).toHaveLength(1);
    expect(await restrictedImports("app/components/ui/Notice.tsx", 'import { requireUser as x } from "~/identity/auth.server";')).toHaveLength(1);
    expect(await restrictedImports("app/utils/course.ts", 'import { env as x } from "~/platform/env.server";')).toHaveLength(1);
    expect(await restrictedImports("app/routes/hr.staff/route.tsx", 'import { hrUnit as x } from "~/hr/hr-scope.server";')).toEqual([]);
    expect(await restrictedImports("app/certificates/issue.server.ts", 'import { enrolmentState as x } from "~/learning/learning.server";')).toEqual([]);
  });
});

describe("trainer-written MDX", () => {
  it("is compiled only in the worker thread: nothing else in the app calls the compiler directly", () => {
    const callers = fs
      .readdirSync("app", { recursive: true, encoding: "utf8" })
      .filter((f) => /\.(ts|tsx)$/.test(f) && !f.startsWith("generated"))
      .filter((f) => /\bcompileLessonMdx\b/.test(fs.readFileSync(path.join("app", f), "utf8")));
    expect(callers.sort()).toEqual(["content/mdx-compile.server.ts", "content/mdx-worker.ts"]);
  });
});
