import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Nginx, startNginx } from '../support/nginx';

interface Upstream {
  server: Server;
  url: string;
  name: string;
}

/** A tiny HTTP server that says who it is and what nginx forwarded. */
async function upstream(name: string): Promise<Upstream> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ name, method: req.method, forwardedFor: req.headers['x-forwarded-for'] ?? null }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { server, name, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

const close = (u: Upstream) => new Promise<void>((r) => u.server.close(() => r()));

/** The helper the topology and gateway tests build on: a real nginx, on a free port, stopped cleanly. */
describe('test/support/nginx: a real nginx in front of upstreams', () => {
  let a: Upstream;
  let b: Upstream;
  let nginx: Nginx;

  before(async () => {
    a = await upstream('a');
    b = await upstream('b');
    nginx = await startNginx({ upstreams: [a.url, b.url] });
  });
  after(async () => {
    await nginx.stop();
    a.server.closeAllConnections();
    b.server.closeAllConnections();
    await Promise.all([close(a), close(b)]);
  });

  it('balances requests over both upstreams and forwards the client address', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => (await fetch(`${nginx.url}/anything`, { method: 'POST', body: '{}' })).json() as Promise<{ name: string; forwardedFor: string; method: string }>),
    );
    assert.deepEqual(new Set(answers.map((x) => x.name)), new Set(['a', 'b']));
    assert.ok(answers.every((x) => x.forwardedFor === '127.0.0.1' && x.method === 'POST'));
  });

  it('sends a request to the next upstream when one is gone, and logs the refused connection', async () => {
    b.server.closeAllConnections();
    await close(b);
    const statuses = await Promise.all(Array.from({ length: 10 }, async () => (await fetch(`${nginx.url}/`, { method: 'POST', body: '{}' })).status));
    assert.deepEqual(statuses, Array(10).fill(200));
    assert.match(nginx.errorLog(), /connect\(\) failed \(111: Connection refused\)/);
  });

  it('reloads with another config on the same port', async () => {
    b = await upstream('b2');
    await nginx.reload({ upstreams: [b.url] });
    const answers = await Promise.all(Array.from({ length: 6 }, async () => ((await (await fetch(`${nginx.url}/`)).json()) as { name: string }).name));
    assert.deepEqual(new Set(answers), new Set(['b2']));
  });

  it('stops: the port refuses connections and the prefix directory is gone', async () => {
    const other = await startNginx({ http: ({ port }) => `server { listen 127.0.0.1:${port}; return 204; }` });
    assert.equal((await fetch(other.url)).status, 204);
    await other.stop();
    await assert.rejects(fetch(other.url));
    assert.equal(existsSync(other.prefix), false);
  });
});
