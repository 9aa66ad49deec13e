import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { connect, createServer, Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, TestDatabase } from '../support/database';
import { startTestApp, TestApp } from '../support/test-app';

/** How many slow sockets each case opens, and how long it waits at most for the service to drop them. */
const SOCKETS = 20;
const BOUND_MS = 15_000;

interface SlowSocket {
  socket: Socket;
  closed: Promise<void>;
  isClosed(): boolean;
  stop(): void;
}

/** A client that trickles `parts` one every `everyMs`, forever (a slowloris), until the server closes it. */
function slowSocket(port: number, first: string, trickle: string | null, everyMs = 250): SlowSocket {
  const socket = connect(port, '127.0.0.1');
  let closed = false;
  const done = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  socket.once('connect', () => socket.write(first));
  const timer = trickle === null ? null : setInterval(() => socket.writable && socket.write(trickle), everyMs);
  void done.then(() => timer && clearInterval(timer));
  return {
    socket,
    closed: done,
    isClosed: () => closed,
    stop() {
      if (timer) clearInterval(timer);
      socket.destroy();
    },
  };
}

async function allClosedWithin(sockets: SlowSocket[], boundMs: number): Promise<number> {
  const deadline = sleep(boundMs).then(() => 'deadline' as const);
  await Promise.race([Promise.all(sockets.map((s) => s.closed)), deadline]);
  return sockets.filter((s) => !s.isClosed()).length;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Issue #14 item 5: no header or request timeout, so 300 of 300 slow sockets were still
 * open after 70 s, and 3 of them held a SIGTERM drain for over 90 s.
 */
describe('slow clients cannot hold the service', () => {
  let t: TestApp;
  let port: number;
  const opened: SlowSocket[] = [];
  before(async () => {
    t = await startTestApp({ config: { logLevel: 'silent', http: { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 1_000 } } });
    port = Number(new URL(t.url).port);
  });
  after(async () => {
    for (const s of opened) s.stop();
    await t?.close();
  });

  it(`closes ${SOCKETS} sockets that send their headers a byte at a time (header timeout)`, async () => {
    const sockets = Array.from({ length: SOCKETS }, () => slowSocket(port, 'GET /api/health HTTP/1.1\r\nHost: x\r\n', 'X'));
    opened.push(...sockets);
    assert.equal(await allClosedWithin(sockets, BOUND_MS), 0, 'every slow-header socket was closed by the server');
  });

  it(`closes ${SOCKETS} sockets that connect and never send a byte`, async () => {
    const sockets = Array.from({ length: SOCKETS }, () => slowSocket(port, '', null));
    opened.push(...sockets);
    assert.equal(await allClosedWithin(sockets, BOUND_MS), 0);
  });

  it(`closes ${SOCKETS} sockets that send a body a byte at a time (request timeout)`, async () => {
    const head = 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{';
    const sockets = Array.from({ length: SOCKETS }, () => slowSocket(port, head, ' '));
    opened.push(...sockets);
    assert.equal(await allClosedWithin(sockets, BOUND_MS), 0);
  });

  it('closes an idle keep-alive connection after its timeout, and still answers the requests on it before', async () => {
    const socket = slowSocket(port, 'GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n', null);
    opened.push(socket);
    const answer = await new Promise<string>((resolve) => socket.socket.once('data', (chunk: Buffer) => resolve(chunk.toString('utf8'))));
    assert.match(answer, /^HTTP\/1\.1 200/);
    assert.match(answer, /keep-alive/i);
    assert.equal(await allClosedWithin([socket], BOUND_MS), 0, 'the idle keep-alive connection was closed');
  });
});

describe('SIGTERM with slow clients still connected (src/main.ts in a child process)', () => {
  let database: TestDatabase;
  let child: ChildProcess | undefined;
  const sockets: SlowSocket[] = [];
  before(async () => {
    database = await createTestDatabase();
  });
  after(async () => {
    for (const s of sockets) s.stop();
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await database?.drop();
  });

  it('closes what is left after the bounded drain and exits 0, however slow the clients', async () => {
    const httpPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: database.url,
      PORT: String(httpPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      BCRYPT_COST: '10',
      SEED_DEMO_ON_EMPTY: 'false',
      DATA_DIR: join('.data-test', `slow-${process.pid}`),
      // Long request timeouts: only the drain bound may end these requests.
      HTTP_HEADERS_TIMEOUT_MS: '60000',
      HTTP_REQUEST_TIMEOUT_MS: '120000',
      SHUTDOWN_TIMEOUT_MS: '2000',
    };
    const output: string[] = [];
    child = spawn(process.execPath, ['-r', '@swc-node/register', join('src', 'main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child?.once('exit', (code, signal) => resolve({ code, signal })));
    const started = Date.now();
    while (!output.join('').includes('is listening on')) {
      assert.ok(Date.now() - started < 40_000, `the service did not come up: ${output.join('')}`);
      assert.equal(child.exitCode, null, output.join(''));
      await sleep(200);
    }
    const head = 'POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{';
    sockets.push(...Array.from({ length: 3 }, () => slowSocket(httpPort, head, ' ')));
    await sleep(500);
    child.kill('SIGTERM');
    const result = await Promise.race([exited, sleep(BOUND_MS).then(() => null)]);
    assert.ok(result, `still running ${BOUND_MS} ms after SIGTERM, held by 3 slow requests: ${output.join('')}`);
    assert.deepEqual(result, { code: 0, signal: null }, output.join(''));
    assert.equal(await allClosedWithin(sockets, 1_000), 0, 'the slow connections were closed');
  });
});
