import { vitePlugin as remix } from "@remix-run/dev";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import remixOptions from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [tailwindcss(), remix(remixOptions), tsconfigPaths()],
  build: { target: "es2022" },
  // The dependency scan also walks .server modules; argon2's browser build needs a WASI package
  // we do not install (hashing only ever runs on the server), and failed the dev server's scan.
  optimizeDeps: { exclude: ["@node-rs/argon2"] },
  server: { port: 3000 },
});
