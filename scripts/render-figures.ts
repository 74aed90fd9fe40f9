// Renders the curriculum's figures: each SVG drawn for a course in content/figures/<course>/ becomes
// a PNG in that course's media folder (content/courses/<course>/media/<name>.png), where lessons
// reach it as /media/<course>/<name>.png. Lessons never serve SVG (an SVG can carry script), and
// the PNGs are committed, so nothing renders at run time. Text is set in Be Vietnam Pro, the font
// the certificates embed, so every diacritic is drawn whatever fonts the machine has.
//
//   npx tsx scripts/render-figures.ts [course-slug ...]
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { findChromium } from "./find-chromium.mjs";

const SOURCES = "content/figures";
const FONT_DIR = "node_modules/@expo-google-fonts/be-vietnam-pro";
const WEIGHTS: [number, string][] = [
  [400, "400Regular/BeVietnamPro_400Regular.ttf"],
  [500, "500Medium/BeVietnamPro_500Medium.ttf"],
  [600, "600SemiBold/BeVietnamPro_600SemiBold.ttf"],
  [700, "700Bold/BeVietnamPro_700Bold.ttf"],
];
/** Rendered at twice the SVG's size: sharp on phones, still well under the 2 MB image limit. */
const SCALE = 2;

const fontFaces = WEIGHTS.map(
  ([weight, file]) =>
    `@font-face { font-family: "Be Vietnam Pro"; font-weight: ${weight}; src: url(data:font/ttf;base64,${fs.readFileSync(path.join(FONT_DIR, file)).toString("base64")}); }`,
).join("\n");

const only = process.argv.slice(2);
const courses = fs
  .readdirSync(SOURCES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && (only.length === 0 || only.includes(d.name)))
  .map((d) => d.name);

const browser = await chromium.launch({ executablePath: findChromium() ?? undefined, args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ deviceScaleFactor: SCALE });
let rendered = 0;
for (const course of courses) {
  const media = path.join("content/courses", course, "media");
  if (!fs.existsSync(path.join("content/courses", course))) throw new Error(`content/figures/${course}: no course content/courses/${course}`);
  fs.mkdirSync(media, { recursive: true });
  for (const name of fs.readdirSync(path.join(SOURCES, course)).filter((n) => n.endsWith(".svg")).sort()) {
    const svg = fs.readFileSync(path.join(SOURCES, course, name), "utf8");
    if (/<script|\son\w+=|<foreignObject|href="(?!#)/i.test(svg)) throw new Error(`${course}/${name}: figures hold drawing only (no script, event handlers, foreign objects or links)`);
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>${fontFaces}
      html, body { margin: 0; background: #fff; } svg { display: block; font-family: "Be Vietnam Pro", sans-serif; }</style></head><body>${svg}</body></html>`);
    await page.evaluate(() => document.fonts.ready);
    const out = path.join(media, name.replace(/\.svg$/, ".png"));
    await page.locator("svg").first().screenshot({ path: out, omitBackground: false });
    // Diagrams need few colours: a palette PNG is a third of the size, which phones on a commune's
    // mobile data notice. pngquant is Debian's package of the same name.
    const quantised = spawnSync("pngquant", ["--quality", "65-90", "--speed", "1", "--strip", "--force", "--output", out, out]);
    if (quantised.error) console.warn("pngquant is not installed (apt-get install pngquant): the PNG stays full-colour");
    rendered++;
    console.log(`${out} (${Math.round(fs.statSync(out).size / 1024)} KB)`);
  }
}
await browser.close();
console.log(`${rendered} figure(s) rendered`);
