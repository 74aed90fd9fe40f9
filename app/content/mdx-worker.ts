// Entry of the worker thread that checks and compiles trainer-written MDX (mdx-sandbox.server.ts).
// Parsing cannot be interrupted and some shapes of text take seconds, so this runs off the
// server's event loop, one job at a time, and the server ends the thread when a job overruns.
import { parentPort } from "node:worker_threads";
import { checkLessonMdx, mediaReferences } from "~/content/mdx-check.server";
import { compileLessonMdx, loadCompiler } from "~/content/mdx-compile.server";
import type { SandboxJob, SandboxReply } from "~/content/mdx-sandbox-protocol";

if (!parentPort) throw new Error("mdx-worker runs only as a worker thread");
const port = parentPort;

// The compiler is loaded before the first job is taken, so no job's deadline pays for it.
await loadCompiler();
port.postMessage({ ready: true });

port.on("message", async (job: SandboxJob) => {
  let reply: SandboxReply;
  try {
    const result = job.op === "check" ? { ok: true as const, problems: checkLessonMdx(job.source) } : await compileLessonMdx(job.source);
    // The images it points at, found here so that the server never parses trainer text itself.
    if ("code" in result && result.ok) result.media = mediaReferences(job.source);
    reply = { id: job.id, result };
  } catch (error) {
    reply = { id: job.id, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
