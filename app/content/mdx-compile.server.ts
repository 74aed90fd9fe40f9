// Compiles a checked lesson (mdx-check.server.ts) once and renders it to static HTML once;
// requests serve the stored HTML and never compile or evaluate anything.
import type { MediaReference } from "~/content/mdx-check.server";
import crypto from "node:crypto";
import os from "node:os";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { Root } from "mdast";
import { mdxComponents } from "~/components/mdx";
import { checkLessonMdx, findTreeProblems, MDX_MESSAGES, sortProblems, type MdxProblem } from "~/content/mdx-check.server";
import { limitConcurrency } from "~/platform/concurrency.server";

/** Bump when ~/components/mdx changes, so stored lesson HTML is rendered again. */
export const MDX_RENDERER_VERSION = 3;

export type LessonCompileResult =
  /** `media`: the media-library paths the lesson points at, with their places (filled in by the worker). */
  | { ok: true; html: string; code: string; hash: string; frontmatter: Record<string, unknown>; media?: MediaReference[] }
  | { ok: false; problems: MdxProblem[] };

// esbuild is memory-hungry: two compiles at a time is plenty for a 2-core machine.
const compileSlot = limitConcurrency(2);

type Compiler = {
  bundleMDX: typeof import("mdx-bundler").bundleMDX;
  getMDXComponent: typeof import("mdx-bundler/client/index.js").getMDXComponent;
  remarkGfm: typeof import("remark-gfm").default;
};
let compiler: Promise<Compiler> | undefined;

/** The compiler (esbuild, remark) is loaded when a lesson is first compiled, not at start-up. */
export function loadCompiler(): Promise<Compiler> {
  compiler ??= Promise.all([import("mdx-bundler"), import("mdx-bundler/client/index.js"), import("remark-gfm")]).then(
    ([bundler, client, gfm]) => ({ bundleMDX: bundler.bundleMDX, getMDXComponent: client.getMDXComponent, remarkGfm: gfm.default }),
  );
  return compiler;
}

/**
 * Checks, then compiles and renders a lesson. With any problem the compiler is never called.
 * The HTML is what learners see; `code` is kept only to re-render without re-bundling.
 */
export async function compileLessonMdx(source: string): Promise<LessonCompileResult> {
  const problems = checkLessonMdx(source);
  if (problems.length > 0) return { ok: false, problems };
  return compileSlot(() => compileCheckedLesson(source));
}

async function compileCheckedLesson(source: string): Promise<LessonCompileResult> {
  const { bundleMDX, getMDXComponent, remarkGfm } = await loadCompiler();
  let bundled: Awaited<ReturnType<typeof bundleMDX>>;
  try {
    bundled = await bundleMDX({
      source,
      // Nothing may be imported; an empty working directory makes sure nothing could resolve.
      cwd: os.tmpdir(),
      grayMatterOptions: () => ({ language: "yaml", engines: { javascript: refuseEngine, js: refuseEngine } }),
      mdxOptions: (options) => ({ ...options, remarkPlugins: [remarkLessonGuard, remarkGfm, ...(options.remarkPlugins ?? [])] }),
      esbuildOptions: (options) => ({ ...options, logLevel: "silent" }),
    });
  } catch (error) {
    return { ok: false, problems: compileErrorProblems(error) };
  }
  let html: string;
  try {
    const Lesson = getMDXComponent(bundled.code);
    html = renderToStaticMarkup(createElement(Lesson, { components: mdxComponents }));
  } catch (error) {
    return { ok: false, problems: [{ line: 1, column: 1, ...MDX_MESSAGES.render(errorText(error)) }] };
  }
  return { ok: true, html, code: bundled.code, hash: sha256(source), frontmatter: bundled.frontmatter };
}

function refuseEngine(): never {
  throw new LessonRejected([{ line: 1, column: 4, ...MDX_MESSAGES.frontmatterFence }]);
}

class LessonRejected extends Error {
  constructor(readonly problems: MdxProblem[]) {
    super(problems.map((p) => `${p.line}:${p.column} ${p.key}`).join("\n"));
  }
}

/**
 * Second line of defence: the same allow-list on the tree the compiler itself parsed, before
 * it generates any code. Runs first, before remark-mdx-frontmatter adds its own export.
 */
function remarkLessonGuard() {
  return (tree: unknown, file: { value: unknown }) => {
    const problems = findTreeProblems(tree as Root, String(file.value));
    if (problems.length > 0) throw new LessonRejected(sortProblems(problems));
  };
}

type EsbuildMessage = { text?: string; location?: { line?: number; column?: number } | null; detail?: unknown };

function compileErrorProblems(error: unknown): MdxProblem[] {
  if (error instanceof LessonRejected) return error.problems;
  const yamlMark = (error as { mark?: { line?: number; column?: number } } | null)?.mark;
  if (yamlMark) return [{ line: (yamlMark.line ?? 0) + 1, column: (yamlMark.column ?? 0) + 1, ...MDX_MESSAGES.yaml(errorText(error)) }];
  const messages = (error as { errors?: EsbuildMessage[] } | null)?.errors;
  if (!Array.isArray(messages) || messages.length === 0) return [{ line: 1, column: 1, ...MDX_MESSAGES.compile(errorText(error)) }];
  return sortProblems(messages.flatMap(esbuildMessageProblems));
}

function esbuildMessageProblems(message: EsbuildMessage): MdxProblem[] {
  const cause = (message.detail as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof LessonRejected) return cause.problems;
  const location = message.location;
  return [{ line: location?.line || 1, column: (location?.column ?? 0) + 1, ...MDX_MESSAGES.compile(message.text ?? "") }];
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0];
}

function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}
