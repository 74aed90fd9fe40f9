// The queue in front of MDX compiles and coverage reports.
import { describe, expect, it } from "vitest";
import { limitConcurrency } from "~/services/concurrency.server";

describe("limitConcurrency", () => {
  it("runs at most two tasks at once, in order, and passes results and errors through", async () => {
    const run = limitConcurrency(2);
    let running = 0;
    let peak = 0;
    const task = (n: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (n === 3) throw new Error("boom");
      return n;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => run(task(n))));
    expect(peak).toBe(2);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : "failed"))).toEqual([1, 2, "failed", 4, 5]);
  });

  it("lets the event loop turn between two tasks, so waiting I/O is not held up by the whole queue", async () => {
    const run = limitConcurrency(1);
    const order: string[] = [];
    // Each task is synchronous work, as SQLite statements are; the first also schedules I/O-like work.
    const first = run(async () => {
      order.push("task 1");
      setImmediate(() => order.push("event loop"));
    });
    const second = run(async () => {
      order.push("task 2");
    });
    await Promise.all([first, second]);
    expect(order).toEqual(["task 1", "event loop", "task 2"]);
  });
});
