import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOrganization, createUser, hashOf, PASSWORD } from '../support/factories';
import { get, post, request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

const SPA = 'https://spa.example.test';
const OTHER_SPA = 'http://localhost:5173';

describe("security headers (Helmet's defaults, set as one constant header set)", () => {
  let t: TestApp;
  before(async () => (t = await startTestApp()));
  after(() => t.close());

  const assertSecurityHeaders = (headers: Headers, what: string) => {
    assert.equal(headers.get('x-content-type-options'), 'nosniff', what);
    assert.equal(headers.get('x-frame-options'), 'SAMEORIGIN', what);
    assert.match(headers.get('strict-transport-security') ?? '', /max-age=\d+/, what);
    assert.equal(headers.get('referrer-policy'), 'no-referrer', what);
    assert.equal(headers.get('cross-origin-opener-policy'), 'same-origin', what);
    assert.equal(headers.get('x-dns-prefetch-control'), 'off', what);
    assert.equal(headers.get('x-powered-by'), null, what);
    const csp = headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/, what);
    assert.match(csp, /frame-ancestors 'none'/, what);
    assert.match(csp, /object-src 'none'/, what);
    assert.doesNotMatch(csp, /upgrade-insecure-requests/, `${what}: would break Swagger UI on http://localhost`);
  };

  it('sends them on successes and on every kind of error', async () => {
    assertSecurityHeaders((await get(`${t.url}/api/health`)).headers, 'health');
    assertSecurityHeaders((await post(`${t.url}/api/auth/login`, { email: 'a@b.test', password: 'x' })).headers, '401');
    assertSecurityHeaders((await post(`${t.url}/api/auth/login`, undefined, { raw: '{' })).headers, 'malformed JSON');
    assertSecurityHeaders((await get(`${t.url}/api/nope`)).headers, '404');
    assertSecurityHeaders((await post(`${t.url}/api/workspace/auth/login`, {})).headers, 'workspace envelope');
  });

  it('forbids caching any API answer, tokens above all (RFC 6749 §5.1: no-store), but not the Swagger UI assets', async () => {
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org, { email: 'headers@example.test', passwordHash: await hashOf(PASSWORD, 4) });
    const login = await post(`${t.url}/api/auth/login`, { email: user.email, password: PASSWORD });
    assert.equal(login.status, 200, login.text);
    const answers = {
      login,
      refresh: await post(`${t.url}/api/auth/refresh`, { refreshToken: login.body.refreshToken }),
      me: await get(`${t.url}/api/auth/me`, { token: login.body.token }),
      '401': await get(`${t.url}/api/auth/me`),
      workspace: await post(`${t.url}/api/workspace/auth/login`, {}),
    };
    for (const [what, res] of Object.entries(answers)) assert.equal(res.headers.get('cache-control'), 'no-store', what);
    const asset = await get(`${t.url}/api/docs/swagger-ui.css`);
    assert.equal(asset.status, 200);
    assert.notEqual(asset.headers.get('cache-control'), 'no-store');
  });

  it('lets Swagger UI work under its policy: only same-origin scripts, no inline script', async () => {
    const page = await get(`${t.url}/api/docs`);
    assert.equal(page.status, 200);
    assertSecurityHeaders(page.headers, 'swagger ui');
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /style-src [^;]*'unsafe-inline'/, 'Swagger UI inlines its styles');
    assert.match(csp, /img-src [^;]*data:/, 'and its icons are data: URIs');
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attrs, body] of scripts) {
      const src = /src=["']([^"']+)["']/.exec(attrs)?.[1];
      assert.ok(src, 'every script is a file, not inline code');
      assert.equal(body.trim(), '');
      assert.doesNotMatch(src, /^(https?:)?\/\//, 'served by this origin');
      const script = await get(new URL(src, `${t.url}/api/docs/`).toString());
      assert.equal(script.status, 200, src);
    }
    assert.equal((await get(`${t.url}/api/docs-json`)).status, 200, 'the document the UI fetches (connect-src self)');
  });
});

describe('CORS for the configured SPA origins (CORS_ORIGINS)', () => {
  let t: TestApp;
  before(async () => (t = await startTestApp({ config: { corsOrigins: [SPA, OTHER_SPA] } })));
  after(() => t.close());

  it('answers an allowed origin with that origin (never *), credentials allowed, and Vary: Origin', async () => {
    for (const origin of [SPA, OTHER_SPA]) {
      const res = await post(`${t.url}/api/auth/login`, { email: 'a@b.test', password: 'x' }, { headers: { origin } });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('access-control-allow-origin'), origin);
      assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
      assert.match(res.headers.get('vary') ?? '', /Origin/i);
      const exposed = (res.headers.get('access-control-expose-headers') ?? '').toLowerCase();
      assert.match(exposed, /retry-after/, 'the SPA can read Retry-After on a 429');
      assert.match(exposed, /x-request-id/);
    }
  });

  it('gives an origin that is not listed no CORS headers at all', async () => {
    for (const origin of ['https://evil.example', 'https://spa.example.test.evil.example', 'null', SPA.toUpperCase()]) {
      const res = await get(`${t.url}/api/health`, { headers: { origin } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), null, origin);
      assert.equal(res.headers.get('access-control-allow-credentials'), null, origin);
    }
  });

  it('answers a preflight from an allowed origin with the methods and headers the SPA uses', async () => {
    const res = await request('OPTIONS', `${t.url}/api/auth/me`, undefined, {
      headers: { origin: SPA, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization, content-type, x-workspace' },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), SPA);
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    const methods = res.headers.get('access-control-allow-methods') ?? '';
    for (const m of ['GET', 'POST', 'PUT', 'DELETE']) assert.match(methods, new RegExp(m));
    const allowed = (res.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const h of ['authorization', 'content-type', 'x-workspace']) assert.match(allowed, new RegExp(h));
    assert.equal(res.headers.get('access-control-max-age'), '600');
  });

  it('answers a preflight from another origin without allowing it', async () => {
    const res = await request('OPTIONS', `${t.url}/api/auth/login`, undefined, {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    assert.ok(res.status < 500);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    assert.equal(res.headers.get('access-control-allow-credentials'), null);
  });
});

describe('CORS with no CORS_ORIGINS configured', () => {
  let t: TestApp;
  before(async () => (t = await startTestApp()));
  after(() => t.close());

  it('allows no origin', async () => {
    const res = await get(`${t.url}/api/health`, { headers: { origin: SPA } });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const preflight = await request('OPTIONS', `${t.url}/api/auth/login`, undefined, {
      headers: { origin: SPA, 'access-control-request-method': 'POST' },
    });
    assert.ok(preflight.status < 500);
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  });
});
