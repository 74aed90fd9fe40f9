// Question text from other systems is HTML; ours is plain text, shown as text (never as HTML).
// The markup is reduced to what a reader sees: paragraphs and line breaks as new lines, list
// items as "- " lines, entities decoded, scripts and styles dropped. Images are returned apart,
// since a question shows its image below the prompt.

export type HtmlImage = { src: string; alt: string };

// The named entities editors write (TinyMCE, Atto, Word): the Latin-1 range in order, and a few more.
const LATIN1 =
  "nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest " +
  "Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig " +
  "agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml";
const ENTITIES: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'",
  ndash: "–", mdash: "—", hellip: "…", lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", sbquo: "‚", bdquo: "„",
  bull: "•", euro: "€", trade: "™", larr: "←", rarr: "→", uarr: "↑", darr: "↓", harr: "↔", le: "≤", ge: "≥", ne: "≠", minus: "−",
  thinsp: " ", ensp: " ", emsp: " ", zwnj: "", zwj: "", lrm: "", rlm: "",
};
LATIN1.split(" ").forEach((name, i) => (ENTITIES[name] = String.fromCharCode(0xa0 + i)));

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#\d{1,7}|[A-Za-z][A-Za-z0-9]{1,10});/g, (whole, name: string) => {
    if (name.startsWith("#")) {
      const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "";
    }
    return ENTITIES[name] ?? whole;
  });
}

const BLOCK = /^(p|div|h[1-6]|tr|table|blockquote|pre|section|article|header|footer|figure|figcaption|dl|dt|dd|address)$/;

function attribute(tag: string, name: string): string {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? "") : "";
}

/** Plain text of an HTML fragment, and the images it shows. */
export function htmlToText(html: string): { text: string; images: HtmlImage[] } {
  const images: HtmlImage[] = [];
  const stripped = html
    .replace(/<!--[\s\S]*?(-->|$)/g, "")
    .replace(/<(script|style|head|title|template|noscript|iframe|object)\b[\s\S]*?(<\/\1\s*>|$)/gi, "")
    .replace(/\r\n?/g, "\n")
    // Source line breaks are spaces in HTML.
    .replace(/\s*\n\s*/g, " ");
  let out = "";
  let listDepth = 0;
  const ordered: number[] = [];
  for (const part of stripped.split(/(<\/?[A-Za-z][^<>]*>|<[^<>]*>)/)) {
    if (!part.startsWith("<")) {
      out += part;
      continue;
    }
    const m = /^<(\/?)([A-Za-z][A-Za-z0-9]*)/.exec(part);
    if (!m) continue;
    const closing = m[1] === "/";
    const tag = m[2].toLowerCase();
    if (tag === "br") out += "\n";
    else if (tag === "img" && !closing) {
      const src = attribute(part, "src");
      if (src) images.push({ src, alt: attribute(part, "alt").trim() });
    } else if (tag === "ul" || tag === "ol") {
      listDepth += closing ? -1 : 1;
      if (tag === "ol" && closing) ordered.pop();
      else if (tag === "ol") ordered.push(0);
      out += "\n";
    } else if (tag === "li" && !closing) {
      const n = ordered.length && listDepth > 0 ? ++ordered[ordered.length - 1] : 0;
      out += `\n${"  ".repeat(Math.max(0, listDepth - 1))}${n ? `${n}.` : "-"} `;
    } else if (tag === "li") out += "\n";
    else if (BLOCK.test(tag)) out += closing || tag !== "p" ? "\n" : "\n\n";
    else if (tag === "td" || tag === "th") out += closing ? "\t" : "";
  }
  const text = decodeEntities(out)
    .replace(/\u00a0/g, " ")
    .split("\n")
    .map((l) => l.replace(/[ \t]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return { text: text.normalize("NFC"), images };
}

/** Plain text as an HTML fragment other systems import: paragraphs at blank lines, <br> at line breaks. */
export function textToHtml(text: string): string {
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return text
    .split(/\n{2,}/)
    .map((p) => `<p>${p.split("\n").map(escape).join("<br>")}</p>`)
    .join("");
}
