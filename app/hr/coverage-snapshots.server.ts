// The coverage report and its trend as the page and its downloads serve them: computed live, or
// served from a snapshot when the scope is so large that computing it takes longer than a page
// may (the whole country, a large province inside it). Why, and what the page says:
// docs/decisions/033-coverage-snapshots.md.
import { completionTrend, coverageByOrgUnit, type Coverage, type CoverageFilters, type TrendPoint } from "~/hr/coverage.server";
import { BoundedCache } from "~/utils/bounded-cache";

/** A computation that took less than this is served live and never kept. */
export const LIVE_BUDGET_MS = 250;
/** A snapshot younger than this is served as it is. */
export const FRESH_MS = 60_000;
/** A snapshot younger than this is served at once while one recomputation runs in the background. */
export const SERVED_STALE_MS = 10 * 60_000;
/** Snapshots kept per process; the oldest computed leave first. */
export const MAX_SNAPSHOTS = 200;

/** Figures, and the instant they were computed at when they come from a snapshot (null: live). */
export type Served<T> = { value: T; computedAt: Date | null };

/** Runs a computation in its turn (the report queue of coverage-request.server.ts). */
type Turn = <T>(task: () => Promise<T>) => Promise<T>;

type Kept = { value: unknown; computedAt: Date };
/** One computation in progress for a key, and the requests waiting for it (none: a background refresh). */
type Flight = { promise: Promise<Served<unknown>>; waiting: (AbortSignal | null)[]; background: boolean };

class Abandoned extends Error {
  constructor() {
    super("everyone waiting for this report has left");
  }
}

/**
 * A process's snapshots. `now` is the clock snapshots are aged by (and the instant the figures
 * are computed for); `liveBudgetMs` the computation time from which a result is kept. Both are
 * parameters so that tests can set them.
 */
export function createCoverageSnapshots({
  turn,
  now = () => new Date(),
  liveBudgetMs = LIVE_BUDGET_MS,
  maxSnapshots = MAX_SNAPSHOTS,
}: {
  turn: Turn;
  now?: () => Date;
  liveBudgetMs?: number;
  maxSnapshots?: number;
}) {
  const kept = new BoundedCache<string, Kept>({ maxEntries: maxSnapshots });
  const flights = new Map<string, Flight>();
  let computations = 0;

  /** The computation of `key`: the one in progress, else a new one in its turn. */
  function flightOf(key: string, compute: (at: Date) => Promise<unknown>, background: boolean): Flight {
    const running = flights.get(key);
    if (running) return running;
    const waiting: Flight["waiting"] = [];
    const promise = turn(async (): Promise<Served<unknown>> => {
      // Whoever asked and then left while it waited (closed the tab) no longer needs it.
      if (!background && waiting.every((signal) => signal?.aborted)) throw new Abandoned();
      computations++;
      const at = now();
      const started = performance.now();
      const value = await compute(at);
      if (performance.now() - started < liveBudgetMs) {
        // Fast enough to stay live: an older snapshot of the key is older than these figures.
        kept.delete(key);
        return { value, computedAt: null };
      }
      const snapshot = { value, computedAt: at };
      kept.set(key, snapshot);
      return snapshot;
    });
    const flight: Flight = { promise, waiting, background };
    const done = () => {
      if (flights.get(key) === flight) flights.delete(key);
    };
    promise.then(done, done);
    flights.set(key, flight);
    return flight;
  }

  /** Waits for a computation, or only until the request is abandoned. */
  function follow<T>(flight: Flight, signal: AbortSignal | undefined): Promise<Served<T>> {
    const result = flight.promise as Promise<Served<T>>;
    flight.waiting.push(signal ?? null);
    if (!signal) return result;
    return new Promise((resolve, reject) => {
      const leave = () => reject(signal.reason);
      signal.addEventListener("abort", leave, { once: true });
      result.then(resolve, reject).finally(() => signal.removeEventListener("abort", leave));
    });
  }

  function refreshInBackground(key: string, compute: (at: Date) => Promise<unknown>) {
    if (flights.has(key)) return;
    // The old snapshot stays when the refresh fails; the next request after ten minutes waits
    // for a computation of its own and sees the error if it persists.
    flightOf(key, compute, true).promise.catch((error: unknown) => console.error(`[kns:coverage] a report snapshot could not be refreshed: ${errorLine(error)}`));
  }

  async function serve<T>(key: string, compute: (at: Date) => Promise<T>, signal: AbortSignal | undefined): Promise<Served<T>> {
    const snapshot = kept.get(key);
    if (snapshot) {
      const age = now().getTime() - snapshot.computedAt.getTime();
      if (age >= 0 && age < FRESH_MS) return snapshot as Served<T>;
      if (age >= 0 && age < SERVED_STALE_MS) {
        refreshInBackground(key, compute);
        return snapshot as Served<T>;
      }
    }
    if (signal?.aborted) throw signal.reason;
    return follow<T>(flightOf(key, compute, false), signal);
  }

  return {
    /** The report of a scope the user may see (checked before), under the given filters. */
    report(scope: { id: number; path: string }, filters: CoverageFilters, signal?: AbortSignal): Promise<Served<Coverage>> {
      // Every input of the figures is in the key: the unit (id and full path) and every filter.
      const key = JSON.stringify(["report", scope.id, scope.path, filters.courseId, filters.category, filters.from?.toISOString() ?? null, filters.to?.toISOString() ?? null]);
      return serve(key, (at) => coverageByOrgUnit(scope, filters, at), signal);
    },
    /** The monthly completion trend of a scope; it depends on the course filter only. */
    trend(scope: { id: number; path: string }, courseId: number | null, signal?: AbortSignal): Promise<Served<TrendPoint[]>> {
      const key = JSON.stringify(["trend", scope.id, scope.path, courseId]);
      return serve(key, (at) => completionTrend(scope, courseId, at), signal);
    },
    /** How many computations have started, for tests and benchmarks. */
    computations: () => computations,
  };
}

export type CoverageSnapshots = ReturnType<typeof createCoverageSnapshots>;

/** An error's kind and the first line of its message, with any credentials in a URL masked. */
function errorLine(error: unknown): string {
  const e = error instanceof Error ? error : new Error(String(error));
  return `${e.name}: ${e.message.split("\n")[0].replace(/\/\/[^/@\s]+@/g, "//***@").slice(0, 300)}`;
}
