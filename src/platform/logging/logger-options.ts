import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from '../config/app-config';

/** Everything that may hold a secret, wherever it appears in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.body',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.token',
  '*.refreshToken',
  '*.impersonationToken',
  '*.accessToken',
  '*.AccessToken',
  '*.Password',
];

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/**
 * The request id: the caller's `X-Request-Id` when it is sane (a proxy's or the
 * SPA's correlation id), else a fresh UUID. Fastify assigns it (see app.factory.ts),
 * the request log and the security events carry it, and the response echoes it.
 */
export const requestIdOf = (req: IncomingMessage): string => {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
};

/** Nest's start-up chatter (one line per module and route): debug, not info, so a start shows what matters. */
const BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory']);

export function demoteBootChatter(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn, level: number): void {
  const first: unknown = args[0];
  const context = first && typeof first === 'object' ? (first as { context?: unknown }).context : undefined;
  if (level === pino.levels.values.info && typeof context === 'string' && BOOT_CONTEXTS.has(context)) {
    if (this.isLevelEnabled('debug')) this.debug(...args);
    return;
  }
  method.apply(this, args);
}

/**
 * Structured JSON logs, secrets redacted. nestjs-pino is the Nest LoggerService
 * over this one pino logger; its per-request middleware (pino-http and an
 * AsyncLocalStorage context) is not mounted (`forRoutes: []`): with it every
 * request of every route paid for a child logger, and every promise for the
 * async hooks, about a quarter of `GET /api/auth/me` (docs/performance.md).
 * Requests are logged by `logRequests` instead, and the log lines a request
 * causes carry its id explicitly (SecurityEvents, the exception filters).
 */
export function loggerOptions(config: AppConfig, destination?: NodeJS.WritableStream): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks: { logMethod: demoteBootChatter },
      // pino-http applies its standard serializers first; these keep only what a line about a request needs.
      serializers: {
        req: (req: { id: unknown; method: unknown; url: unknown }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: unknown }) => ({ statusCode: res.statusCode }),
      },
      stream: destination ?? pino.destination({ dest: 1, sync: false }),
    },
    forRoutes: [],
  };
}

/** The level a finished request is logged at: errors always, refusals at info, the rest at debug. */
export const requestLogLevel = (statusCode: number): pino.Level =>
  statusCode >= 500 ? 'error' : statusCode >= 400 ? 'info' : 'debug';

/** The request's own fields of every line about it. */
export const requestFields = (request: { id: string; method: string; url: string }) => ({
  id: request.id,
  method: request.method,
  url: request.url,
});

/** One line per finished request, `{ req, res, responseTime }`, at `requestLogLevel`; nothing built when that level is off. */
export function logRequests(fastify: FastifyInstance, logger: () => pino.Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const level = requestLogLevel(reply.statusCode);
    const log = logger();
    if (log.isLevelEnabled(level)) {
      log[level](
        { req: requestFields(request), res: reply.raw, responseTime: Math.round(reply.elapsedTime) },
        reply.statusCode >= 500 ? 'request errored' : 'request completed',
      );
    }
    done();
  });
}
