import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { demoBundleDirectory } from '../../src/demo/demo-static';
import { linkIn, recipientOf, startTestSmtpServer, TestSmtpServer } from '../support/smtp';
import { startTestApp, TestApp } from '../support/test-app';
import { DemoFixture, launchChromium, newContext, PASSWORD, screenshot, seedDemo, signIn, SUITE_TIMEOUT_MS } from './support/browser';

/** Where the emails' links point; the test opens the same path and query on the demo it started. */
const APP_URL = 'http://app.test/demo';
const CHOSEN = 'purple elephant rides the tram';

describe('demo: accounts in Chromium, with the emails read from a real SMTP server', { timeout: SUITE_TIMEOUT_MS }, () => {
  let t: TestApp;
  let smtp: TestSmtpServer;
  let browser: Browser;
  let fixture: DemoFixture;

  before(async () => {
    if (!demoBundleDirectory()) throw new Error('the demo is not built: run `npm run build:client` (npm run test:browser does)');
    smtp = await startTestSmtpServer();
    [t, browser] = await Promise.all([
      startTestApp({ config: { demoEnabled: true, mail: { smtpUrl: smtp.url, retryDelaysMs: [100, 200, 400] }, accounts: { publicAppUrl: APP_URL } } }),
      launchChromium(),
    ]);
    fixture = await seedDemo(t);
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.stop();
  });

  /** The link of the newest email to `to` (after `seen` messages), opened on this demo. */
  async function openLinkFrom(page: Page, to: string, path: '/reset-password' | '/accept-invitation', seen: number): Promise<void> {
    const mail = await smtp.waitForMessage((m) => smtp.messages.indexOf(m) >= seen && recipientOf(m) === to);
    const link = linkIn(mail, `${APP_URL}${path}`);
    await page.goto(`${t.url}${link.pathname}${link.search}`);
  }

  it('an admin invites a user from the user list; the invitation link lets them choose a password and sign in', async () => {
    const context = await newContext(browser);
    const admin = await context.newPage();
    await admin.goto(`${t.url}/demo/`);
    await signIn(admin, fixture.admin.email);
    await admin.getByTestId('user-row').first().waitFor();
    const seen = smtp.messages.length;
    await admin.getByTestId('invite-email').fill('nina@acme.example');
    await admin.getByTestId('invite-first-name').fill('Nina');
    await admin.getByTestId('invite-last-name').fill('New');
    await admin.getByTestId('invite-submit').click();
    await admin.getByTestId('invite-result').waitFor({ state: 'visible' });
    assert.equal(await admin.getByTestId('invite-result').textContent(), 'Invitation sent to nina@acme.example.');
    const row = admin.locator('[data-testid=user-row][data-email="nina@acme.example"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'invited');
    await screenshot(admin, 'accounts-01-invited');

    const invitee = await (await newContext(browser)).newPage();
    await openLinkFrom(invitee, 'nina@acme.example', '/accept-invitation', seen);
    await invitee.getByTestId('set-password').waitFor({ state: 'visible' });
    assert.match((await invitee.getByTestId('set-password-title').textContent()) ?? '', /Accept your invitation/);
    await invitee.getByTestId('set-password-email').fill('nina@acme.example');
    await invitee.getByTestId('new-password').fill('password1234');
    await invitee.getByTestId('set-password-submit').click();
    await invitee.getByTestId('set-password-error').waitFor({ state: 'visible' });
    assert.match((await invitee.getByTestId('set-password-error').textContent()) ?? '', /Too weak: newPassword is one of the most common passwords/);
    await invitee.getByTestId('new-password').fill(CHOSEN);
    await invitee.getByTestId('set-password-submit').click();
    await invitee.getByTestId('session').waitFor({ state: 'visible' });
    assert.equal(await invitee.getByTestId('user').textContent(), 'Nina New <nina@acme.example>');
    assert.equal(new URL(invitee.url()).search, '', 'the token leaves the address bar');
    await screenshot(invitee, 'accounts-02-invitation-accepted');

    await admin.reload();
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'active');
    await context.close();
  });

  it('forgot password: the reset link from the email sets a new password, then it signs in', async () => {
    const page = await (await newContext(browser)).newPage();
    await page.goto(`${t.url}/demo/`);
    const seen = smtp.messages.length;
    await page.getByTestId('forgot-link').click();
    await page.getByTestId('forgot-email').fill(fixture.otherMember.email);
    await page.getByTestId('forgot-submit').click();
    await page.getByTestId('account-notice').waitFor({ state: 'visible' });
    assert.match((await page.getByTestId('account-notice').textContent()) ?? '', /a reset link is on its way/);
    await openLinkFrom(page, fixture.otherMember.email, '/reset-password', seen);
    await page.getByTestId('new-password').fill(CHOSEN);
    await page.getByTestId('set-password-submit').click();
    await page.getByTestId('account-notice').waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('account-notice').textContent(), 'Your password is set: sign in with it.');
    await signIn(page, fixture.otherMember.email, CHOSEN);
    await screenshot(page, 'accounts-03-reset-and-signed-in');
  });

  it('my sessions: lists both, ends the other one, and a password change keeps this one', async () => {
    const here = await (await newContext(browser)).newPage();
    const elsewhere = await (await newContext(browser)).newPage();
    for (const page of [elsewhere, here]) {
      await page.goto(`${t.url}/demo/`);
      await signIn(page, fixture.member.email);
    }
    const rows = here.getByTestId('my-session');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    assert.equal(await here.locator('[data-testid=my-session][data-current=true]').count(), 1);
    await screenshot(here, 'accounts-04-my-sessions');
    assert.equal(await elsewhere.evaluate(() => window.authgateDemo?.client.snapshot().status), 'signed-in');
    await here.getByTestId('revoke-others').click();
    await here.locator('[data-testid=my-session]').nth(1).waitFor({ state: 'detached' });
    assert.equal(await rows.count(), 1);
    // The other browser learns it at its next request.
    await elsewhere.getByTestId('refresh').click();
    await elsewhere.getByTestId('logout-reason').waitFor({ state: 'visible' });

    await here.getByTestId('current-password').fill(PASSWORD);
    await here.getByTestId('change-new-password').fill(CHOSEN);
    await here.getByTestId('change-password-submit').click();
    await here.getByTestId('change-password-result').waitFor({ state: 'visible' });
    assert.equal(await here.getByTestId('change-password-result').textContent(), 'Password changed. Your other sessions have been signed out.');
    assert.equal(await here.getByTestId('session').isVisible(), true);
  });

  it('an admin deactivates a user (their session ends at once) and changes a role from the user list', async () => {
    const victim = await (await newContext(browser)).newPage();
    await victim.goto(`${t.url}/demo/`);
    await signIn(victim, fixture.otherMember.email, CHOSEN);

    const admin = await (await newContext(browser)).newPage();
    await admin.goto(`${t.url}/demo/`);
    await signIn(admin, fixture.admin.email);
    const row = admin.locator(`[data-testid=user-row][data-email="${fixture.otherMember.email}"]`);
    await row.getByTestId('deactivate').click();
    await admin.locator(`[data-testid=user-row][data-email="${fixture.otherMember.email}"][data-status=inactive]`).waitFor();
    // The deactivated user's page is signed out at its next request.
    await victim.getByTestId('refresh').click();
    await victim.getByTestId('logout-reason').waitFor({ state: 'visible' });
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND ended_at IS NULL`, [fixture.otherMember.id]);
    assert.equal(n, 0);

    const memberRow = admin.locator(`[data-testid=user-row][data-email="${fixture.member.email}"]`);
    await memberRow.getByTestId('toggle-role').click();
    await admin.locator(`[data-testid=user-row][data-email="${fixture.member.email}"] td:nth-child(2)`).filter({ hasText: 'ADMIN' }).waitFor();
    await screenshot(admin, 'accounts-05-admin-user-list');
    const [{ access_role }] = await t.db.query(`SELECT access_role FROM users WHERE id = $1`, [fixture.member.id]);
    assert.equal(access_role, 'ADMIN');
  });
});
