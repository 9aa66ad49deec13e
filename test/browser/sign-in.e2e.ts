import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Session } from '../../src/sessions/session.entity';
import { newContext, screenshot, signIn, SUITE_TIMEOUT_MS, useSeededDemo } from './support/browser';

describe('demo: signing in and out in Chromium', { timeout: SUITE_TIMEOUT_MS }, () => {
  const suite = useSeededDemo();

  it('signs in with a password, shows the policy and countdown, survives a reload, and signs out on the server', async () => {
    const context = await newContext(suite.demo.browser);
    const page = await context.newPage();
    await page.goto(`${suite.demo.t.url}/demo/`);
    await page.getByTestId('signin').waitFor();
    await screenshot(page, '01-signed-out');

    await signIn(page, suite.fixture.admin.email);
    assert.equal(await page.getByTestId('user').textContent(), 'Olga Ops <ops@acme.example>');
    assert.equal(await page.getByTestId('method').textContent(), 'password');
    assert.equal(await page.getByTestId('policy-idleTimeoutMinutes').textContent(), '3');
    assert.equal(await page.getByTestId('policy-passwordFallbackBehavior').textContent(), 'logout');
    assert.match((await page.getByTestId('idle-countdown').textContent()) ?? '', /^[23]:\d\d$/);
    await screenshot(page, '02-signed-in');

    const sessions = suite.demo.t.db.getRepository(Session);
    const [open] = await sessions.find({ where: { userId: suite.fixture.admin.id } });
    assert.equal(open.endedAt, null);

    await page.reload();
    await page.getByTestId('session').waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('user').textContent(), 'Olga Ops <ops@acme.example>');

    // The client signs out locally first, then tells the server: wait for the server's answer before reading the database.
    const serverLogout = page.waitForResponse((r) => r.url().endsWith('/api/auth/logout') && r.request().method() === 'POST');
    await page.getByTestId('signout').click();
    await page.getByTestId('logout-reason').waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('logout-reason').getAttribute('data-reason'), 'user');
    assert.equal((await serverLogout).status(), 204);
    const ended = await sessions.findOneByOrFail({ id: open.id });
    assert.equal(ended.endReason, 'logout');
    await context.close();
  });

  it('shows the server\'s refusal of a wrong password and stays signed out', async () => {
    const context = await newContext(suite.demo.browser);
    const page = await context.newPage();
    await page.goto(`${suite.demo.t.url}/demo/`);
    await page.getByTestId('email').fill(suite.fixture.member.email);
    await page.getByTestId('password').fill('not the password');
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('signin-error').waitFor({ state: 'visible' });
    assert.match((await page.getByTestId('signin-error').textContent()) ?? '', /INVALID_CREDENTIALS/);
    assert.equal(await page.getByTestId('session').isVisible(), false);
    await context.close();
  });
});
