import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { AppConfig } from '../../src/platform/config/app-config';

/** Another instance of the service, in a process of its own, on the same database. */
export interface AppProcess {
  url: string;
  /** The instance's Prometheus endpoint, when its config has `metrics`. */
  metricsUrl?: string;
  child: ChildProcess;
  /** Moves the instance's fake clock (only when started with `clockMs`). */
  setTime(ms: number): Promise<void>;
  /** Sends SIGTERM and waits for the exit code. */
  close(): Promise<number | null>;
  /** Resolves when the process has exited: its code, or the signal that killed it. */
  exited: Promise<AppProcessExit>;
  /** Resolves when its HTTP drain has begun (after SIGTERM): from then on a new connection is refused or answered 503. */
  draining: Promise<void>;
  /** Sends `signal` (SIGKILL for a crash) and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<AppProcessExit>;
}

export interface AppProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface AppProcessOptions {
  /** Start the instance on a fake clock at this time. */
  clockMs?: number;
  /** Collect the instance's stdout/stderr here (it is discarded otherwise). */
  output?: string[];
  /** How long it may take to be ready (default 30 s; a loaded CI machine compiling the app may need more). */
  startTimeoutMs?: number;
}

/**
 * Forks test/support/app-process.main.ts with `config` (give it the same
 * database URL and JWT keys as the first instance, as a deployment would).
 */
export async function startAppProcess(config: AppConfig, options: AppProcessOptions = {}): Promise<AppProcess> {
  const child = fork(join(__dirname, 'app-process.main.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: {
      ...process.env,
      APP_PROCESS_CONFIG: JSON.stringify(config),
      ...(options.clockMs !== undefined ? { APP_PROCESS_CLOCK_MS: String(options.clockMs) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const collect = (chunk: Buffer) => options.output?.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exitedWith = new Promise<AppProcessExit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const exited = exitedWith.then(({ code }) => code);

  const draining = new Promise<void>((resolve) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== 'draining') return;
      child.off('message', onMessage);
      resolve();
    };
    child.on('message', onMessage);
  });

  let metricsUrl: string | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    const limit = options.startTimeoutMs ?? 30_000;
    const timer = setTimeout(() => reject(new Error(`the app process did not start within ${limit / 1000} s`)), limit);
    child.on('message', (message: { type: string; port?: number; metricsUrl?: string }) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        metricsUrl = message.metricsUrl;
        resolve(message.port ?? 0);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the app process exited with ${code} before it was ready: ${(options.output ?? []).join('\n')}`));
    });
  });

  let seq = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    metricsUrl,
    child,
    setTime(ms) {
      const id = ++seq;
      return new Promise((resolve) => {
        const onMessage = (message: { type: string; id?: number }) => {
          if (message.type === 'clock-set' && message.id === id) {
            child.off('message', onMessage);
            resolve();
          }
        };
        child.on('message', onMessage);
        child.send({ type: 'clock', ms, id });
      });
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    exited: exitedWith,
    draining,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exitedWith;
    },
  };
}
