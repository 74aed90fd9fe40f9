// Trainer-written MDX is checked and compiled in worker threads, never on the server's event
// loop: Markdown parsing cannot be interrupted, and text built to be slow (40,000 "[" took
// 12-26 s) used to stall every other request. Here each job gets a deadline; a worker that
// overruns it (or its memory cap) is ended and the trainer is told the lesson is too complex.
// Two workers at most, each with one job at a time, and a bounded queue: a flood of previews
// waits or is refused, it never takes the server's memory or time.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { MDX_MESSAGES, type MdxProblem } from "~/content/mdx-check.server";
import type { LessonCompileResult } from "~/content/mdx-compile.server";
import type { SandboxJob, SandboxReply } from "~/content/mdx-sandbox-protocol";
import { env } from "~/platform/env.server";

const MAX_WORKERS = 2;
/** Jobs waiting for a worker beyond this are refused at once ("busy"). */
const MAX_WAITING = 16;
/** A worker idle this long is ended; the next job starts a new one (about 0.3 s). */
const IDLE_MS = 60_000;
/** Heap of one worker: the worst lesson within the size caps needs well under this. */
const WORKER_HEAP_MB = 256;
/** A worker that has not loaded the compiler in this time is ended (and the next job starts another). */
const START_MS = 60_000;

type Pending = {
  job: SandboxJob;
  resolve: (result: LessonCompileResult | { ok: true; problems: MdxProblem[] }) => void;
};

type Slot = { worker: Worker; ready: boolean; current: Pending | null; deadline?: NodeJS.Timeout; idle?: NodeJS.Timeout };

const slots: Slot[] = [];
const waiting: Pending[] = [];
let nextId = 1;

/** Checks, then compiles and renders a lesson, off the event loop and within the deadline. */
export async function compileLesson(source: string): Promise<LessonCompileResult> {
  const result = await run("compile", source);
  return "code" in result || !result.ok ? result : { ok: false, problems: result.problems };
}

/** The problems that keep `source` from compiling (empty when none), found off the event loop. */
export async function checkLesson(source: string): Promise<MdxProblem[]> {
  const result = await run("check", source);
  return result.ok ? ("problems" in result ? result.problems : []) : result.problems;
}

function run(op: SandboxJob["op"], source: string): Promise<LessonCompileResult | { ok: true; problems: MdxProblem[] }> {
  if (waiting.length >= MAX_WAITING) return Promise.resolve(refusal(MDX_MESSAGES.busy));
  return new Promise((resolve) => {
    waiting.push({ job: { id: nextId++, op, source }, resolve });
    dispatch();
  });
}

function refusal(message: Omit<MdxProblem, "line" | "column">): { ok: false; problems: MdxProblem[] } {
  return { ok: false, problems: [{ line: 1, column: 1, ...message }] };
}

function dispatch(): void {
  while (waiting.length > 0) {
    const slot = slots.find((s) => s.ready && s.current === null);
    if (!slot) {
      // A worker still starting takes the job when ready; start another while there is room.
      if (slots.length < MAX_WORKERS && slots.every((s) => s.ready)) startWorker();
      return;
    }
    give(slot, waiting.shift()!);
  }
}

function give(slot: Slot, pending: Pending): void {
  clearTimeout(slot.idle);
  slot.current = pending;
  slot.worker.ref();
  slot.deadline = setTimeout(() => endWorker(slot, MDX_MESSAGES.tooSlow), env.MDX_DEADLINE_SECONDS * 1000);
  slot.worker.postMessage(pending.job);
}

function startWorker(): Slot {
  const worker = new Worker(workerScript(), { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }, stdout: false, stderr: false });
  const slot: Slot = { worker, ready: false, current: null };
  slots.push(slot);
  slot.deadline = setTimeout(() => endWorker(slot, MDX_MESSAGES.busy), START_MS);
  worker.on("message", (reply: SandboxReply) => {
    if ("ready" in reply) {
      clearTimeout(slot.deadline);
      slot.ready = true;
      idle(slot);
      dispatch();
      return;
    }
    const pending = slot.current;
    if (!pending || pending.job.id !== reply.id) return;
    clearTimeout(slot.deadline);
    slot.current = null;
    if ("error" in reply) {
      console.error(`[kns:mdx] the worker failed on a lesson: ${reply.error.split("\n")[0]}`);
      pending.resolve(refusal(MDX_MESSAGES.compile(reply.error.split("\n")[0])));
    } else pending.resolve(reply.result);
    idle(slot);
    dispatch();
  });
  // Out of memory, or a crash: the job is answered and the worker replaced on the next job.
  worker.on("error", (error) => {
    if ((error as { code?: string }).code !== "ERR_WORKER_OUT_OF_MEMORY") console.error(`[kns:mdx] worker stopped: ${error.message}`);
    endWorker(slot, MDX_MESSAGES.tooSlow);
  });
  worker.on("exit", () => endWorker(slot, MDX_MESSAGES.tooSlow));
  return slot;
}

/** Lets the process exit while no job runs, and ends the worker after a quiet minute. */
function idle(slot: Slot): void {
  slot.worker.unref();
  slot.idle = setTimeout(() => endWorker(slot, null), IDLE_MS).unref();
}

function endWorker(slot: Slot, answer: Omit<MdxProblem, "line" | "column"> | null): void {
  const index = slots.indexOf(slot);
  if (index === -1) return;
  slots.splice(index, 1);
  clearTimeout(slot.deadline);
  clearTimeout(slot.idle);
  const pending = slot.current;
  slot.current = null;
  void slot.worker.terminate();
  if (pending) pending.resolve(refusal(answer ?? MDX_MESSAGES.tooSlow));
  // A worker that could not even start would fail again at once: answer those waiting instead.
  if (!slot.ready && answer) {
    for (const waiter of waiting.splice(0)) waiter.resolve(refusal(MDX_MESSAGES.busy));
    return;
  }
  dispatch();
}

/**
 * The built server runs the bundled worker next to it (build/server/mdx-worker.js, see the build
 * script); run from source (development, the command line, tests) the worker's TypeScript is
 * loaded through tsx (mdx-worker-source.mjs).
 */
function workerScript(): string {
  // The server build may put this code in a chunk under build/server/assets/: look beside it and
  // one folder up for the built worker, else run the source one (development, tests from source).
  const built = BUILT_WORKER.map((p) => fileURLToPath(new URL(p, import.meta.url))).find((f) => fs.existsSync(f));
  return built ?? fileURLToPath(new URL(SOURCE_WORKER, import.meta.url));
}
// Kept in variables so the bundler does not try to resolve them at build time.
const BUILT_WORKER = ["./mdx-worker.js", "../mdx-worker.js"];
const SOURCE_WORKER = "./mdx-worker-source.mjs";
