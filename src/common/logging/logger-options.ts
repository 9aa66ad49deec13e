import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from '../../config/app-config';

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
 * SPA's correlation id), else a fresh UUID. Fastify assigns it (see app.factory.ts)
 * and pino-http logs it; the response echoes it.
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

/** Structured JSON logs with a request id, secrets redacted. */
export function loggerOptions(config: AppConfig, destination?: NodeJS.WritableStream): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      hooks: { logMethod: demoteBootChatter },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
      serializers: {
        req: (req: { id: unknown; method: unknown; url: unknown }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: unknown }) => ({ statusCode: res.statusCode }),
      },
      stream: destination ?? pino.destination({ dest: 1, sync: false }),
    },
  };
}
