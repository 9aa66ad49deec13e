import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Session, SessionEndReason, SessionMethod } from '../../src/sessions/session.entity';
import { newContext, screenshot, signIn, SUITE_TIMEOUT_MS, useSeededDemo } from './support/browser';

const REASON = 'Ticket #4821: Mia cannot see the March invoices';

describe('demo: an admin impersonates a user of the org, end to end', { timeout: SUITE_TIMEOUT_MS }, () => {
  const suite = useSeededDemo();

  it('picks a user of the org, impersonates them with a reason, shows the banner, ends it and lists it in the audit', async () => {
    const context = await newContext(suite.demo.browser);
    const page = await context.newPage();
    await page.goto(`${suite.demo.t.url}/demo/`);
    await signIn(page, suite.fixture.admin.email);
    await page.getByTestId('admin').waitFor({ state: 'visible' });

    // The picker lists the admin's organization only, without the admin themself.
    const select = page.getByTestId('impersonate-user');
    await select.locator(`option[value="${suite.fixture.member.id}"]`).waitFor({ state: 'attached' });
    const options = await select.locator('option').allTextContents();
    assert.equal(options.length, 2, options.join(' | '));
    assert.ok(options.some((o) => o.includes('mia@acme.example')));
    assert.ok(options.some((o) => o.includes('max@acme.example')));
    assert.ok(!options.some((o) => o.includes('globex') || o.includes('ops@acme.example')));

    await select.selectOption(suite.fixture.member.id);
    await page.getByTestId('impersonate-reason').fill(REASON);
    await screenshot(page, '06-impersonate-pick-user');
    await page.getByTestId('impersonate-submit').click();

    const banner = page.getByTestId('impersonation-banner');
    await banner.waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('banner-text').textContent(), 'You are impersonating Mia Member <mia@acme.example> as ops@acme.example.');
    assert.equal(await page.getByTestId('user').textContent(), 'Mia Member <mia@acme.example>');
    assert.equal(await page.getByTestId('method').textContent(), 'impersonation');
    assert.equal(await page.getByTestId('admin').isVisible(), false, 'no admin tools while acting as a member');
    await screenshot(page, '07-impersonation-banner');

    const sessions = suite.demo.t.db.getRepository(Session);
    const impersonated = await sessions.findOneByOrFail({ userId: suite.fixture.member.id, method: SessionMethod.Impersonation });
    assert.equal(impersonated.impersonatorId, suite.fixture.admin.id);
    assert.equal(impersonated.endedAt, null);

    await page.getByTestId('end-impersonation').click();
    await banner.waitFor({ state: 'hidden' });
    await page.getByTestId('user').filter({ hasText: 'Olga Ops <ops@acme.example>' }).waitFor();
    await page.getByTestId('admin').waitFor({ state: 'visible' });

    // The audit lists issue, redemption and end, newest first, with the reason.
    const rows = page.getByTestId('audit-row');
    await page.locator('[data-testid="audit-row"][data-type="impersonation.ended"]').waitFor();
    const types = await rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.type));
    assert.deepEqual(types, ['impersonation.ended', 'impersonation.redeemed', 'impersonation.issued']);
    const issued = rows.filter({ hasText: 'issued' });
    assert.match((await issued.textContent()) ?? '', /ops@acme\.example.*mia@acme\.example.*Ticket #4821/);
    await screenshot(page, '08-impersonation-audit');

    const ended = await sessions.findOneByOrFail({ id: impersonated.id });
    assert.equal(ended.endReason, SessionEndReason.Logout);
    const [admin] = await sessions.find({ where: { userId: suite.fixture.admin.id } });
    assert.equal(admin.endedAt, null, "the admin's own session carries on");
    await context.close();
  });

  it('refuses to impersonate an admin and says why', async () => {
    const context = await newContext(suite.demo.browser);
    const page = await context.newPage();
    await page.goto(`${suite.demo.t.url}/demo/`);
    await signIn(page, suite.fixture.admin.email);
    const select = page.getByTestId('impersonate-user');
    await select.locator(`option[value="${suite.fixture.member.id}"]`).waitFor({ state: 'attached' });
    // Bypass the picker (which disables admins) to show the server's own refusal.
    const refused = await page.evaluate(
      (id) =>
        window.authgateDemo?.client.startImpersonation(id, { reason: 'self' }).then(
          () => 'accepted',
          (err: unknown) => (err as { code?: string }).code,
        ),
      suite.fixture.admin.id,
    );
    assert.equal(refused, 'IMPERSONATION_FORBIDDEN');
    assert.equal(await page.getByTestId('impersonation-banner').isVisible(), false);
    assert.equal(await page.getByTestId('user').textContent(), 'Olga Ops <ops@acme.example>');
    await context.close();
  });
});
