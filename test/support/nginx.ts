import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port';

/** Debian's nginx (`apt-get install -y nginx`, done by .ci/run); NGINX_BIN overrides. */
const NGINX_BIN = process.env.NGINX_BIN ?? (existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx');

export interface NginxConfigContext {
  /** The port nginx listens on (127.0.0.1), chosen free at run time. */
  port: number;
  /** The temporary prefix directory (config, logs, temp files): for files a config refers to. */
  prefix: string;
}

export interface NginxOptions {
  /**
   * Upstream servers (`http://127.0.0.1:PORT` or `127.0.0.1:PORT`) for the default
   * config: one `server` on `port` proxying everything to them round robin, with
   * `X-Forwarded-For`, keep-alive to the upstreams, and a retry on the next upstream
   * when one refuses the connection or answers 502/503 (an instance that is draining or
   * gone), POSTs included.
   */
  upstreams?: string[];
  /**
   * The whole body of the `http { }` block instead of the default config (upstreams,
   * `server { listen 127.0.0.1:${port}; … }`): for a gateway config of one's own.
   * The helper writes the rest (pid, temp paths, error log, `daemon off`).
   */
  http?: (context: NginxConfigContext) => string;
}

export interface Nginx {
  /** `http://127.0.0.1:PORT`, where nginx listens. */
  url: string;
  port: number;
  prefix: string;
  /** What nginx wrote to its error log so far (warnings, upstream failures, …). */
  errorLog(): string;
  /** Replaces the config (same port) and reloads gracefully (SIGHUP); resolves when the new workers serve. */
  reload(options: NginxOptions): Promise<void>;
  /** Graceful stop (SIGQUIT: in-flight requests finish), SIGKILL after 5 s; removes the prefix dir. */
  stop(): Promise<void>;
}

function upstreamAddress(u: string): string {
  return u.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
}

/** The default config: a plain round-robin balancer, as docs/deployment.md describes. */
export function balancerConfig(upstreams: string[]) {
  return ({ port }: NginxConfigContext) => `
    upstream authgate {
      ${upstreams.map((u) => `server ${upstreamAddress(u)} max_fails=0;`).join('\n      ')}
      keepalive 32;
    }
    server {
      listen 127.0.0.1:${port};
      # Clients keep their connections (nginx would close one after 1000 requests, racing a client's next request).
      keepalive_requests 1000000;
      location / {
        proxy_pass http://authgate;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_next_upstream error timeout http_502 http_503 non_idempotent;
        proxy_next_upstream_tries 3;
      }
    }`;
}

function fullConfig(prefix: string, port: number, options: NginxOptions): string {
  const http = options.http ?? (options.upstreams ? balancerConfig(options.upstreams) : undefined);
  if (!http) throw new Error('startNginx needs upstreams or an http config');
  return `
worker_processes 1;
daemon off;
master_process on;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} info;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${join(prefix, 'tmp', 'body')};
  proxy_temp_path ${join(prefix, 'tmp', 'proxy')};
  fastcgi_temp_path ${join(prefix, 'tmp', 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'tmp', 'uwsgi')};
  scgi_temp_path ${join(prefix, 'tmp', 'scgi')};
  ${http({ port, prefix })}
}
`;
}

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A real nginx in the foreground as a child of this process, with a generated config
 * on a free port and a temporary prefix directory; its error log is kept for the test.
 * Retries with another port when the chosen one was taken in between.
 */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const started = await tryStart(options);
    if ('nginx' in started) return started.nginx;
    lastError = started.error;
    if (!/Address already in use/.test(lastError)) break;
  }
  throw new Error(`nginx did not start: ${lastError}`);
}

async function tryStart(options: NginxOptions): Promise<{ nginx: Nginx } | { error: string }> {
  const prefix = mkdtempSync(join(tmpdir(), 'authgate-nginx-'));
  // Workers run as nobody when the master is root: they must reach the temp dirs.
  chmodSync(prefix, 0o755);
  for (const dir of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(prefix, 'tmp', dir), { recursive: true, mode: 0o777 });
    chmodSync(join(prefix, 'tmp', dir), 0o777);
  }
  const port = await freePort();
  const confPath = join(prefix, 'nginx.conf');
  writeFileSync(confPath, fullConfig(prefix, port, options));
  const errorLogPath = join(prefix, 'error.log');
  writeFileSync(errorLogPath, '');
  const errorLog = () => (existsSync(errorLogPath) ? readFileSync(errorLogPath, 'utf8') : '');

  const child: ChildProcess = spawn(NGINX_BIN, ['-p', prefix, '-c', confPath, '-e', errorLogPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  child.once('error', (err) => (output += String(err)));

  const deadline = Date.now() + 10_000;
  while (!gone && Date.now() < deadline && !(await portAnswers(port))) await sleep(20);
  if (gone || Date.now() >= deadline) {
    if (!gone) child.kill('SIGKILL');
    await exited;
    const error = `${output}\n${errorLog()}`.trim();
    rmSync(prefix, { recursive: true, force: true });
    return { error };
  }

  const workerPids = () => {
    try {
      return readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
    } catch {
      return '';
    }
  };

  return {
    nginx: {
      url: `http://127.0.0.1:${port}`,
      port,
      prefix,
      errorLog,
      async reload(next) {
        const before = workerPids();
        writeFileSync(confPath, fullConfig(prefix, port, next));
        const logLength = errorLog().length;
        child.kill('SIGHUP');
        // The master starts new workers and retires the old ones; a bad config is refused and logged.
        const until = Date.now() + 10_000;
        while (Date.now() < until) {
          const log = errorLog().slice(logLength);
          if (/\[emerg\]/.test(log)) throw new Error(`nginx refused the new config: ${log}`);
          const now = workerPids();
          if (now !== '' && now !== before && !now.split(' ').some((pid) => before.split(' ').includes(pid))) return;
          await sleep(20);
        }
        throw new Error(`nginx did not reload within 10 s: ${errorLog().slice(logLength)}`);
      },
      async stop() {
        if (!gone) {
          child.kill('SIGQUIT');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(prefix, { recursive: true, force: true });
      },
    },
  };
}
