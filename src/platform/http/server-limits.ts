import type { FastifyInstance, FastifyServerOptions } from 'fastify';

/**
 * How long a client may take, and how long a shutdown waits for the slowest. Without
 * them 300 of 300 slow sockets were still open after 70 s and 3 held a SIGTERM drain
 * for over 90 s (test/faults/slow-clients.e2e.ts).
 */
export interface ServerLimits {
  /** From the connection (or the previous request) until the request's headers are complete. */
  headersTimeoutMs: number;
  /** From the connection (or the previous request) until the whole request, body included, has arrived. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** After SIGTERM, requests still unfinished after this are cut off and their connections closed. */
  shutdownTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  shutdownTimeoutMs: 10_000,
};

/** The Fastify (and node:http) options that enforce the limits. */
export function serverLimitOptions(limits: ServerLimits): Partial<FastifyServerOptions> {
  // node:http checks the header and request deadlines every connectionsCheckingInterval (30 s by default,
  // which let a slow socket live a minute and a half); node requires headersTimeout <= requestTimeout.
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // A socket that sends nothing at all, before or between requests.
    connectionTimeout: Math.max(limits.requestTimeoutMs, limits.keepAliveTimeoutMs) + 1_000,
    http: {
      headersTimeout,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(250, Math.min(1_000, Math.floor(headersTimeout / 4))),
    },
  } as Partial<FastifyServerOptions>;
}

/**
 * A drain with an end: `close()` stops accepting, lets requests in flight finish, and
 * after `shutdownTimeoutMs` closes every connection still open (a slow client's
 * half-sent request cannot hold the shutdown).
 */
export function boundDrain(fastify: FastifyInstance, shutdownTimeoutMs: number): void {
  let timer: NodeJS.Timeout | undefined;
  fastify.addHook('preClose', (done) => {
    const server = fastify.server;
    server.closeIdleConnections();
    timer = setTimeout(() => server.closeAllConnections(), shutdownTimeoutMs);
    timer.unref();
    done();
  });
  fastify.addHook('onClose', (_instance, done) => {
    if (timer) clearTimeout(timer);
    done();
  });
}
