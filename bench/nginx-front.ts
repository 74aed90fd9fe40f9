// nginx with the README's settings (bench/nginx-site.conf, bench/nginx-proxy.conf) in front of one
// app process, in a throw-away folder: for `npm run bench -- --nginx` and the proxy test
// (tests/integration/nginx-proxy.test.ts), so that both run exactly what the README recommends.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Debian installs nginx in /usr/sbin, which an ordinary user's PATH may lack. */
const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => fs.existsSync(p)) ?? "nginx";

/**
 * Writes the configuration into `dir` and starts nginx on 127.0.0.1:`port`, passing requests to
 * `upstream` (host:port). Throws, saying why, when nginx is missing or refuses the settings.
 */
export function startNginxFront({ dir, upstream, port }: { dir: string; upstream: string; port: number }): { child: ChildProcess; errorLog: string } {
  for (const sub of ["logs", "tmp"]) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  // nginx reads includes relative to the main file's folder: the site's files go beside it.
  for (const file of ["nginx-site.conf", "nginx-proxy.conf"]) fs.copyFileSync(new URL(file, import.meta.url), path.join(dir, file));
  const temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `${t}_temp_path tmp/${t};`).join(" ");
  fs.writeFileSync(
    path.join(dir, "nginx.conf"),
    `worker_processes 1; pid logs/nginx.pid; error_log logs/error.log warn;
     events { worker_connections 16384; }
     http { access_log off; client_max_body_size 13m; ${temp}
       upstream kns { server ${upstream}; keepalive 64; }
       server { listen 127.0.0.1:${port} backlog=4096; include nginx-site.conf; } }`,
  );
  const errorLog = path.join(dir, "logs/error.log");
  const args = ["-p", dir, "-e", errorLog, "-c", path.join(dir, "nginx.conf")];
  const check = spawnSync(NGINX, [...args, "-t"], { encoding: "utf8" });
  if (check.error) throw new Error(`nginx is needed (apt-get install nginx-light): ${check.error.message}`);
  if (check.status !== 0) throw new Error(`nginx refused the recommended settings: ${check.stderr}`);
  return { child: spawn(NGINX, [...args, "-g", "daemon off;"], { stdio: "ignore" }), errorLog };
}
