// Trainer-written lesson MDX is data, not code. MDX compiles to JavaScript and mdx-bundler
// runs that JavaScript (new Function) to render it, so a lesson must be proven harmless
// BEFORE it reaches the compiler (mdx-compile.server.ts): checkLessonMdx parses it into a
// syntax tree and accepts only an allow-list (Markdown, the components in ~/components/mdx
// with string props, safe URLs), and says where each problem is, by line and column.
import type { Content, Root } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { frontmatterFromMarkdown } from "mdast-util-frontmatter";
import { mdxFromMarkdown, type MdxJsxFlowElement, type MdxJsxTextElement } from "mdast-util-mdx";
import { gfmFromMarkdown } from "mdast-util-gfm";
import { frontmatter } from "micromark-extension-frontmatter";
import { gfm } from "micromark-extension-gfm";
import { mdxjs } from "micromark-extension-mdxjs";
import { isMediaPath, MDX_COMPONENT_SPECS, type MdxComponentName, type MdxPropSpec } from "~/components/mdx";
import type { Message } from "~/utils/i18n";
import type { MediaKind } from "~/utils/media";
import "~/locales/author";

export const MAX_LESSON_MDX_BYTES = 200 * 1024;
export const MAX_LESSON_MDX_LINES = 2000;

/** A problem and its place; `key` and `params` are the text, in the reader's language (see translate). */
export type MdxProblem = { line: number; column: number } & Message;

// Messages are shown to trainers, who are not developers: say what to do. Their text is in
// app/locales/author.*.ts under author.check. The compiler words its own failures with them too.
const COMPONENT_LIST = Object.keys(MDX_COMPONENT_SPECS).join(", ");
const check = (name: string, params?: Message["params"]): Message => ({ key: `author.check.${name}`, ...(params && { params }) });
export const MDX_MESSAGES = {
  tooLong: check("tooLong", { kb: MAX_LESSON_MDX_BYTES / 1024, lines: MAX_LESSON_MDX_LINES }),
  tooDeep: (max: number) => check("tooDeep", { max }),
  tooSlow: check("tooSlow"),
  busy: check("busy"),
  frontmatterFence: check("frontmatterFence"),
  misplacedFrontmatter: check("misplacedFrontmatter"),
  esm: check("esm"),
  expression: check("expression"),
  rawHtml: check("rawHtml", { components: COMPONENT_LIST }),
  fragment: check("fragment", { components: COMPONENT_LIST }),
  unsupported: (type: string) => check("unsupported", { type }),
  htmlTag: (name: string) => check("htmlTag", { name, components: COMPONENT_LIST }),
  unknownComponent: (name: string) => check("unknownComponent", { name, components: COMPONENT_LIST }),
  blockOnly: (name: string) => check("blockOnly", { name }),
  noChildren: (name: string) => check("noChildren", { name }),
  spread: (name: string) => check("spread", { name }),
  eventHandler: (name: string, prop: string) => check("eventHandler", { name, prop }),
  unknownProp: (name: string, prop: string, allowed: string[]) =>
    allowed.length > 0 ? check("unknownProp", { name, prop, allowed: allowed.join(", ") }) : check("noProps", { name, prop }),
  duplicateProp: (name: string, prop: string) => check("duplicateProp", { name, prop }),
  propNeedsValue: (name: string, prop: string) => check("propNeedsValue", { name, prop }),
  propExpression: (name: string, prop: string) => check("propExpression", { name, prop }),
  propNotInSet: (name: string, prop: string, value: string, allowed: readonly string[]) =>
    check("propNotInSet", { name, prop, value, allowed: allowed.join(", ") }),
  propEmpty: (name: string, prop: string) => check("propEmpty", { name, prop }),
  propNotMedia: (name: string, prop: string) => check("propNotMedia", { name, prop }),
  missingProp: (name: string, prop: string) => check("missingProp", { name, prop }),
  unsafeLink: (url: string) => check("unsafeLink", { url: shorten(url) }),
  imageWithoutAlt: check("imageWithoutAlt"),
  unsafeImage: (url: string) => check("unsafeImage", { url: shorten(url) }),
  unclosedTag: (name: string) => check("unclosedTag", { name }),
  mismatchedTag: (closing: string, open: string) => check("mismatchedTag", { closing, open }),
  strayClosingTag: check("strayClosingTag"),
  htmlComment: check("htmlComment"),
  angleLink: check("angleLink"),
  unquotedValue: check("unquotedValue"),
  syntax: (reason: string) => check("syntax", { reason }),
  yaml: (reason: string) => check("yaml", { reason }),
  compile: (reason: string) => check("compile", { reason }),
  render: (reason: string) => check("render", { reason }),
};

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** Problems that keep `source` from being compiled, in reading order; empty when it is safe. */
export function checkLessonMdx(source: string): MdxProblem[] {
  const tooBig = sizeProblem(source) ?? deepNestingProblem(source);
  if (tooBig) return [tooBig];
  const problems = checkFrontmatterFence(source);
  let tree: Root;
  try {
    tree = parseLesson(source);
  } catch (error) {
    return sortProblems([...problems, syntaxProblem(error, source)]);
  }
  return sortProblems([...problems, ...findTreeProblems(tree, source)]);
}

