// Requests start in the order they arrived, one per turn of the event loop. See
// docs/decisions/028-one-request-per-turn.md.
//
// Node's event loop (libuv 1.45 and later) accepts at most one new connection per turn, and a
// turn runs the handler of every request that became readable since the last one. Under load a
// turn is therefore as long as one request of every open connection (50 connections × 1.5 ms):
// a connection that waits to be accepted waits that long for each one queued before it, and its
// first request was measured at 1.5–3 s while the others were answered in 70 ms. Starting one
// request per turn keeps a turn as short as one request, so the kernel's accept queue and the
// sockets are looked at between any two requests, and every request, on a new connection or an
// old one, waits only for those that arrived before it.
import type { IncomingMessage, ServerResponse } from "node:http";

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/** Wraps an HTTP server's request listener (an Express app) so that requests start in turns. */
export function oneRequestPerTurn(listener: Listener): Listener {
  let queue: ([IncomingMessage, ServerResponse] | undefined)[] = [];
  let head = 0;
  let scheduled = false;

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // setImmediate, not a microtask or nextTick: the next request starts only after the event
    // loop has polled the sockets (and accepted a waiting connection) once more.
    setImmediate(startNext);
  };

  function startNext() {
    scheduled = false;
    while (head < queue.length) {
      const [req, res] = queue[head]!;
      queue[head++] = undefined;
      if (head === queue.length) {
        queue = [];
        head = 0;
      } else if (head >= 1024) {
        queue = queue.slice(head);
        head = 0;
      }
      // A client that went away while its request waited costs nothing more.
      if (req.socket.destroyed) continue;
      // Scheduled first, so a listener that throws does not stop the queue.
      if (head < queue.length) schedule();
      listener(req, res);
      return;
    }
  }

  return (req, res) => {
    queue.push([req, res]);
    schedule();
  };
}
