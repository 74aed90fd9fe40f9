// `npm run test:quick`: the integration tests that need no build (no server started, no built
// assets), for day-to-day work. A test file that imports the server helpers or runs build/ itself needs `npm run build`
// and runs only in the full suite (`npm test`).
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";
import base from "./vitest.config";

const NEEDS_BUILD = /support\/(server|http|e2e-server)["']|build\/(server|client)/;
const dir = "tests/integration";
const quick = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".test.ts") && !NEEDS_BUILD.test(fs.readFileSync(path.join(dir, f), "utf8")))
  .map((f) => `${dir}/${f}`);

export default defineConfig({ ...base, test: { ...base.test, include: quick } });
