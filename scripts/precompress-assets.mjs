// Compresses the build's fingerprinted assets once, at build time: next to every script, style
// sheet and image of build/client/assets it writes a Brotli (.br, quality 11) and a gzip (.gz,
// level 9) copy, which the production server sends as they are (server/assets.ts). Compressing
// them on every first visit instead cost the server several milliseconds per browser, and the
// strongest settings are only affordable once.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

const DIR = "build/client/assets";
const COMPRESSIBLE = /\.(js|css|svg)$/;
/** Smaller files are sent as they are (the same threshold as pages). */
const FROM_BYTES = 1024;

let count = 0;
let before = 0;
let after = 0;
for (const name of fs.readdirSync(DIR)) {
  if (!COMPRESSIBLE.test(name)) continue;
  const file = path.join(DIR, name);
  const body = fs.readFileSync(file);
  if (body.length < FROM_BYTES) continue;
  const br = zlib.brotliCompressSync(body, {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });
  const gz = zlib.gzipSync(body, { level: 9 });
  fs.writeFileSync(`${file}.br`, br);
  fs.writeFileSync(`${file}.gz`, gz);
  count++;
  before += body.length;
  after += br.length;
}
console.log(`precompressed ${count} assets: ${(before / 1024).toFixed(0)} KB, ${(after / 1024).toFixed(0)} KB with Brotli`);
