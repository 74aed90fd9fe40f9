// Requests start in the order they arrived, one per turn of the event loop. See
// docs/decisions/028-one-request-per-turn.md.
//
// Node's event loop (libuv 1.45 and later) accepts at most one new connection per turn, and a
// turn runs the handler of every request that became readable since the last one. Under load a
// turn is therefore as long as one request of every open connection (50 connections × 1.5 ms):
// a connection that waits to be accepted waits that long for each one queued before it, and its
// first request was measured at 1.5–3 s while the others were answered in 70 ms. Starting one
// request per turn keeps a turn as short as one request, so the kernel's accept queue and the
// sockets are looked at between any two requests; and while connections are waiting to be
// accepted, turns go to accepting them first. Every request, on a new connection or an old one,
// then waits only for those that arrived before it.
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Turns in a row that start no request because a connection was just accepted (more may wait
 * behind it in the kernel's queue). Each costs a few microseconds; the bound keeps a flood of new
 * connections from holding up the requests already queued.
 */
const MAX_ACCEPT_TURNS = 64;

/**
 * Requests one connection may have waiting. Browsers and proxies send one at a time; a client that
 * pipelines hundreds would otherwise fill memory with parsed requests (Node stops reading a
 * connection only once its answers pile up, and queued requests have none yet). Such a connection
 * is closed.
 */
const MAX_WAITING_PER_CONNECTION = 32;

/** Serves the server's requests with `listener` (the Express app), one request per turn. */
export function serveInTurns(server: Server, listener: Listener): void {
  let queue: ([IncomingMessage, ServerResponse] | undefined)[] = [];
  let head = 0;
  let scheduled = false;
  let accepted = false;
  let acceptTurns = 0;
  const waiting = new WeakMap<Socket, number>();

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    // setImmediate, not a microtask or nextTick: the next request starts only after the event
    // loop has polled the sockets (and accepted a waiting connection) once more.
    setImmediate(startNext);
  };

  function startNext() {
    scheduled = false;
    // libuv accepts one connection per turn: while connections keep coming out of the kernel's
    // queue, turns go to accepting them, so that their requests take their place in line by
    // the time they came, not by how long accepting them took.
    if (accepted && acceptTurns < MAX_ACCEPT_TURNS) {
      accepted = false;
      acceptTurns++;
      schedule();
      return;
    }
    accepted = false;
    acceptTurns = 0;
    while (head < queue.length) {
      const [req, res] = queue[head]!;
      queue[head++] = undefined;
      waiting.set(req.socket, (waiting.get(req.socket) ?? 1) - 1);
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

  server.on("connection", () => {
    accepted = true;
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const count = (waiting.get(req.socket) ?? 0) + 1;
    if (count > MAX_WAITING_PER_CONNECTION) {
      req.socket.destroy();
      return;
    }
    waiting.set(req.socket, count);
    queue.push([req, res]);
    schedule();
  });
}
