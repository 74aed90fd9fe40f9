// The benchmarks run the server as `npm start` does, with the same Node flags (the heap limit):
// read from package.json so the two never drift apart.
import fs from "node:fs";

const start: string = JSON.parse(fs.readFileSync("package.json", "utf8")).scripts.start;
const flags = /\bnode\s+(.*?)\s*build\/server\.js/.exec(start)?.[1] ?? "";

/** Node's arguments for the production server: `npm start`'s flags, then build/server.js. */
export function productionServerArgs(extraFlags: string[] = []): string[] {
  return [...flags.split(/\s+/).filter(Boolean), ...extraFlags, "build/server.js"];
}
