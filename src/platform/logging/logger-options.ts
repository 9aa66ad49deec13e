import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from '../config/app-config';
import { logStream } from './log-stream';

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

/** The caller's `X-Request-Id` when it is sane (a proxy's or the SPA's correlation id), else null. */
export const saneRequestIdOf = (req: Pick<IncomingMessage, 'headers'>): string | null => {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : null;
};

/**
 * The request id: the `X-Request-Id` of a trusted proxy (TRUST_PROXY) when it is sane,
 * else a fresh UUID. Anyone else's is only their claim: it becomes no log id of ours
 * (a client could file its security events under another request's id), and is kept
 * as `clientRequestId` beside ours (see `clientRequestIdOf`). Fastify assigns the id
 * (see app.factory.ts); the request log and the security events carry it, and the
 * response echoes it.
 */
export function requestIdGenerator(isTrustedProxy: (peer: string | undefined) => boolean): (req: IncomingMessage) => string {
  return (req) => (isTrustedProxy(req.socket?.remoteAddress) ? saneRequestIdOf(req) : null) ?? randomUUID();
}

/** The client's own `X-Request-Id` when it is not the request's id (an untrusted client's), for its own log field. */
export const clientRequestIdOf = (req: Pick<IncomingMessage, 'headers'>, requestId: string): string | null => {
  const given = saneRequestIdOf(req);
  return given !== null && given !== requestId ? given : null;
};

/**
 * Query strings may carry secrets (`?access_token=`, `?code=`): log lines show their
 * keys and never their values.
 */
export function redactQuery(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq === -1 ? pair : `${pair.slice(0, eq)}=[redacted]`;
    })
    .join('&');
  return `${url.slice(0, at)}?${query}`;
}

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
        req: (req: { id: unknown; method: unknown; url: unknown }) => ({ id: req.id, method: req.method, url: typeof req.url === 'string' ? redactQuery(req.url) : req.url }),
        res: (res: { statusCode: unknown }) => ({ statusCode: res.statusCode }),
      },
      // Pretty in a developer's terminal, JSON everywhere else (log-stream.ts).
      stream: destination ?? logStream({ env: config.env, isTty: !!process.stdout.isTTY }),
    },
    forRoutes: [],
  };
}

/** The level a finished request is logged at: errors always, refusals at info, the rest at debug. */
export const requestLogLevel = (statusCode: number): pino.Level =>
  statusCode >= 500 ? 'error' : statusCode >= 400 ? 'info' : 'debug';

/** The request's own fields of every line about it: the query string's values redacted, the client's own request id when it has one. */
export const requestFields = (request: { id: string; method: string; url: string; headers: IncomingMessage['headers'] }) => {
  const fields: { id: string; method: string; url: string; clientRequestId?: string } = {
    id: request.id,
    method: request.method,
    url: redactQuery(request.url),
  };
  const clientRequestId = clientRequestIdOf(request, request.id);
  if (clientRequestId !== null) fields.clientRequestId = clientRequestId;
  return fields;
};

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
