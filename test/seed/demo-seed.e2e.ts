import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoCredentials, seedDemoIfEmpty } from '../../src/fixtures/demo-seed';
import { Organization } from '../../src/identity/organizations/organization.entity';
import { createOrganization } from '../support/factories';
import { post } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { snapshot } from './seed-helpers';

describe('seedDemoIfEmpty (npm start on an empty database)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('loads the demo fixture into an empty database and returns the login it prints', async () => {
    const demo = await seedDemoIfEmpty(t.config);
    assert.deepEqual(demo, { email: 'ops@acme.example', password: 'CorrectHorseBatteryStaple!', seeded: true });
    const res = await post(`${t.url}/api/auth/login`, { email: demo.email, password: demo.password });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(Object.keys(res.body).sort(), ['refreshToken', 'session', 'sessionConfig', 'token', 'user']);
    assert.equal(res.body.user.fullName, 'Acme Ops');
  });

  it('on the next start loads nothing, and still hands out the login while it works', async () => {
    const before = await snapshot(t.db);
    const demo = await seedDemoIfEmpty(t.config);
    assert.deepEqual(demo, { ...demoCredentials(), seeded: false });
    assert.deepEqual(await snapshot(t.db), before);
  });
});

describe('seedDemoIfEmpty on a database that already has an organization', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await createOrganization(t.db, { slug: 'mine', name: 'Mine' });
  });
  after(() => t.close());

  it('leaves it alone and prints no demo login', async () => {
    assert.equal(await seedDemoIfEmpty(t.config), null);
    assert.deepEqual((await t.db.getRepository(Organization).find()).map((o) => o.slug), ['mine']);
  });
});
