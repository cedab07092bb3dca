import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface HttpCloseReport {
  /** Connections still busy when the grace period ended, cut without an answer. */
  forcedConnections: number;
  durationMs: number;
}

const SWEEP_MS = 20;
/** After a forced close, sockets are destroyed at once; this only bounds the loop. */
const AFTER_FORCE_MS = 1000;

/**
 * Stops `server` and resolves once it holds no connection at all, so that every request it accepted has
 * finished (and been recorded) or was cut.
 *
 * `server.close()` alone is not enough: Node keeps serving new requests on open keep-alive connections
 * after it (only Fastify's own routes answer `Connection: close` while closing, and the proxy is a
 * request listener in front of Fastify), so under steady load the server never reports closed. Here every
 * response started from now on carries `Connection: close`, connections that fall idle are closed as
 * soon as they do, and whatever is still busy after `graceMs` is cut.
 */
export async function closeHttpServer(server: Server, graceMs: number): Promise<HttpCloseReport> {
  const started = Date.now();
  const closeAfterResponse = (_req: IncomingMessage, res: ServerResponse) => {
    if (!res.headersSent) {
      res.setHeader('connection', 'close');
    }
  };
  server.prependListener('request', closeAfterResponse);
  if (server.listening) {
    // Its callback may come with ERR_SERVER_NOT_RUNNING if someone else closed it first; we poll instead.
    server.close(() => undefined);
  }
  const deadline = started + graceMs;
  let forcedConnections = 0;
  try {
    for (;;) {
      server.closeIdleConnections();
      const open = await openConnections(server);
      if (open === 0) {
        break;
      }
      const now = Date.now();
      if (now >= deadline + AFTER_FORCE_MS) {
        break;
      }
      if (now >= deadline && forcedConnections === 0) {
        forcedConnections = open;
        server.closeAllConnections();
      }
      await new Promise((resolve) => setTimeout(resolve, SWEEP_MS));
    }
  } finally {
    server.off('request', closeAfterResponse);
  }
  return { forcedConnections, durationMs: Date.now() - started };
}

function openConnections(server: Server): Promise<number> {
  return new Promise((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));
}
