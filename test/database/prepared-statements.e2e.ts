import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * `database.preparedStatements` (DATABASE_PREPARED_STATEMENTS): the repositories' statements are
 * prepared under their names, or, off (a pooler in transaction mode), sent as plain text.
 * With a pool of one connection, the test's own query sees that connection's prepared statements.
 */
async function preparedAfterAFewRequests(preparedStatements: boolean | undefined): Promise<{ t: TestApp; names: string[] }> {
  const t = await startTestApp({ config: { database: { poolSize: 1, ...(preparedStatements === undefined ? {} : { preparedStatements }) } } });
  const org = await createOrganization(t.db);
  const user = await createUser(t.db, org);
  const login = await post(`${t.url}/api/auth/login`, { email: user.email, password: PASSWORD });
  assert.equal(login.status, 200, login.text);
  assert.equal((await get(`${t.url}/api/auth/me`, { token: login.body.token })).status, 200);
  const refreshed = await post(`${t.url}/api/auth/refresh`, { refreshToken: login.body.refreshToken });
  assert.equal(refreshed.status, 200, refreshed.text);
  assert.equal((await post(`${t.url}/api/auth/logout`, undefined, { token: refreshed.body.token })).status, 204);
  const rows: { name: string }[] = await t.db.query(`SELECT name FROM pg_prepared_statements ORDER BY name`);
  return { t, names: rows.map((r) => r.name) };
}

describe('database.preparedStatements', () => {
  const apps: TestApp[] = [];
  after(async () => {
    for (const t of apps) await t.close();
  });

  // Behind npm test's PgBouncer (TEST_PGBOUNCER=1, transaction mode) the statements cannot be prepared: the pass without it proves this.
  const pooled = process.env.TEST_POOLED_DATABASE_URL ? 'behind PgBouncer in transaction mode nothing is prepared' : false;
  it('prepares each statement once under its name by default', { skip: pooled }, async () => {
    const { t, names } = await preparedAfterAFewRequests(undefined);
    apps.push(t);
    for (const name of ['session_open', 'session_liveness', 'refresh_find', 'refresh_exchange', 'session_end']) {
      assert.ok(names.includes(name), `${name} in ${names.join(', ')}`);
    }
  });

  it('prepares nothing when off, and every flow still works', async () => {
    const { t, names } = await preparedAfterAFewRequests(false);
    apps.push(t);
    assert.deepEqual(names, []);
  });
});