// Markdown parsing (micromark, here and again in the compiler) cannot be interrupted, and its
// time grows faster than the text for some shapes: measured here, 200 KB of "- - - - - x"
// lines or of "a\n=\n" took minutes, a flat list of 25,000 items half a minute. Real lessons
// are ~100 lines with two or three levels of nesting, so lines and nesting are capped by a
// linear scan before anything is parsed. Within these caps the worst shape found (2,000 lines
// of "- - - x") still took ~2.5 s to check and ~7 s to compile on a busy 2-core machine.
const MAX_NESTED_BLOCKS_PER_LINE = 3;
const MAX_INDENT_COLUMNS = 16;

function sizeProblem(source: string): MdxProblem | null {
  if (Buffer.byteLength(source, "utf8") > MAX_LESSON_MDX_BYTES) return { line: 1, column: 1, ...MDX_MESSAGES.tooLong };
  let lines = 1;
  for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) {
    if (++lines > MAX_LESSON_MDX_LINES) return { line: 1, column: 1, ...MDX_MESSAGES.tooLong };
  }
  return null;
}

function deepNestingProblem(source: string): MdxProblem | null {
  let lineStart = 0;
  for (let line = 1; lineStart <= source.length; line++) {
    const next = source.indexOf("\n", lineStart);
    const lineEnd = next === -1 ? source.length : next;
    const column = isThematicBreak(source.slice(lineStart, lineEnd)) ? null : nestingLimitColumn(source, lineStart, lineEnd);
    if (column !== null) return { line, column, ...MDX_MESSAGES.tooDeep(MAX_NESTED_BLOCKS_PER_LINE) };
    lineStart = lineEnd + 1;
  }
  return null;
}

/** "- - - -" or "* * * *" is a horizontal rule, not nested lists. */
function isThematicBreak(line: string): boolean {
  return /^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*\r?$/.test(line);
}

/** Column where the line's block markers (>, -, *, +, 1.) or indentation go past the limit. */
function nestingLimitColumn(source: string, start: number, end: number): number | null {
  let depth = 0;
  let indent = 0;
  let i = start;
  while (i < end) {
    const c = source[i];
    if (c === " " || c === "\t") {
      indent += c === "\t" ? 4 : 1;
      i++;
    } else if (c === ">") {
      depth++;
      i++;
    } else {
      const marker = listMarkerLength(source, i, end);
      if (marker === 0) break;
      depth++;
      i += marker;
    }
    if (depth > MAX_NESTED_BLOCKS_PER_LINE || indent > MAX_INDENT_COLUMNS) return i - start;
  }
  return null;
}

/** Length of a list marker ("-", "*", "+", "12." or "3)") followed by a space or the line end. */
function listMarkerLength(source: string, at: number, end: number): number {
  let i = at;
  if ("-*+".includes(source[i])) i++;
  else {
    while (i < end && i - at < 10 && source[i] >= "0" && source[i] <= "9") i++;
    if (i === at || (source[i] !== "." && source[i] !== ")")) return 0;
    i++;
  }
  return i === end || source[i] === " " || source[i] === "\t" || source[i] === "\r" ? i - at : 0;
}

