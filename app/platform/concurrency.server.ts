/**
 * Runs at most `max` tasks at once, in the order they were asked for, and starts at most one per
 * turn of the event loop. Between two starts the server accepts a waiting connection and reads
 * the requests that have arrived: libuv accepts one connection per turn, and a task that is
 * synchronous work (SQLite statements) would otherwise run back to back with the next, every
 * request read in the same turn keeping new connections out for as long as all of them take.
 */
export function limitConcurrency(max: number) {
  let running = 0;
  let startScheduled = false;
  const waiting: Array<() => void> = [];
  const scheduleStart = () => {
    if (startScheduled || waiting.length === 0) return;
    startScheduled = true;
    setImmediate(startNext);
  };
  const startNext = () => {
    startScheduled = false;
    if (running >= max) return;
    const start = waiting.shift();
    if (!start) return;
    running++;
    start();
    scheduleStart();
  };
  return async function run<T>(task: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      waiting.push(resolve);
      scheduleStart();
    });
    try {
      return await task();
    } finally {
      running--;
      scheduleStart();
    }
  };
}

/**
 * Lets the event loop serve what is waiting before long work goes on: bulk work (tens of
 * thousands of rows on the synchronous SQLite driver) awaits this between chunks, so pages keep
 * being answered while it runs.
 */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
