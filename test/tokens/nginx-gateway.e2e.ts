import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signIn } from '../support/sign-in';
import { createOrg, Org, redeem, ticketFor } from '../impersonation/fixture';
import { get, post } from '../support/http';
import { Nginx, startNginx } from '../support/nginx';
import { startTestApp, TestApp } from '../support/test-app';

const SHIPPED = readFileSync(join(__dirname, '../../deploy/nginx/authgate-gateway.conf'), 'utf8');

/** The shipped file with its three marked addresses pointed at this test's servers. */
function gatewayConfig(authgate: string, product: string) {
  return ({ port }: { port: number }) =>
    SHIPPED.replace(/server 127\.0\.0\.1:3000;/, `server ${authgate.replace('http://', '')};`)
      .replace(/server 127\.0\.0\.1:8081;/, `server ${product.replace('http://', '')};`)
      .replace(/listen 8080;/, `listen 127.0.0.1:${port};`);
}

/** The product's API, as small as can be: it answers with the headers it was given. */
async function productApi(): Promise<{ server: Server; url: string; seen: IncomingHttpHeaders[] }> {
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ headers: req.headers }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return { server, seen, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

/**
 * deploy/nginx/authgate-gateway.conf in Debian's nginx, in front of a product API written
 * here: a live session reaches it with its identity, a revoked one is refused within the
 * revocation bound, and a client's own X-Auth-* headers never arrive.
 */
describe('the shipped nginx gateway config (auth_request → GET /api/auth/verify)', () => {
  let t: TestApp;
  let api: Awaited<ReturnType<typeof productApi>>;
  let nginx: Nginx;
  let o: Org;

  before(async () => {
    t = await startTestApp();
    api = await productApi();
    nginx = await startNginx({ http: gatewayConfig(t.url, api.url) });
    o = await createOrg(t.db, 'gw');
  });
  after(async () => {
    await nginx?.stop();
    api?.server.closeAllConnections();
    await new Promise<void>((r) => (api ? api.server.close(() => r()) : r()));
    await t?.close();
  });

  it('passes a live session through with its identity headers, and the client\'s forged ones never arrive', async () => {
    const member = await signIn(t, o.member.email);
    const res = await get(`${nginx.url}/orders?x=1`, {
      token: member.token,
      headers: { 'x-auth-user-id': o.admin.id, 'x-auth-role': 'ADMIN', 'x-auth-impersonator-id': o.admin.id, x_auth_user_id: o.admin.id },
    });
    assert.equal(res.status, 200, res.text);
    const headers = res.body.headers as Record<string, string>;
    assert.equal(headers['x-auth-user-id'], o.member.id);
    assert.equal(headers['x-auth-organization-id'], o.org.id);
    assert.equal(headers['x-auth-role'], 'MEMBER');
    assert.equal(headers['x-auth-session-id'], member.body.session.id);
    assert.equal(headers['x-auth-impersonator-id'], undefined, 'no impersonator: the header is absent, the forged one dropped');
    assert.equal(headers.x_auth_user_id, undefined);
    assert.equal(headers.authorization, `Bearer ${member.token}`);
  });

  it('passes the impersonator of an impersonated session', async () => {
    const admin = await signIn(t, o.admin.email);
    const redeemed = await redeem(t, o.member2.email, await ticketFor(t, admin.token, o.member2.id));
    assert.equal(redeemed.status, 200, redeemed.text);
    const res = await get(`${nginx.url}/orders`, { token: redeemed.body.token });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.headers['x-auth-user-id'], o.member2.id);
    assert.equal(res.body.headers['x-auth-impersonator-id'], o.admin.id);
  });

  it('refuses a missing or forged token before the upstream, surfacing the code and the challenge', async () => {
    const before = api.seen.length;
    const none = await get(`${nginx.url}/orders`, { headers: { 'x-auth-user-id': o.admin.id } });
    assert.equal(none.status, 401);
    assert.equal(none.headers.get('x-auth-error'), 'TOKEN_INVALID');
    assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="authgate"');
    assert.equal(none.body.code, 'TOKEN_INVALID');
    const forged = await get(`${nginx.url}/orders`, { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' });
    assert.equal(forged.status, 401);
    assert.equal(forged.headers.get('x-auth-error'), 'TOKEN_INVALID');
    assert.equal(forged.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    assert.equal(api.seen.length, before, 'the upstream saw neither');
  });

  it('refuses a session once it is revoked, within the revocation bound (SESSION_CACHE_MS)', async () => {
    const member = await signIn(t, o.member.email);
    assert.equal((await get(`${nginx.url}/orders`, { token: member.token })).status, 200);
    // Ended on another path than this instance's own logout: an admin revokes it in the database.
    await t.db.query(`UPDATE sessions SET ended_at = now(), end_reason = 'revoked' WHERE id = $1`, [member.body.session.id]);
    const deadline = Date.now() + t.config.sessionCacheMs + 3000;
    let res = await get(`${nginx.url}/orders`, { token: member.token });
    while (res.status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      res = await get(`${nginx.url}/orders`, { token: member.token });
    }
    assert.equal(res.status, 401, 'still let through past the revocation bound');
    assert.equal(res.headers.get('x-auth-error'), 'SESSION_REVOKED');
    const out = await post(`${t.url}/api/auth/logout`, undefined, { token: (await signIn(t, o.member.email)).token });
    assert.equal(out.status, 204);
  });
});
