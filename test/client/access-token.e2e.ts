import assert from 'node:assert/strict';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { AuthClient } from '../../client/src';
import { RefreshToken } from '../../src/sessions/refresh-token.entity';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { startTestApp, TestApp } from '../support/test-app';

interface Seen {
  authorization: string | undefined;
  body: string;
}

/**
 * The product's own API as a resource server would run it: it checks the bearer token by
 * asking authgate (GET /api/auth/me) and refuses with RFC 6750's
 * `WWW-Authenticate: Bearer error="invalid_token"` when authgate does.
 */
async function startProductApi(authgate: string): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const read = async (req: IncomingMessage) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    return body;
  };
  const server: Server = createServer((req, res) => {
    void read(req).then(async (body) => {
      seen.push({ authorization: req.headers.authorization, body });
      const me = req.headers.authorization
        ? await fetch(`${authgate}/api/auth/me`, { headers: { authorization: req.headers.authorization } })
        : null;
      if (!me || me.status !== 200) {
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"', 'content-type': 'application/json' }).end('{"error":"invalid_token"}');
        return;
      }
      const { user } = (await me.json()) as { user: { email: string } };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ email: user.email, echo: body }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('the client: a stable snapshot, getAccessToken() and an authorized fetch for the product API', () => {
  const clock = new FakeClock();
  let t: TestApp;
  let api: Awaited<ReturnType<typeof startProductApi>>;
  let email: string;
  let offset = 0;
  let client: AuthClient | null = null;

  /** A client in Node: no storage, tabs or input; its own clock, `offset` ms ahead of the real one. */
  const newClient = () =>
    (client = new AuthClient({
      baseUrl: t.url,
      storage: null,
      broadcastChannel: null,
      locks: null,
      activityTarget: null,
      apiOrigins: [api.url],
      now: () => Date.now() + offset,
    }).start());

  const liveRefreshTokens = () => t.db.getRepository(RefreshToken).count();

  before(async () => {
    t = await startTestApp({ clock });
    const org = await createOrganization(t.db, { slug: 'acme', name: 'Acme' });
    email = (await createUser(t.db, org, { email: 'mia@acme.example' })).email;
    api = await startProductApi(t.url);
  });
  afterEach(() => {
    client?.stop();
    client = null;
    offset = 0;
    api.seen.length = 0;
  });
  after(async () => {
    await api.close();
    await t.close();
  });

  it('snapshot() is the same object until something changes, and a new one when it does', async () => {
    const auth = newClient();
    const signedOut = auth.snapshot();
    assert.equal(auth.snapshot(), signedOut);
    assert.equal(auth.getSnapshot(), signedOut);
    assert.ok(Object.isFrozen(signedOut));
    const changes: unknown[] = [];
    const unsubscribe = auth.subscribe(() => changes.push(auth.getSnapshot()));
    await auth.login({ email, password: PASSWORD });
    const signedIn = auth.snapshot();
    assert.notEqual(signedIn, signedOut);
    assert.equal(signedIn.status, 'signed-in');
    assert.equal(signedIn.user?.email, email);
    assert.equal(auth.snapshot(), signedIn);
    assert.ok(changes.length >= 1);
    assert.equal(changes.at(-1), signedIn, 'subscribers read the same object the next getSnapshot() returns');
    unsubscribe();
    await auth.logout();
    assert.equal(auth.snapshot().status, 'signed-out');
    assert.equal(changes.at(-1), signedIn, 'no call after unsubscribing');
  });

  it('getAccessToken() is null signed out, the current token while it is fresh, and a renewed one when it is about to expire', async () => {
    const auth = newClient();
    assert.equal(await auth.getAccessToken(), null);
    await auth.login({ email, password: PASSWORD });
    const first = await auth.getAccessToken();
    assert.equal(first, auth.token);
    assert.equal(await auth.getAccessToken(), first, 'a fresh token is handed out as it is');
    const rows = await liveRefreshTokens();

    const deadline = auth.snapshot().deadlines.accessToken ?? 0;
    offset = deadline - Date.now() - 20_000; // this tab's clock: 20 s before the token expires
    clock.advance(5_000); // and the server's a few seconds on, so the new token differs from the old
    const renewed = await auth.getAccessToken();
    assert.ok(renewed && renewed !== first, 'renewed before it was handed out');
    assert.equal(renewed, auth.token);
    assert.equal(await liveRefreshTokens(), rows + 1, 'the server rotated the refresh token');
    const me = await fetch(`${t.url}/api/auth/me`, { headers: { authorization: `Bearer ${renewed}` } });
    assert.equal(me.status, 200);
  });

  it('fetch() sends the token to the product API, renews and sends again once when the API says invalid_token, and keeps the body', async () => {
    const auth = newClient();
    await auth.login({ email, password: PASSWORD });
    const first = auth.token;
    const answer = await auth.fetch(`${api.url}/orders`, { method: 'POST', body: '{"item":1}', headers: { 'content-type': 'application/json' } });
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { email, echo: '{"item":1}' });
    assert.deepEqual(api.seen, [{ authorization: `Bearer ${first}`, body: '{"item":1}' }]);

    api.seen.length = 0;
    const expiresAt = Date.parse(auth.snapshot().deadlines.accessToken ? (await auth.call('GET /api/auth/me', {})).session.accessTokenExpiresAt : '');
    clock.set(expiresAt + 60_000); // the server's clock: the token has expired, the client does not know yet
    const retried = await auth.fetch(`${api.url}/orders`, { method: 'POST', body: '{"item":2}' });
    assert.equal(retried.status, 200);
    assert.equal(api.seen.length, 2);
    assert.equal(api.seen[0].authorization, `Bearer ${first}`);
    assert.notEqual(api.seen[1].authorization, `Bearer ${first}`);
    assert.equal(api.seen[1].authorization, `Bearer ${auth.token}`);
    assert.equal(api.seen[1].body, '{"item":2}', 'the body is sent again');
  });

  it('fetch() signed out sends no token and does not retry; it never sends the token to an origin not listed', async () => {
    const auth = newClient();
    const refused = await auth.fetch(`${api.url}/orders`);
    assert.equal(refused.status, 401);
    assert.deepEqual(api.seen, [{ authorization: undefined, body: '' }]);

    await auth.login({ email, password: PASSWORD });
    api.seen.length = 0;
    await assert.rejects(() => auth.fetch('http://127.0.0.2:9/steal'), /not sending the access token to http:\/\/127\.0\.0\.2:9/);
    assert.equal(api.seen.length, 0);
  });
});
