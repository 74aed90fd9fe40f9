import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

// Imports run one way: routes → capabilities → platform (docs/architecture.md). Each rule below
// lists what a folder may not import; ESLint fails the build when an import runs the wrong way.
const CAPABILITIES = ["identity", "content", "learning", "certificates", "hr"];
const forbid = (groups, message) => ({ group: groups, message });
const capabilityImports = CAPABILITIES.flatMap((c) => [`~/${c}/*`, `**/${c}/*.server`]);
const routeImports = forbid(["~/routes/*", "**/routes/*"], "Nothing imports a route module: routes are wiring, not a library.");
const compositionImports = forbid(["~/*.server"], "The app's composition files (scheduled jobs, server hooks) are imported by the server only.");
const databaseImports = forbid(
  ["~/platform/db.server", "**/platform/db.server", "./db.server", "~/platform/db-adapter.server", "**/db-adapter.server"],
  "Only data access (*.data.server.ts) and the platform reach the database.",
);
const restricted = (...patterns) => ({ "@typescript-eslint/no-restricted-imports": ["error", { patterns: patterns.map((p) => ({ ...p, allowTypeImports: true })) }] });

export default tseslint.config(
  { ignores: ["build/", "app/generated/", "node_modules/", "test-results/", "playwright-report/", "data/", "bench/results/", "tests/.tmp/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["app/routes/**"],
    rules: restricted(routeImports, compositionImports, databaseImports),
  },
  {
    files: CAPABILITIES.map((c) => `app/${c}/**`),
    ignores: ["app/*/*.data.server.ts"],
    rules: restricted(routeImports, compositionImports, databaseImports),
  },
  {
    files: CAPABILITIES.map((c) => `app/${c}/*.data.server.ts`),
    rules: restricted(routeImports, compositionImports),
  },
  {
    files: ["app/platform/**"],
    rules: restricted(
      routeImports,
      compositionImports,
      forbid([...capabilityImports, "~/components/*"], "The platform knows no capability: capabilities call the platform, never the other way."),
    ),
  },
  {
    files: ["app/components/**", "app/utils/**", "app/locales/**"],
    ignores: ["app/components/mdx/**"],
    rules: restricted(
      routeImports,
      compositionImports,
      forbid([...capabilityImports, "~/platform/*"], "Components and shared utilities run in the browser too: they import no server code."),
    ),
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
