// The server behind the browser tests: a fresh SQLite database with the demo data, then the
// production build on the given port.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";

const port = process.argv[2] ?? "3100";
const file = "tests/.tmp/e2e.db";
fs.mkdirSync("tests/.tmp", { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
const env = { ...process.env, DATABASE_URL: `file:./${file}` };
for (const args of [["tsx", "scripts/migrate.ts"], ["tsx", "scripts/kns.ts", "content-sync"], ["tsx", "scripts/kns.ts", "demo-data"]]) {
  const r = spawnSync("npx", args, { env, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const server = spawn(process.execPath, ["build/server.js"], {
  env: { ...env, NODE_ENV: "production", PORT: port, APP_URL: `http://localhost:${port}`, SIGNING_P12_FILE: "data/demo-signing.p12", SIGNING_P12_PASSPHRASE: "kynangso-demo" },
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
