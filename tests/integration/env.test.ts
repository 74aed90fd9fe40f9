import { describe, expect, it } from "vitest";
import { parseEnv } from "~/services/env.server";

describe("environment validation", () => {
  it("explains each problem on its own line", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://x", PORT: "http" })).toThrow(
      /DATABASE_URL: must be a SQLite file URL.*\n.*PORT/s,
    );
  });
  it("defaults to the embedded SQLite database", () => {
    expect(parseEnv({}).DATABASE_URL).toBe("file:./data/kynangso.db");
  });
});
