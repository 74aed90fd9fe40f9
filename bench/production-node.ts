// The benchmarks run the server as `npm start` does, with the same environment settings (the
// allocator's threshold) and Node flags (the heap limit): read from package.json so the two never
// drift apart.
import fs from "node:fs";

const start: string = JSON.parse(fs.readFileSync("package.json", "utf8")).scripts.start;
const [, assignments = "", flags = ""] = /^((?:\w+=\S*\s+)*)node\s+(.*?)\s*build\/server\.js/.exec(start) ?? [];

/** Node's arguments for the production server: `npm start`'s flags, then build/server.js. */
export function productionServerArgs(extraFlags: string[] = []): string[] {
  return [...flags.split(/\s+/).filter(Boolean), ...extraFlags, "build/server.js"];
}

/** The variables `npm start` sets before starting Node (NODE_ENV, the allocator's threshold). */
export function productionServerEnv(): Record<string, string> {
  return Object.fromEntries(assignments.split(/\s+/).filter(Boolean).map((a) => [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)]));
}
