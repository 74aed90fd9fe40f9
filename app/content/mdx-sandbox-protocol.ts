// Messages between the server and the MDX worker thread (mdx-worker.ts, mdx-sandbox.server.ts).
import type { MdxProblem } from "~/content/mdx-check.server";
import type { LessonCompileResult } from "~/content/mdx-compile.server";

export type SandboxJob = { id: number; op: "check" | "compile"; source: string };
export type CheckResult = { ok: true; problems: MdxProblem[] };
export type SandboxReply = { id: number; result: LessonCompileResult | CheckResult } | { id: number; error: string } | { ready: true };
