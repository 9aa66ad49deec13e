import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { JwtAlgorithm } from '../../src/platform/config/jwk-set';
import { generatePrivateJwk } from '../../src/platform/config/jwk-set';
import { signIn } from '../support/sign-in';
import { createOrg, ticketFor } from '../impersonation/fixture';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { createWorkspaceFixture } from '../workspace/fixture';
import { PASSWORD } from '../support/factories';

/** docs/resource-servers.md's function, as written there (the test below checks the doc still says so). */
function resourceServer(AUTHGATE: string) {
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', AUTHGATE));

  return async function verifyAccessToken(token: string) {
    const { payload } = await jwtVerify(token, jwks, {
      issuer: 'authgate', // JWT_ISSUER
      audience: 'authgate-api', // JWT_AUDIENCE
      algorithms: ['EdDSA', 'ES256', 'RS256'],
      requiredClaims: ['sub', 'sid', 'org', 'role', 'exp'],
    });
    return payload;
  };
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

describe('docs/resource-servers.md: a resource server verifies access tokens with jose', () => {
  it('shows the code this test runs', () => {
    const doc = readFileSync(join(__dirname, '../../docs/resource-servers.md'), 'utf8');
    const source = readFileSync(__filename, 'utf8');
    for (const line of [
      "createRemoteJWKSet(new URL('/.well-known/jwks.json', AUTHGATE))",
      "issuer: 'authgate', // JWT_ISSUER",
      "audience: 'authgate-api', // JWT_AUDIENCE",
      "algorithms: ['EdDSA', 'ES256', 'RS256'],",
      "requiredClaims: ['sub', 'sid', 'org', 'role', 'exp'],",
    ]) {
      assert.ok(doc.includes(line), `the doc shows: ${line}`);
      assert.ok(source.includes(line), `the test runs: ${line}`);
    }
  });

  for (const alg of ['EdDSA', 'ES256', 'RS256'] as const satisfies readonly JwtAlgorithm[]) {
    describe(`JWT_ALGORITHM=${alg}`, () => {
      let t: TestApp;
      const key = generatePrivateJwk(alg);
      let verifyAccessToken: ReturnType<typeof resourceServer>;

      before(async () => {
        t = await startTestApp({ config: { jwt: { algorithm: alg, privateKeys: [key] } } });
        verifyAccessToken = resourceServer(t.url);
        await createWorkspaceFixture(t.db);
      });
      after(() => t.close());

      it('publishes the public key only, cacheable for 5 minutes', async () => {
        const res = await get(`${t.url}/.well-known/jwks.json`);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
        assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
        assert.equal(res.body.keys.length, 1);
        const [published] = res.body.keys;
        assert.equal(published.kid, key.kid);
        assert.equal(published.alg, alg);
        assert.equal(published.use, 'sig');
        assert.equal(published.kty, key.kty);
        for (const member of PRIVATE_MEMBERS) assert.equal(published[member], undefined, `no ${member}`);
      });

      it('signs the access token so that jose verifies it, with the kid of the published key', async () => {
        const { token } = await signIn(t, 'ops@acme.example');
        assert.deepEqual(decodeProtectedHeader(token), { alg, typ: 'JWT', kid: key.kid });
        const payload = await verifyAccessToken(token);
        const me = await get(`${t.url}/api/auth/me`, { token });
        assert.equal(me.status, 200, me.text);
        assert.equal(payload.sub, me.body.user.id);
        assert.equal(typeof payload.sid, 'string');
      });

      it('refreshes onto a token jose verifies', async () => {
        const { refreshToken } = await signIn(t, 'ops@acme.example');
        const res = await post(`${t.url}/api/auth/refresh`, { refreshToken });
        assert.equal(res.status, 200, res.text);
        assert.ok((await verifyAccessToken(res.body.token)).sub);
      });

      it('refuses, by audience, the other kinds signed with the same key: impersonation and workspace tokens', async () => {
        const imp = await createOrg(t.db, `imp-${alg.toLowerCase()}`);
        const admin = await signIn(t, imp.admin.email);
        const ticket = await ticketFor(t, admin.token, imp.member.id);
        const workspace = await post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: 'ops@acme.example', Password: PASSWORD });
        assert.equal(workspace.status, 200, workspace.text);
        const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', t.url));
        for (const other of [ticket, workspace.body.Data.AccessToken as string]) {
          assert.equal(decodeProtectedHeader(other).kid, key.kid);
          await assert.rejects(verifyAccessToken(other), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
          // The audience alone refuses it, whatever other claims it carries.
          await assert.rejects(jwtVerify(other, jwks, { issuer: 'authgate', audience: 'authgate-api' }), { code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' });
        }
      });
    });
  }

  describe('JWT_ALGORITHM=HS256 (the default)', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp();
      await createWorkspaceFixture(t.db);
    });
    after(() => t.close());

    it('publishes no key (an HMAC secret never leaves the service), so a resource server cannot verify: forward auth is the way', async () => {
      const res = await get(`${t.url}/.well-known/jwks.json`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { keys: [] });
      assert.equal(res.headers.get('cache-control'), 'public, max-age=300');
      const { token } = await signIn(t, 'ops@acme.example');
      await assert.rejects(resourceServer(t.url)(token));
    });
  });
});
