import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/** Debian's PgBouncer (1.18 on bookworm; `apt-get install -y pgbouncer`, done by .ci/run). PGBOUNCER_BIN overrides. */
const PGBOUNCER_BIN = process.env.PGBOUNCER_BIN ?? (existsSync('/usr/sbin/pgbouncer') ? '/usr/sbin/pgbouncer' : 'pgbouncer');

export interface PgBouncer {
  /** `serverUrl` with host and port replaced by PgBouncer's: every database name of the server is reachable. */
  url: string;
  port: number;
  log(): string;
  stop(): Promise<void>;
}

export interface PgBouncerOptions {
  /** Connections PgBouncer opens to the server per database and user (its default_pool_size). */
  poolSize?: number;
  mode?: 'transaction' | 'session';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A real PgBouncer in front of the PostgreSQL of `serverUrl`, in transaction pooling
 * mode by default (what docs/deployment.md recommends), on a free port, as a child of
 * this process. Clients authenticate to PgBouncer without a password (trust, on
 * 127.0.0.1 only); PgBouncer logs in to the server as serverUrl's user and password.
 */
export async function startPgBouncer(serverUrl: string, options: PgBouncerOptions = {}): Promise<PgBouncer> {
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username || 'postgres');
  const password = decodeURIComponent(server.password);
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'authgate-pgbouncer-'));
    const port = await freePort();
    const logFile = join(dir, 'pgbouncer.log');
    writeFileSync(join(dir, 'userlist.txt'), `"${user}" "${password.replace(/"/g, '""')}"\n`);
    writeFileSync(
      join(dir, 'pgbouncer.ini'),
      `[databases]
* = host=${server.hostname} port=${server.port || 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
pidfile = ${join(dir, 'pgbouncer.pid')}
logfile = ${logFile}
auth_type = trust
auth_file = ${join(dir, 'userlist.txt')}
pool_mode = ${options.mode ?? 'transaction'}
default_pool_size = ${options.poolSize ?? 20}
max_client_conn = 2000
max_db_connections = 0
server_lifetime = 3600
server_idle_timeout = 10
ignore_startup_parameters = extra_float_digits,options
log_connections = 0
log_disconnections = 0
`,
    );
    // As root PgBouncer refuses to run unless told which user to become; that user must read its files and write its log.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('chown', ['-R', 'postgres', dir]);
    const args = [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')];
    const child: ChildProcess = spawn(PGBOUNCER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let gone = false;
    void exited.then(() => (gone = true));
    const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '') + output;
    const deadline = Date.now() + 10_000;
    while (!gone && Date.now() < deadline && !(await portAnswers(port))) await sleep(20);
    if (!gone && Date.now() < deadline) {
      const url = new URL(serverUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return {
        url: url.toString(),
        port,
        log,
        async stop() {
          if (!gone) {
            child.kill('SIGINT'); // safe shutdown: waits for clients' transactions
            const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
            await exited;
            clearTimeout(timer);
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    if (!gone) child.kill('SIGKILL');
    await exited;
    lastError = log();
    rmSync(dir, { recursive: true, force: true });
    if (!/Address already in use/.test(lastError)) break;
  }
  throw new Error(`pgbouncer did not start: ${lastError}`);
}

