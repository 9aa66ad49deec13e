import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { generatePrivateJwk, PrivateJwk } from '../../src/platform/config/jwk-set';
import { AppProcess, startAppProcess } from '../support/app-process';
import { createTestDatabase, TestDatabase } from '../support/database';
import { createOrganization, createUser } from '../support/factories';
import { get, post } from '../support/http';
import { signIn } from '../support/sign-in';
import { startTestApp, testConfig, TestApp } from '../support/test-app';

const kidOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid;

/**
 * docs/resource-servers.md "Rotating the signing key", step by step, on two instances
 * (one in this process, one in a process of its own) restarted with the new key set at
 * each step, as a rolling deployment would: a token signed before a step works on both
 * until the step that retires its key, and nobody is signed out (the session refreshes).
 */
describe('rotating the signing key across restarts of two instances', () => {
  let database: TestDatabase;
  let first: TestApp;
  let second: AppProcess;
  const oldKey: PrivateJwk = generatePrivateJwk('EdDSA');
  const newKey: PrivateJwk = generatePrivateJwk('EdDSA');

  const configWith = (keys: PrivateJwk[]) => testConfig(database.url, { jwt: { algorithm: 'EdDSA', privateKeys: keys } });
  /** Both instances stopped and started again on `keys` (the same database, the same sessions). */
  async function restartBoth(keys: PrivateJwk[]): Promise<void> {
    await second?.close();
    await first?.close();
    first = await startTestApp({ databaseUrl: database.url, config: configWith(keys) });
    // A loaded CI machine may take long to start an instance (test/support/app-process.ts).
    second = await startAppProcess(first.config, { startTimeoutMs: 120_000 });
  }
  const meOn = (url: string, token: string) => get(`${url}/api/auth/me`, { token });
  const jwksKids = async (url: string) => ((await get(`${url}/.well-known/jwks.json`)).body.keys as { kid: string }[]).map((k) => k.kid);
  const login = (url: string) => signIn(url, 'member@acme.example');
  /** What a resource server does (docs/resource-servers.md): the remote JWKS, issuer, audience. */
  const verifiedByJose = async (url: string, token: string) =>
    (await jwtVerify(token, createRemoteJWKSet(new URL(`${url}/.well-known/jwks.json`)), { issuer: 'authgate', audience: 'authgate-api' })).payload;

  before(async () => {
    database = await createTestDatabase();
    await restartBoth([oldKey]);
    const org = await createOrganization(first.db);
    await createUser(first.db, org, { email: 'member@acme.example' });
  });
  after(async () => {
    await second?.close();
    await first?.close();
    await database.drop();
  });

  it('walks the four steps: a token of each key works until its key is removed, and its session refreshes onto the new key', async () => {
    // Step 0: the old key signs.
    const before = await login(first.url);
    assert.equal(kidOf(before.token), oldKey.kid);
    assert.deepEqual(await jwksKids(second.url), [oldKey.kid]);

    // Step 1: the new key is appended: published by both, not yet signing.
    await restartBoth([oldKey, newKey]);
    for (const url of [first.url, second.url]) {
      assert.deepEqual(await jwksKids(url), [oldKey.kid, newKey.kid]);
      assert.equal((await meOn(url, before.token)).status, 200);
    }
    const duringPublish = await login(second.url);
    assert.equal(kidOf(duringPublish.token), oldKey.kid, 'an appended key does not sign yet');

    // Step 2 (after the JWKS max-age): the new key moves first and signs; the old one still verifies.
    await restartBoth([newKey, oldKey]);
    const after = await login(first.url);
    assert.equal(kidOf(after.token), newKey.kid);
    for (const url of [first.url, second.url]) {
      for (const token of [before.token, duringPublish.token, after.token]) assert.equal((await meOn(url, token)).status, 200);
    }
    assert.equal((await verifiedByJose(second.url, before.token)).sub, (await verifiedByJose(first.url, after.token)).sub);

    // Step 3 (after the longest token lifetime): the old key is removed; its tokens are refused from then on.
    await restartBoth([newKey]);
    for (const url of [first.url, second.url]) {
      assert.deepEqual(await jwksKids(url), [newKey.kid]);
      const refused = await meOn(url, before.token);
      assert.equal(refused.status, 401);
      assert.equal(refused.body.code, 'TOKEN_INVALID');
      assert.equal((await meOn(url, after.token)).status, 200);
    }
    await assert.rejects(verifiedByJose(first.url, before.token), { code: 'ERR_JWKS_NO_MATCHING_KEY' });

    // Nobody was signed out: the session behind the refused token refreshes, onto the new key.
    const refreshed = await post(`${second.url}/api/auth/refresh`, { refreshToken: before.refreshToken });
    assert.equal(refreshed.status, 200, refreshed.text);
    assert.equal(kidOf(refreshed.body.token), newKey.kid);
    assert.equal((await meOn(first.url, refreshed.body.token)).status, 200);
  });
});
