// The queue in front of MDX compiles and coverage reports.
import { describe, expect, it } from "vitest";
import { limitConcurrency } from "~/platform/concurrency.server";

/** Something arriving from outside (a request, a connection): delivered when the event loop polls for I/O. */
function fromOutside(callback: () => void) {
  const { port1, port2 } = new MessageChannel();
  port2.onmessage = () => {
    callback();
    port1.close();
  };
  port1.postMessage(null);
}

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
    // Each task is synchronous work, as SQLite statements are; I/O arrives while the first runs.
    const first = run(async () => {
      order.push("task 1");
      fromOutside(() => order.push("event loop"));
    });
    const second = run(async () => {
      order.push("task 2");
    });
    await Promise.all([first, second]);
    expect(order).toEqual(["task 1", "event loop", "task 2"]);
  });

  it("starts one task per turn even when each ends before the next is asked for", async () => {
    // Two requests read in the same turn: the second asks for its report only once the first
    // report, synchronous work, is done. The event loop still turns in between.
    const run = limitConcurrency(1);
    const order: string[] = [];
    await run(async () => {
      order.push("task 1");
      fromOutside(() => order.push("event loop"));
    }).then(() => run(async () => order.push("task 2")));
    expect(order).toEqual(["task 1", "event loop", "task 2"]);
  });
});
