import pino from 'pino';

/** What decides the log format: the environment and whether a person reads stdout. */
export interface LogStreamContext {
  env: string;
  isTty: boolean;
}

/**
 * Pretty lines (pino-pretty: time, level, message, then the fields) when a developer
 * reads the terminal, outside production; the same JSON lines as in production
 * otherwise (piped, redirected, in CI, in tests, under a process manager). pino-pretty is
 * a dev dependency: where it is not installed (`npm ci --omit=dev`), JSON it is.
 */
export function wantsPrettyLogs(context: LogStreamContext): boolean {
  return context.env !== 'production' && context.isTty;
}

export function logStream(context: LogStreamContext = { env: process.env.NODE_ENV ?? 'development', isTty: !!process.stdout.isTTY }): pino.DestinationStream {
  if (wantsPrettyLogs(context)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pretty = require('pino-pretty') as typeof import('pino-pretty');
      return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: false, destination: 1, sync: false });
    } catch {
      // not installed: JSON below
    }
  }
  return pino.destination({ dest: 1, sync: false });
}
