import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { get, post } from '../support/http';
import { AppProcess, startAppProcess } from '../support/app-process';
import { startTestApp, TestApp } from '../support/test-app';
import { assertApiError, decodeJwt, login, logoutUrl, meUrl, refreshUrl } from './auth-helpers';

/** The contract: another instance refuses a logged-out session within 5 s. */
const CROSS_INSTANCE_BOUND_MS = 5_000;

describe('POST /api/auth/logout', () => {
  let t: TestApp & { database?: { url: string } };
  let second: AppProcess;

  before(async () => {
    t = await startTestApp();
    // A second instance of the service, in its own process, on the same database and keys.
    second = await startAppProcess(t.config);
    const org = await createOrganization(t.db);
    for (const name of ['alice', 'bob', 'carol']) await createUser(t.db, org, { email: `${name}@acme.example` });
  });
  after(async () => {
    await second.close();
    await t.close();
  });

  it('answers 204 with no body and kills the access and the refresh token at once on the same instance', async () => {
    const session = await login(t, 'alice@acme.example', PASSWORD);
    const other = await login(t, 'alice@acme.example', PASSWORD);
    const first = await get(meUrl(t), { token: session.body.token });
    assert.equal(first.status, 200, first.text);

    const res = await post(logoutUrl(t), undefined, { token: session.body.token });
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');

    assertApiError(await get(meUrl(t), { token: session.body.token }), 401, 'SESSION_REVOKED');
    assertApiError(await post(refreshUrl(t), { refreshToken: session.body.refreshToken }), 401, 'INVALID_REFRESH_TOKEN');
    assertApiError(await post(logoutUrl(t), undefined, { token: session.body.token }), 401, 'SESSION_REVOKED');

    const [row] = await t.db.query(`SELECT ended_at, end_reason FROM sessions WHERE id = $1`, [decodeJwt(session.body.token).payload.sid]);
    assert.equal(row.end_reason, 'logout');
    assert.ok(row.ended_at instanceof Date);

    assert.equal((await get(meUrl(t), { token: other.body.token })).status, 200, "the user's other session lives on");
  });

  it('needs a bearer token: TOKEN_INVALID without one', async () => {
    assertApiError(await post(logoutUrl(t)), 401, 'TOKEN_INVALID');
  });

  it('is refused by a second instance within 5 s, and its refresh token at once', async () => {
    const session = await login(t, 'bob@acme.example', PASSWORD);
    // The second instance has seen the session live, so it holds it in its cache.
    assert.equal((await get(meUrl(second), { token: session.body.token })).status, 200);
    assert.equal((await get(meUrl(second), { token: session.body.token })).status, 200);

    const loggedOutAt = Date.now();
    assert.equal((await post(logoutUrl(t), undefined, { token: session.body.token })).status, 204);
    assertApiError(await post(refreshUrl(second), { refreshToken: session.body.refreshToken }), 401, 'INVALID_REFRESH_TOKEN');

    let last = await get(meUrl(second), { token: session.body.token });
    while (last.status === 200 && Date.now() - loggedOutAt < CROSS_INSTANCE_BOUND_MS + 1_000) {
      await sleep(100);
      last = await get(meUrl(second), { token: session.body.token });
    }
    const refusedAfterMs = Date.now() - loggedOutAt;
    assertApiError(last, 401, 'SESSION_REVOKED');
    assert.ok(refusedAfterMs < CROSS_INSTANCE_BOUND_MS, `refused after ${refusedAfterMs} ms`);
  });

  it('logging out on the second instance is seen by the first', async () => {
    const session = await login(t, 'carol@acme.example', PASSWORD);
    assert.equal((await get(meUrl(t), { token: session.body.token })).status, 200);
    assert.equal((await post(logoutUrl(second), undefined, { token: session.body.token })).status, 204);
    assertApiError(await post(refreshUrl(t), { refreshToken: session.body.refreshToken }), 401, 'INVALID_REFRESH_TOKEN');
    const loggedOutAt = Date.now();
    let last = await get(meUrl(t), { token: session.body.token });
    while (last.status === 200 && Date.now() - loggedOutAt < CROSS_INSTANCE_BOUND_MS + 1_000) {
      await sleep(100);
      last = await get(meUrl(t), { token: session.body.token });
    }
    assertApiError(last, 401, 'SESSION_REVOKED');
    assert.ok(Date.now() - loggedOutAt < CROSS_INSTANCE_BOUND_MS);
  });
});
