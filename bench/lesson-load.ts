// Lesson pages read by signed-in learners, driven by autocannon in a separate process so that
// CPU-bound work in the bench's own process (rendering PDFs, receiving mail) never delays the load
// generator. Used by the benches that measure lesson latency while something else runs.
import { spawn } from "node:child_process";

export type LessonLoad = { requests: number; rps: number; p50: number; p99: number; max: number; errors: number; statuses: Record<string, number>; seconds: number };

/**
 * Reads the lessons of `requestsFile` (JSON `[{ path, cookie }]`) at `connections` in flight,
 * as fast as the server answers or at `ratePerSecond` in all, until `stop()` or for `seconds`.
 */
export function lessonLoad(serverUrl: string, requestsFile: string, seconds: number, connections: number, ratePerSecond = 0) {
  // autocannon ships no types and is only needed in the child: it is given the script inline.
  const script = `
    const autocannon = require("autocannon");
    const requests = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const statuses = {};
    let next = 0;
    const instance = autocannon({
      url: process.argv[2], connections: Number(process.argv[4]), duration: Number(process.argv[3]), timeout: 30,
      ...(Number(process.argv[5]) > 0 ? { overallRate: Number(process.argv[5]) } : {}),
      setupClient(client) {
        client.setRequests([{ method: "GET", path: "/", setupRequest(req) {
          const r = requests[next++ % requests.length];
          return { ...req, path: r.path, headers: { cookie: r.cookie, "accept-encoding": "gzip, deflate, br" } };
        }, onResponse(status) { statuses[status] = (statuses[status] || 0) + 1; } }]);
      },
    });
    process.stdin.on("data", () => instance.stop());
    instance.then((r) => {
      const requests = Object.values(statuses).reduce((a, b) => a + b, 0);
      const bad = Object.entries(statuses).filter(([s]) => Number(s) >= 400).reduce((a, [, n]) => a + n, 0);
      process.stdout.write(JSON.stringify({ requests, rps: requests / r.duration, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max,
        errors: bad + r.errors + r.timeouts, statuses, seconds: r.duration }));
      process.exit(0);
    });`;
  const child = spawn(process.execPath, ["-e", script, requestsFile, serverUrl, String(seconds), String(connections), String(ratePerSecond)], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const done = new Promise<LessonLoad>((resolve, reject) =>
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as LessonLoad) : reject(new Error(`load generator exited with ${code}`)))),
  );
  return { done, stop: () => child.stdin.end("stop\n") };
}
