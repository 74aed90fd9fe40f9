// Starts the MDX worker from its TypeScript source (development, the command line, tests);
// the built server runs the bundled build/server/mdx-worker.js instead.
import { register } from "tsx/esm/api";

register();
await import("./mdx-worker.ts");
