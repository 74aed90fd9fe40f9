// A small, strict XML reader for question files. The project has no XML parser, and a question
// file needs little of XML: elements, attributes, text, CDATA, comments. A document type
// declaration is refused outright, so no entity is ever defined by the file: entity expansion
// ("billion laughs") and external entities cannot happen. Only the five predefined entities and
// character references are read.

export type XmlElement = { name: string; attrs: Record<string, string>; children: XmlNode[]; line: number };
export type XmlNode = XmlElement | string;

export class XmlError extends Error {
  constructor(
    public readonly reason: "doctype" | "syntax" | "unclosed" | "mismatch" | "entity" | "tooDeep" | "tooBig",
    public readonly line: number,
  ) {
    super(`${reason} at line ${line}`);
  }
}

const MAX_DEPTH = 64;
const MAX_NODES = 2_000_000;
const PREDEFINED: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;

export function parseXml(text: string): XmlElement {
  let i = 0;
  let line = 1;
  let nodes = 0;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (text.charCodeAt(k) === 10) line++;
    i = to;
  };
  const fail = (reason: XmlError["reason"]): never => {
    throw new XmlError(reason, line);
  };
  const decode = (raw: string): string =>
    raw.replace(/&([^;&\s]{0,12});/g, (_, name: string) => {
      if (name in PREDEFINED) return PREDEFINED[name];
      const code = name.startsWith("#x") ? parseInt(name.slice(2), 16) : name.startsWith("#") ? parseInt(name.slice(1), 10) : NaN;
      if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return fail("entity");
      return String.fromCodePoint(code);
    });
  const checkText = (raw: string) => {
    // A bare "&" that starts no reference is not XML.
    if (/&(?![A-Za-z#][^;&\s]{0,11};)/.test(raw)) fail("entity");
    return decode(raw);
  };

  const root: XmlElement = { name: "#document", attrs: {}, children: [], line: 1 };
  const stack: XmlElement[] = [root];
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    if (lt < 0) {
      const rest = text.slice(i);
      if (stack.length > 1) fail("unclosed");
      if (rest.trim()) fail("syntax");
      break;
    }
    if (lt > i) {
      const raw = text.slice(i, lt);
      const parent = stack[stack.length - 1];
      if (parent === root) {
        if (raw.trim()) fail("syntax");
      } else parent.children.push(checkText(raw));
      advance(lt);
    }
    if (++nodes > MAX_NODES) fail("tooBig");
    if (text.startsWith("<!--", i)) {
      const end = text.indexOf("-->", i + 4);
      if (end < 0) fail("unclosed");
      advance(end + 3);
    } else if (text.startsWith("<![CDATA[", i)) {
      const end = text.indexOf("]]>", i + 9);
      if (end < 0) fail("unclosed");
      if (stack.length === 1) fail("syntax");
      stack[stack.length - 1].children.push(text.slice(i + 9, end));
      advance(end + 3);
    } else if (text.startsWith("<!", i)) {
      // <!DOCTYPE …> and anything else of a DTD: entities come from there.
      fail("doctype");
    } else if (text.startsWith("<?", i)) {
      const end = text.indexOf("?>", i + 2);
      if (end < 0) fail("unclosed");
      advance(end + 2);
    } else if (text.startsWith("</", i)) {
      const m = NAME.exec(text.slice(i + 2, i + 200));
      if (!m) fail("syntax");
      const end = text.indexOf(">", i);
      if (end < 0 || text.slice(i + 2 + m![0].length, end).trim()) fail("syntax");
      const open = stack.pop()!;
      if (open === root || open.name !== m![0]) fail("mismatch");
      advance(end + 1);
    } else {
      const m = NAME.exec(text.slice(i + 1, i + 200));
      if (!m) fail("syntax");
      const element: XmlElement = { name: m![0], attrs: {}, children: [], line };
      let k = i + 1 + m![0].length;
      // Attributes, until ">" or "/>".
      for (;;) {
        while (k < text.length && /\s/.test(text[k])) k++;
        if (k >= text.length) fail("unclosed");
        if (text[k] === ">" || text.startsWith("/>", k)) break;
        const a = NAME.exec(text.slice(k, k + 200));
        if (!a) fail("syntax");
        k += a![0].length;
        while (/\s/.test(text[k] ?? "")) k++;
        if (text[k] !== "=") fail("syntax");
        k++;
        while (/\s/.test(text[k] ?? "")) k++;
        const quote = text[k];
        if (quote !== '"' && quote !== "'") fail("syntax");
        const close = text.indexOf(quote, k + 1);
        if (close < 0) fail("unclosed");
        const value = text.slice(k + 1, close);
        if (value.includes("<")) fail("syntax");
        element.attrs[a![0]] = checkText(value);
        k = close + 1;
      }
      const selfClosing = text[k] === "/";
      const parent = stack[stack.length - 1];
      if (parent === root && root.children.some((c) => typeof c !== "string")) fail("syntax");
      parent.children.push(element);
      advance(k + (selfClosing ? 2 : 1));
      if (!selfClosing) {
        stack.push(element);
        if (stack.length > MAX_DEPTH) fail("tooDeep");
      }
    }
  }
  if (stack.length > 1) fail("unclosed");
  const top = root.children.find((c): c is XmlElement => typeof c !== "string");
  if (!top) fail("syntax");
  return top!;
}

export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter((c): c is XmlElement => typeof c !== "string" && (name === undefined || c.name === name));
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element ? childElements(element, name)[0] : undefined;
}

/** The text directly inside an element (its CDATA included). */
export function textOf(element: XmlElement | undefined): string {
  return element ? element.children.filter((c): c is string => typeof c === "string").join("") : "";
}

/** Text to write between tags or inside attribute quotes. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
