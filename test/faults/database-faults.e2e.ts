import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { Client } from 'pg';
import { createTestDatabase } from '../support/database';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { get, post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { assertApiError, loginUrl, refreshUrl } from '../auth/auth-helpers';

const adminUrl = (): string => {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('run through npm test');
  return base;
};

async function onAdmin(sql: string): Promise<void> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Issue #14 item 6: every database fault is a 503, and readiness means "the migrated schema answers". */
describe('database faults', () => {
  const apps: TestApp[] = [];
  const dropped: string[] = [];
  after(async () => {
    for (const t of apps) await t.close().catch(() => undefined);
    for (const name of dropped) await onAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });

  it('answers 503 SERVICE_UNAVAILABLE, not 500, on login, refresh and the workspace login once its database was dropped (SQLSTATE 3D000)', async () => {
    const database = await createTestDatabase();
    dropped.push(database.name);
    const t = await startTestApp({ databaseUrl: database.url, config: { logLevel: 'silent' } });
    apps.push(t);
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org, { email: 'dropped@acme.example' });
    const session = await post(loginUrl(t), { email: user.email, password: PASSWORD });
    assert.equal(session.status, 200, session.text);

    // FORCE ends every connection of the pool; every new one is refused with 3D000 "database does not exist".
    await onAdmin(`DROP DATABASE "${database.name}" WITH (FORCE)`);

    for (let i = 0; i < 3; i++) assertApiError(await post(loginUrl(t), { email: user.email, password: PASSWORD }), 503, 'SERVICE_UNAVAILABLE');
    assertApiError(await post(refreshUrl(t), { refreshToken: session.body.refreshToken }), 503, 'SERVICE_UNAVAILABLE');
    const workspace = await post(`${t.url}/api/workspace/auth/login`, { UserNameOrEmail: 'someone', Password: PASSWORD });
    assert.equal(workspace.status, 503, workspace.text);
    assert.equal(workspace.body.Success, false);
    assert.equal(workspace.body.Errors[0].Code, 'ServiceUnavailable');
    assert.equal((await get(`${t.url}/api/health/ready`)).status, 503);
    assert.equal((await get(`${t.url}/api/health`)).status, 200, 'the process itself is up');
  });

  it('is not ready on a database without the schema (an empty database answers SELECT 1, but is no service)', async () => {
    const name = `authgate_empty_${randomBytes(4).toString('hex')}`;
    await onAdmin(`CREATE DATABASE "${name}"`);
    dropped.push(name);
    const url = new URL(adminUrl());
    url.pathname = `/${name}`;
    const t = await startTestApp({ databaseUrl: url.toString(), config: { logLevel: 'silent' } });
    apps.push(t);
    const ready = await get(`${t.url}/api/health/ready`);
    assert.equal(ready.status, 503, ready.text);
    assert.doesNotMatch(ready.text, /SELECT|relation|postgres/i, 'no internals in the answer');
    assert.equal((await get(`${t.url}/api/health`)).status, 200);
  });

  it('is ready on the migrated schema', async () => {
    const t = await startTestApp({ config: { logLevel: 'silent' } });
    apps.push(t);
    const ready = await get(`${t.url}/api/health/ready`);
    assert.equal(ready.status, 200, ready.text);
  });
});
