// wrk (the C load generator, Debian's `wrk`) driving a list of requests, for bench/run.ts.
//
// autocannon runs in the bench's own Node process and shares its event loop with the bench; wrk
// is a separate program with one epoll loop per thread, sending the next request as soon as an
// answer arrives and timing each from its first byte written to its last byte read. The two can
// disagree about the slow end: see docs/performance.md ("Tail latency") and decision 028.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type WrkRequest = { method?: string; path: string; headers?: Record<string, string>; body?: string };
export type WrkResult = { requests: number; rps: number; p50: number; p90: number; p99: number; max: number; errors: number; non2xx3xx: number; seconds: number };

/** Whether `wrk` can be run here (Debian: `apt-get install wrk`). */
export function wrkAvailable(): boolean {
  return spawnSync("wrk", ["--version"], { stdio: "ignore" }).error === undefined;
}

/** A Lua string literal that carries any bytes (Lua 5.1 has decimal escapes only). */
function luaString(value: string): string {
  let out = '"';
  for (const byte of Buffer.from(value, "utf8")) {
    out += byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c ? String.fromCharCode(byte) : `\\${byte}`;
  }
  return `${out}"`;
}

/**
 * The script: every thread formats the whole list once, then each request takes the next entry,
 * the threads starting at different places, so the rotation (learners, sessions, addresses) is
 * the list's. `done` prints the result as one JSON line.
 */
function script(requests: WrkRequest[], defaultHeaders: Record<string, string>): string {
  const entries = requests.map((r) => {
    const headers = { ...defaultHeaders, ...r.headers };
    const h = Object.entries(headers)
      .map(([k, v]) => `[${luaString(k)}]=${luaString(v)}`)
      .join(",");
    return `{${luaString(r.method ?? (r.body ? "POST" : "GET"))},${luaString(r.path)},{${h}},${r.body === undefined ? "nil" : luaString(r.body)}}`;
  });
  return `
local list = {
${entries.join(",\n")}
}
local threads = 0
function setup(thread)
  thread:set("index", threads)
  threads = threads + 1
end
local formatted = {}
local at = 0
function init(args)
  for i, r in ipairs(list) do formatted[i] = wrk.format(r[1], r[2], r[3], r[4]) end
  at = (index * 7919) % #formatted
end
function request()
  at = at % #formatted + 1
  return formatted[at]
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK-RESULT {"requests":%d,"microseconds":%d,"p50":%.3f,"p90":%.3f,"p99":%.3f,"max":%.3f,"socketErrors":%d,"non2xx3xx":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
`;
}

/**
 * Runs wrk against `url` with these requests for `seconds`. `cpus` pins wrk (taskset), e.g. "0"
 * when the server is pinned to another core.
 */
export async function runWrk(options: {
  url: string;
  requests: WrkRequest[];
  connections: number;
  seconds: number;
  threads?: number;
  defaultHeaders?: Record<string, string>;
  cpus?: string;
  timeoutSeconds?: number;
}): Promise<WrkResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kns-wrk-"));
  const file = path.join(dir, "requests.lua");
  fs.writeFileSync(file, script(options.requests, options.defaultHeaders ?? {}));
  const args = [
    // wrk needs a connection per thread: a one-connection scenario runs on one thread.
    `-t${Math.min(options.threads ?? 2, options.connections)}`,
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    `--timeout`,
    `${options.timeoutSeconds ?? 30}s`,
    "-s",
    file,
    options.url,
  ];
  const [command, commandArgs] = options.cpus ? ["taskset", ["-c", options.cpus, "wrk", ...args]] : ["wrk", args];
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(command, commandArgs, { stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited with ${code}: ${out.slice(-2000)}`))));
    });
    const line = output.split("\n").find((l) => l.startsWith("WRK-RESULT "));
    if (!line) throw new Error(`wrk printed no result: ${output.slice(-2000)}`);
    const r = JSON.parse(line.slice("WRK-RESULT ".length)) as { requests: number; microseconds: number; p50: number; p90: number; p99: number; max: number; socketErrors: number; non2xx3xx: number };
    const seconds = r.microseconds / 1e6;
    return { requests: r.requests, rps: r.requests / seconds, p50: r.p50, p90: r.p90, p99: r.p99, max: r.max, errors: r.socketErrors + r.non2xx3xx, non2xx3xx: r.non2xx3xx, seconds };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
