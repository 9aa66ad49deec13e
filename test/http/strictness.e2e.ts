import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.factory';
import { registerDemo } from '../../src/demo/demo-static';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { createTestDatabase, TestDatabase } from '../support/database';
import { get, post } from '../support/http';
import { startTestApp, testConfig, TestApp } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const parsed = (t: TestApp): Record<string, any>[] => t.logs.map((l) => JSON.parse(l) as Record<string, any>);

/** Issue #14 items 8 and 9: what a request can make the service log, accept or serve. */
describe('strictness: log lines, bearer syntax, static files, request ids', () => {
  let t: TestApp;
  let email: string;
  before(async () => {
    t = await startTestApp({ captureLogs: true });
    const org = await createOrganization(t.db);
    email = (await createUser(t.db, org, { email: 'strict@acme.example' })).email;
  });
  after(() => t?.close());

  it('redacts query strings in request log lines: an ?access_token= never reaches the log', async () => {
    const secret = `tok-${randomBytes(12).toString('hex')}`;
    const res = await get(`${t.url}/api/auth/me?access_token=${secret}&x=${secret}2`, { headers: { 'x-forwarded-for': '198.51.100.1' } });
    assert.equal(res.status, 401);
    await new Promise((r) => setTimeout(r, 50));
    const line = parsed(t).find((l) => l.req?.url?.startsWith('/api/auth/me?'));
    assert.ok(line, 'the refused request is logged');
    assert.equal(line.req.url, '/api/auth/me?access_token=[redacted]&x=[redacted]');
    for (const l of t.logs) assert.ok(!l.includes(secret), `a log line holds the token: ${l}`);
  });

  it('refuses `Authorization: Bearer <token> junk` (RFC 6750 allows one b64token and nothing after it)', async () => {
    const login = await post(`${t.url}/api/auth/login`, { email, password: PASSWORD });
    assert.equal(login.status, 200, login.text);
    const token = login.body.token as string;
    assert.equal((await get(`${t.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status, 200);
    assert.equal((await get(`${t.url}/api/auth/me`, { headers: { authorization: `bearer ${token}` } })).status, 200, 'the scheme is case-insensitive');
    for (const value of [`Bearer ${token} junk`, `Bearer ${token} ${token}`, `Bearer ${token},x`, `Bearer ${token}\tjunk`, `Bearer  ${token} x`]) {
      const res = await get(`${t.url}/api/auth/me`, { headers: { authorization: value } });
      assert.equal(res.status, 401, `${value.replace(token, '<token>')}: ${res.text}`);
    }
  });

  it('serves under /api/docs/ only the files Swagger UI needs, never the rest of swagger-ui-dist', async () => {
    const page = await get(`${t.url}/api/docs`);
    assert.equal(page.status, 200);
    const assets = [...page.text.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => new URL(m[1], `${t.url}/api/docs`).pathname);
    assert.ok(assets.length >= 4, page.text);
    for (const asset of assets) assert.equal((await get(`${t.url}${asset}`)).status, 200, asset);
    assert.equal((await get(`${t.url}/api/docs/`)).status, 200);
    for (const path of ['/api/docs/package.json', '/api/docs/README.md', '/api/docs/index.js', '/api/docs/absolute-path.js', '/api/docs/swagger-ui.js.map', '/api/docs/swagger-ui-bundle.js.map', '/api/docs/docs/package.json']) {
      const res = await get(`${t.url}${path}`);
      assert.equal(res.status, 404, `${path}: ${res.status}`);
      assert.equal(res.body.code, 'NOT_FOUND', path);
    }
  });

  it('takes a client X-Request-Id only from a trusted proxy; otherwise it is kept as its own field of the security events', async () => {
    const res = await post(`${t.url}/api/auth/login`, { email, password: 'wrong-password' }, { headers: { 'x-request-id': 'chosen-by-attacker' } });
    assert.equal(res.status, 401);
    const id = res.headers.get('x-request-id') ?? '';
    assert.match(id, UUID, 'our own id, not the client-chosen one');
    const event = parsed(t).find((l) => l.event === 'login.failed' && l.req?.id === id);
    assert.ok(event, 'the security event carries our id');
    assert.equal(event.clientRequestId, 'chosen-by-attacker');
    assert.ok(!parsed(t).some((l) => l.req?.id === 'chosen-by-attacker'), 'no line is filed under the client-chosen id');

    const behindProxy = await startTestApp({ databaseUrl: t.config.database.url, captureLogs: true, config: { trustProxy: ['127.0.0.1'] } });
    try {
      const proxied = await post(`${behindProxy.url}/api/auth/login`, { email, password: 'wrong-password' }, { headers: { 'x-request-id': 'from-the-proxy.1' } });
      assert.equal(proxied.headers.get('x-request-id'), 'from-the-proxy.1', 'a trusted proxy names the request');
      // Nest's logger is process-wide: the second app's events may land in either capture.
      assert.ok([...parsed(behindProxy), ...parsed(t)].some((l) => l.event === 'login.failed' && l.req?.id === 'from-the-proxy.1'));
    } finally {
      await behindProxy.close();
    }
  });
});

describe('the demo page serves only what it needs', () => {
  let database: TestDatabase;
  let app: NestFastifyApplication;
  let url: string;
  const root = join(process.cwd(), '.data-test', `demo-${process.pid}-${randomBytes(3).toString('hex')}`);
  before(async () => {
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'index.html'), "<!doctype html><link rel='stylesheet' href='demo.css'><script src='demo.js'></script>");
    writeFileSync(join(root, 'demo.js'), 'console.log(1);\n//# sourceMappingURL=demo.js.map\n');
    writeFileSync(join(root, 'demo.js.map'), '{"version":3,"sources":["../../demo/demo.ts"],"sourcesContent":["secret source"]}');
    writeFileSync(join(root, 'demo.css'), 'body{}');
    writeFileSync(join(root, 'notes.txt'), 'left behind');
    database = await createTestDatabase();
    app = await createApp(testConfig(database.url, { logLevel: 'silent' }));
    await registerDemo(app, root);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  after(async () => {
    await app?.close();
    await database?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html, demo.js and demo.css, and no source map or other file', async () => {
    for (const path of ['/demo/', '/demo/index.html', '/demo/demo.js', '/demo/demo.css']) assert.equal((await get(`${url}${path}`)).status, 200, path);
    for (const path of ['/demo/demo.js.map', '/demo/notes.txt']) {
      const res = await get(`${url}${path}`);
      assert.equal(res.status, 404, `${path}: ${res.status} ${res.text.slice(0, 80)}`);
      assert.ok(!res.text.includes('secret source'));
    }
  });
});
