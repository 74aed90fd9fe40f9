/**
 * Runs at most `max` tasks at once; the rest wait in the order they came. A finished task hands
 * its slot to the next one on the event loop's next turn, not straight away: in between, the
 * server accepts a waiting connection and reads the requests that have arrived. (libuv accepts
 * one connection per turn, so a queue of tasks run back to back would keep new connections out
 * for as long as the whole queue takes.)
 */
export function limitConcurrency(max: number) {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running < max) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // the slot is handed over
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) setImmediate(next);
      else running--;
    }
  };
}