function parseLesson(source: string): Root {
  return fromMarkdown(source, {
    extensions: [frontmatter(["yaml"]), mdxjs(), gfm()],
    mdastExtensions: [frontmatterFromMarkdown(["yaml"]), mdxFromMarkdown(), gfmFromMarkdown()],
  });
}

/**
 * gray-matter, which mdx-bundler uses for frontmatter, picks a parser from the text after the
 * opening `---` and EVALUATES `---js` frontmatter. The Markdown parser does not see such a
 * block as frontmatter at all, so it must be refused here, by its first line.
 */
function checkFrontmatterFence(source: string): MdxProblem[] {
  const text = source.replace(/^\uFEFF/, "");
  if (!text.startsWith("---") || text.charAt(3) === "-") return [];
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  return firstLine.trim() === "---" ? [] : [{ line: 1, column: 4, ...MDX_MESSAGES.frontmatterFence }];
}

export function sortProblems(problems: MdxProblem[]): MdxProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

type ParserError = { line?: number | null; column?: number | null; reason?: string; message?: string };

/** micromark throws VFileMessages; some carry their place only inside the text, as (3:1-3:10). */
function syntaxProblem(error: unknown, source: string): MdxProblem {
  const e = (typeof error === "object" && error !== null ? error : {}) as ParserError;
  const reason = e.reason ?? e.message ?? String(error);
  const unclosed = /Expected a closing tag for `<([^`>]*)>` \((\d+):(\d+)/.exec(reason);
  if (unclosed) {
    const [line, column] = [Number(unclosed[2]), Number(unclosed[3])];
    // The parser points at the right opening tag but may name another one (a later, closed
    // "</Checklist>" for an unclosed <Callout>): the name is read from the text at that place.
    const opened = /^<([A-Za-z][\w.]*)/.exec(source.split("\n")[line - 1]?.slice(column - 1) ?? "");
    return { line, column, ...MDX_MESSAGES.unclosedTag(opened ? opened[1] : unclosed[1].replace(/^\//, "")) };
  }
  const quoted = /\((\d+):(\d+)-/.exec(reason);
  const line = e.line ?? (quoted ? Number(quoted[1]) : 1);
  const column = e.column ?? (quoted ? Number(quoted[2]) : 1);
  return { line, column, ...explainSyntaxError(reason) };
}

function explainSyntaxError(reason: string): Message {
  const mismatch = /Unexpected closing tag `<\/([^`>]*)>`, expected corresponding closing tag for `<([^`>]*)>`/.exec(reason);
  if (mismatch) return MDX_MESSAGES.mismatchedTag(mismatch[1], mismatch[2]);
  if (reason.includes("Unexpected closing slash")) return MDX_MESSAGES.strayClosingTag;
  if (reason.includes("to create a comment in MDX")) return MDX_MESSAGES.htmlComment;
  if (reason.includes("to create a link in MDX")) return MDX_MESSAGES.angleLink;
  if (reason.includes("in expression") || reason.includes("Could not parse expression")) return MDX_MESSAGES.expression;
  if (reason.includes("Could not parse import/exports")) return MDX_MESSAGES.esm;
  if (reason.includes("in attribute value, expected a corresponding closing quote")) return MDX_MESSAGES.unquotedValue;
  return MDX_MESSAGES.syntax(reason);
}

// Node types that carry no URL, code or markup of their own. Anything else is checked below
// or refused. Table, strike-through and footnote nodes only appear with GFM parsing.
const PLAIN_NODE_TYPES = new Set([
  "root",
  "paragraph",
  "heading",
  "thematicBreak",
  "blockquote",
  "list",
  "listItem",
  "text",
  "emphasis",
  "strong",
  "inlineCode",
  "code",
  "break",
  "linkReference",
  "table",
  "tableRow",
  "tableCell",
  "delete",
  "footnoteReference",
  "footnoteDefinition",
]);

type Point = { line: number; column: number };
type Node = Root | Content;
type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

type CheckContext = {
  source: string;
  lineStarts: number[];
  definitions: Map<string, string>;
  problems: MdxProblem[];
};

/**
 * Walks the tree against the allow-list. Also run inside the compiler on the compiler's own
 * tree, so a difference between the two parsers cannot smuggle anything through.
 */
export function findTreeProblems(tree: Root, source: string): MdxProblem[] {
  const ctx: CheckContext = { source, lineStarts: lineStartOffsets(source), definitions: new Map(), problems: [] };
  collectDefinitions(tree, ctx.definitions);
  checkNode(tree, null, ctx);
  return ctx.problems;
}

function collectDefinitions(node: Node, definitions: Map<string, string>): void {
  // Markdown uses the first definition of a label; so must the check.
  if (node.type === "definition" && !definitions.has(node.identifier)) definitions.set(node.identifier, node.url);
  if ("children" in node) for (const child of node.children) collectDefinitions(child, definitions);
}

function report(ctx: CheckContext, at: Point | undefined, message: Message): void {
  ctx.problems.push({ line: at?.line ?? 1, column: at?.column ?? 1, ...message });
}

function startOf(node: { position?: { start: { line?: number | null; column?: number | null } } }): Point | undefined {
  const start = node.position?.start;
  return start?.line && start.column ? { line: start.line, column: start.column } : undefined;
}

function checkNode(node: Node, parent: Node | null, ctx: CheckContext): void {
  const at = startOf(node);
  switch (node.type) {
    case "mdxjsEsm":
      return report(ctx, at, MDX_MESSAGES.esm);
    case "mdxFlowExpression":
    case "mdxTextExpression":
      return report(ctx, at, MDX_MESSAGES.expression);
    case "html":
      return report(ctx, at, MDX_MESSAGES.rawHtml);
    case "yaml":
      if (parent?.type !== "root" || parent.children[0] !== node) report(ctx, at, MDX_MESSAGES.misplacedFrontmatter);
      return;
    case "mdxJsxFlowElement":
    case "mdxJsxTextElement":
      checkJsxElement(node, ctx);
      break;
    case "link":
    case "definition":
      if (!isSafeLinkUrl(node.url)) report(ctx, at, MDX_MESSAGES.unsafeLink(node.url));
      break;
    case "image":
      if (!isSafeImageUrl(node.url)) report(ctx, at, MDX_MESSAGES.unsafeImage(node.url));
      if (!node.alt?.trim()) report(ctx, at, MDX_MESSAGES.imageWithoutAlt);
      break;
    case "imageReference": {
      // The URL lives in the definition, which was checked as a link; an image needs more.
      const url = ctx.definitions.get(node.identifier);
      if (url !== undefined && !isSafeImageUrl(url)) report(ctx, at, MDX_MESSAGES.unsafeImage(url));
      if (!node.alt?.trim()) report(ctx, at, MDX_MESSAGES.imageWithoutAlt);
      break;
    }
    default:
      if (!PLAIN_NODE_TYPES.has(node.type)) return report(ctx, at, MDX_MESSAGES.unsupported(node.type));
  }
  if ("children" in node) for (const child of node.children as Node[]) checkNode(child, node, ctx);
}

function isComponentName(name: string): name is MdxComponentName {
  return Object.hasOwn(MDX_COMPONENT_SPECS, name);
}

function checkJsxElement(node: JsxElement, ctx: CheckContext): void {
  const at = startOf(node);
  if (node.name === null) return report(ctx, at, MDX_MESSAGES.fragment);
  if (!isComponentName(node.name)) {
    const isHtml = /^[a-z]/.test(node.name);
    return report(ctx, at, isHtml ? MDX_MESSAGES.htmlTag(node.name) : MDX_MESSAGES.unknownComponent(node.name));
  }
  const spec = MDX_COMPONENT_SPECS[node.name];
  // Every component renders a block (<aside>, <dl>, <figure>…), which a <p> cannot contain.
  if (node.type === "mdxJsxTextElement") report(ctx, at, MDX_MESSAGES.blockOnly(node.name));
  if (!spec.children && node.children.length > 0) report(ctx, at, MDX_MESSAGES.noChildren(node.name));
  checkAttributes(node, node.name, spec.props, ctx);
}

function checkAttributes(node: JsxElement, name: string, props: Readonly<Record<string, MdxPropSpec>>, ctx: CheckContext): void {
  const offsets = locateAttributes(ctx.source, node);
  const given = new Map<string, string>();
  node.attributes.forEach((attribute, index) => {
    const at = attributeStart(attribute, offsets[index], ctx) ?? startOf(node);
    if (attribute.type === "mdxJsxExpressionAttribute") return report(ctx, at, MDX_MESSAGES.spread(name));
    const prop = attribute.name;
    if (/^on/i.test(prop)) return report(ctx, at, MDX_MESSAGES.eventHandler(name, prop));
    const spec = Object.hasOwn(props, prop) ? props[prop] : undefined;
    if (!spec) return report(ctx, at, MDX_MESSAGES.unknownProp(name, prop, Object.keys(props)));
    if (given.has(prop)) report(ctx, at, MDX_MESSAGES.duplicateProp(name, prop));
    const value = attribute.value;
    if (value === null || value === undefined) return report(ctx, at, MDX_MESSAGES.propNeedsValue(name, prop));
    if (typeof value !== "string") return report(ctx, at, MDX_MESSAGES.propExpression(name, prop));
    given.set(prop, value);
    const problem = propValueProblem(name, prop, spec, value);
    if (problem) report(ctx, at, problem);
  });
  for (const [prop, spec] of Object.entries(props)) {
    if (spec.required && !given.has(prop)) report(ctx, startOf(node), MDX_MESSAGES.missingProp(name, prop));
  }
}

function propValueProblem(name: string, prop: string, spec: MdxPropSpec, value: string): Message | null {
  if (spec.required && value.trim() === "") return MDX_MESSAGES.propEmpty(name, prop);
  if (spec.values === "media-path") return isMediaPath(value) ? null : MDX_MESSAGES.propNotMedia(name, prop);
  if (spec.values === "text") return null;
  return spec.values.includes(value) ? null : MDX_MESSAGES.propNotInSet(name, prop, value, spec.values);
}

const SAFE_LINK_SCHEMES = new Set(["http", "https", "mailto", "tel"]);

/** The URL's scheme in lower case, or null for a relative URL (path, ?query, #anchor). */
function urlScheme(url: string): string | null {
  const cleaned = withoutIgnoredCharacters(url);
  const colon = cleaned.indexOf(":");
  if (colon === -1) return null;
  const beforeColon = cleaned.slice(0, colon);
  // A colon after the first / ? or # belongs to the path, query or fragment of a relative URL.
  if (/[/?#]/.test(beforeColon)) return null;
  return beforeColon.toLowerCase();
}

// Browsers drop ASCII whitespace and control characters inside a URL's scheme
// ("java\tscript:"), so they are dropped before looking for one.
function withoutIgnoredCharacters(url: string): string {
  let kept = "";
  for (const character of url) {
    const code = character.charCodeAt(0);
    if (code > 0x20 && (code < 0x7f || code > 0x9f)) kept += character;
  }
  return kept;
}

function isSafeLinkUrl(url: string): boolean {
  const scheme = urlScheme(url);
  return scheme === null || SAFE_LINK_SCHEMES.has(scheme);
}

function isSafeImageUrl(url: string): boolean {
  return isMediaPath(url) || (urlScheme(url) === "https" && /^https:\/\/[^/\s]/i.test(url));
}

// The MDX 2 parser does not record where an attribute is, only its element; the tag text is
// scanned to point the trainer at the attribute itself. When unsure, the element is used.

/** Source offset of each attribute of `node`, in order (undefined where not found). */
function locateAttributes(source: string, node: JsxElement): Array<number | undefined> {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start == null || end == null || node.name === null) return [];
  let cursor = source.indexOf(node.name, start) + node.name.length;
  return node.attributes.map((attribute) => {
    if (cursor <= 0 || cursor >= end) return undefined;
    if (attribute.type === "mdxJsxExpressionAttribute") {
      const brace = source.indexOf("{", cursor);
      cursor = brace === -1 ? -1 : skipBraces(source, brace);
      return brace === -1 ? undefined : brace;
    }
    const found = findAttributeName(source, attribute.name, cursor, end);
    cursor = found === undefined ? -1 : skipAttributeValue(source, found + attribute.name.length);
    return found;
  });
}

function findAttributeName(source: string, name: string, from: number, end: number): number | undefined {
  for (let i = source.indexOf(name, from); i !== -1 && i < end; i = source.indexOf(name, i + 1)) {
    const before = source.charAt(i - 1);
    const after = source.charAt(i + name.length);
    if (/\s/.test(before) && !/[\w$:.-]/.test(after)) return i;
  }
  return undefined;
}

/** The offset just after `="…"`, `='…'` or `={…}` starting at `from`, or -1 when lost. */
function skipAttributeValue(source: string, from: number): number {
  let i = skipWhitespace(source, from);
  if (source[i] !== "=") return from;
  i = skipWhitespace(source, i + 1);
  const quote = source[i];
  if (quote === '"' || quote === "'") {
    const close = source.indexOf(quote, i + 1);
    return close === -1 ? -1 : close + 1;
  }
  return quote === "{" ? skipBraces(source, i) : i;
}

function skipWhitespace(source: string, from: number): number {
  let i = from;
  while (i < source.length && /\s/.test(source.charAt(i))) i++;
  return i;
}

/** The offset after the brace that closes the one at `open`, skipping string literals. */
function skipBraces(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'" || c === "`") {
      for (i++; i < source.length && source[i] !== c; i++) if (source[i] === "\\") i++;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i + 1;
  }
  return -1;
}

