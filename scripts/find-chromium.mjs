// The browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
// `npm test` runs this first, so a machine without Chromium stops at once with the fix instead
// of failing minutes later; playwright.config.ts uses the same lookup.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const CANDIDATES = ["chromium", "chromium-browser"];

/** CHROMIUM_PATH when set, else the first Chromium on the PATH, else /usr/bin/chromium if present. */
export function findChromium() {
  if (process.env.CHROMIUM_PATH) return fs.existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    for (const name of CANDIDATES) {
      const file = path.join(dir, name);
      if (dir && fs.existsSync(file)) return file;
    }
  }
  return fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  if (!findChromium()) {
    const where = process.env.CHROMIUM_PATH ? `CHROMIUM_PATH (${process.env.CHROMIUM_PATH}) does not exist` : "Chromium is not installed";
    console.error(`The browser tests need Chromium: ${where}. Install it with:\n\n  sudo apt-get install -y chromium\n`);
    process.exit(1);
  }
}
