import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import { launchChromium, newContext, screenshot, SUITE_TIMEOUT_MS } from './support/browser';

/** Swagger UI at /api/docs, as an integrator first meets the API: authorize with a token, try GET /api/auth/me. */
describe('Swagger UI at /api/docs in Chromium', { timeout: SUITE_TIMEOUT_MS }, () => {
  let t: TestApp;
  let browser: Browser;
  let token: string;
  before(async () => {
    [t, browser] = await Promise.all([startTestApp(), launchChromium()]);
    const org = await createOrganization(t.db, { slug: 'umbrella' });
    await createUser(t.db, org, { email: 'alice@umbrella.example', firstName: 'Alice', lastName: 'Abernathy' });
    const res = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'alice@umbrella.example', password: PASSWORD }),
    });
    assert.equal(res.status, 200);
    token = ((await res.json()) as { token: string }).token;
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('"Authorize" with a bearer token, then "Try it out" + "Execute" on GET /api/auth/me answers 200 with the user', async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const failures: string[] = [];
    page.on('pageerror', (err) => failures.push(err.message));
    await page.goto(`${t.url}/api/docs`);
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'authgate' }).waitFor();

    await page.locator('.scheme-container button.authorize').click();
    const dialog = page.locator('.dialog-ux .modal-ux');
    await dialog.waitFor();
    await dialog.locator('input[type="text"], input:not([type])').first().fill(token);
    // Swagger UI labels these buttons for screen readers ("Apply credentials"); find them by their visible text.
    await dialog.locator('button.authorize', { hasText: 'Authorize' }).click();
    await dialog.locator('button', { hasText: 'Logout' }).waitFor(); // shown once a credential is stored
    await screenshot(dialog, '09-swagger-authorized');
    await dialog.locator('button.btn-done', { hasText: 'Close' }).click();

    const me = page.locator('.opblock-get').filter({ has: page.locator('[data-path="/api/auth/me"]') });
    await me.locator('.opblock-summary').click();
    await me.getByRole('button', { name: 'Try it out' }).click();
    await me.getByRole('button', { name: 'Execute' }).click();

    const live = me.locator('.live-responses-table .response');
    await live.first().waitFor();
    assert.equal((await live.locator('.response-col_status').first().textContent())?.trim(), '200');
    const body = (await me.locator('.live-responses-table .response-col_description pre.microlight').first().textContent()) ?? '';
    assert.match(body, /"email": "alice@umbrella\.example"/);
    const curl = (await me.locator('.curl-command, .curl').first().textContent()) ?? '';
    assert.match(curl, /Authorization: Bearer ey/);
    await screenshot(me, '10-swagger-try-me-200');
    assert.deepEqual(failures, [], 'no script errors on the page');
    await context.close();
  });
});