type AttributeNode = JsxElement["attributes"][number] & { position?: { start: { line?: number | null; column?: number | null } } };

function attributeStart(attribute: AttributeNode, offset: number | undefined, ctx: CheckContext): Point | undefined {
  // The MDX 3 parser inside the compiler does record attribute positions.
  return startOf(attribute) ?? (offset === undefined ? undefined : pointAt(ctx.lineStarts, offset));
}

function lineStartOffsets(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf("\n"); i !== -1; i = source.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function pointAt(lineStarts: number[], offset: number): Point {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (lineStarts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - lineStarts[low] + 1 };
}

/**
 * Every media-library path a checked lesson points at (images, image definitions, component
 * sources and captions, links), with its place and the kind of file it must be, so the library
 * can prove each file exists and is of that kind.
 */
export type MediaReference = Point & { path: string; kind?: MediaKind };

export function mediaReferences(source: string): MediaReference[] {
  const found: MediaReference[] = [];
  const visit = (node: Node) => {
    const at = startOf(node) ?? { line: 1, column: 1 };
    if ((node.type === "image" || node.type === "link" || node.type === "definition") && node.url.startsWith("/media/")) {
      // A Markdown image must name an image; a link may name any file of the library.
      found.push({ path: node.url, ...(node.type === "image" && { kind: "image" as const }), ...at });
    }
    if ((node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") && node.name && isComponentName(node.name)) {
      const props: Readonly<Record<string, MdxPropSpec>> = MDX_COMPONENT_SPECS[node.name].props;
      const offsets = locateAttributes(source, node);
      node.attributes.forEach((attribute, index) => {
        if (attribute.type !== "mdxJsxAttribute" || typeof attribute.value !== "string") return;
        const spec = props[attribute.name];
        if (spec?.values !== "media-path") return;
        const place = offsets[index] === undefined ? at : pointAt(lineStartOffsets(source), offsets[index]);
        found.push({ path: attribute.value, ...(spec.media && { kind: spec.media }), ...place });
      });
    }
    if ("children" in node) for (const child of node.children as Node[]) visit(child);
  };
  visit(parseLesson(source));
  return found;
}
