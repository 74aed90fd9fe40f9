// What every PDF the app makes needs: pdfkit and qrcode, loaded on first use, and the Be Vietnam
// Pro typeface (the built-in PDF fonts cannot show Vietnamese), parsed once per process.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export type FontSource = Buffer | object;
export type Fonts = { regular: FontSource; italic: FontSource; medium: FontSource; bold: FontSource };
let fonts: Fonts | undefined;

/**
 * pdfkit and qrcode are loaded on the first certificate, not at start-up: together they are
 * some 30 MB of memory that a server answering lesson pages never needs.
 */
export type PdfLibraries = { PDFDocument: typeof import("pdfkit"); QRCode: typeof import("qrcode") };
let pdfLibraries: Promise<PdfLibraries> | undefined;
export function loadPdfLibraries(): Promise<PdfLibraries> {
  pdfLibraries ??= Promise.all([import("pdfkit"), import("qrcode")]).then(([pdfkit, qrcode]) => ({
    PDFDocument: pdfkit.default,
    QRCode: qrcode.default,
  }));
  return pdfLibraries;
}

/**
 * Be Vietnam Pro, read and parsed once per process. pdfkit 0.20 accepts an already parsed
 * fontkit font, which makes each certificate several times faster than reparsing the TTF;
 * a throwaway document does the parsing, and the raw bytes are the fallback if that changes.
 */
export function loadFonts(PDFDocument: PdfLibraries["PDFDocument"]): Fonts {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@expo-google-fonts/be-vietnam-pro/package.json"));
    const probe = new PDFDocument({ autoFirstPage: false });
    const parse = (name: string): FontSource => {
      const bytes = fs.readFileSync(path.join(dir, name, `BeVietnamPro_${name}.ttf`));
      probe.registerFont(name, bytes);
      const parsed = (probe.font(name) as unknown as { _font?: { font?: { layout?: unknown } } })._font?.font;
      return parsed && typeof parsed.layout === "function" ? parsed : bytes;
    };
    fonts = { regular: parse("400Regular"), italic: parse("400Regular_Italic"), medium: parse("500Medium"), bold: parse("700Bold") };
  }
  return fonts;
}

/**
 * A new pdfkit document with the app's fonts registered under their names (regular, italic,
 * medium, bold), and the finished bytes once `doc.end()` is called.
 */
export async function newPdfDocument(options: Record<string, unknown>) {
  const { PDFDocument } = await loadPdfLibraries();
  const f = loadFonts(PDFDocument);
  // Our own font from the start, so pdfkit does not parse its built-in Helvetica each time.
  const doc = new PDFDocument({ lang: "vi-VN", displayTitle: true, font: f.regular as unknown as string, ...options });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  for (const [name, src] of Object.entries(f)) doc.registerFont(name, src as Buffer);
  return { doc, done };
}
