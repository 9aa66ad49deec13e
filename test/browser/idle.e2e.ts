import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Session } from '../../src/sessions/session.entity';
import { newContext, screenshot, signIn, SUITE_TIMEOUT_MS, useSeededDemo } from './support/browser';

/**
 * The policy: 3 minutes idle, warning 1 minute before. The browser's clock is driven by
 * Playwright (page.clock), so nothing waits for real minutes; the server keeps its own
 * clock, so what is shown here is the client's enforcement, which signs out first.
 */
describe('demo: idle warning and idle sign-out, on the browser\'s controlled clock', { timeout: SUITE_TIMEOUT_MS }, () => {
  const suite = useSeededDemo();

  it('warns a minute before the idle deadline, keeps the session on "Stay signed in", then signs out with the reason `idle`', async () => {
    const context = await newContext(suite.demo.browser);
    await context.clock.install();
    const page = await context.newPage();
    await page.goto(`${suite.demo.t.url}/demo/`);
    await signIn(page, suite.fixture.member.email);
    const warning = page.getByTestId('idle-warning');

    await page.clock.fastForward('01:59');
    assert.equal(await warning.isVisible(), false, 'no warning before idleTimeout − warningTime');
    await page.clock.fastForward('00:02');
    await warning.waitFor({ state: 'visible' });
    assert.match((await page.getByTestId('warning-countdown').textContent()) ?? '', /^0:5\d$/);
    await screenshot(page, '03-idle-warning');

    await page.getByTestId('stay-signed-in').click();
    await warning.waitFor({ state: 'hidden' });
    assert.match((await page.getByTestId('idle-countdown').textContent()) ?? '', /^(3:00|2:5\d)$/);

    await page.clock.fastForward('02:01');
    await warning.waitFor({ state: 'visible' });
    await page.clock.fastForward('01:00');
    await page.getByTestId('logout-reason').waitFor({ state: 'visible' });
    assert.equal(await page.getByTestId('logout-reason').getAttribute('data-reason'), 'idle');
    assert.match((await page.getByTestId('logout-reason').textContent()) ?? '', /inactivity/);
    assert.equal(await warning.isVisible(), false);
    await screenshot(page, '04-idle-signed-out');

    // The client ended the session on the server too: its tokens are dead for everyone.
    const [session] = await suite.demo.t.db.getRepository(Session).find({ where: { userId: suite.fixture.member.id } });
    assert.equal(session.endReason, 'logout');
    await context.close();
  });

  it('counts input in any tab: moving the mouse in one tab keeps the other one from warning', async () => {
    const context = await newContext(suite.demo.browser);
    await context.clock.install();
    const first = await context.newPage();
    await first.goto(`${suite.demo.t.url}/demo/`);
    await signIn(first, suite.fixture.otherMember.email);
    const second = await context.newPage();
    await second.goto(`${suite.demo.t.url}/demo/`);
    await second.getByTestId('session').waitFor({ state: 'visible' });

    await first.clock.fastForward('01:30');
    await second.mouse.move(200, 300);
    await second.mouse.move(220, 320);
    await first.clock.fastForward('01:30');
    // Three minutes after sign-in, but only 1:30 after the input in the second tab.
    assert.equal(await first.getByTestId('idle-warning').isVisible(), false);
    assert.equal(await first.getByTestId('session').isVisible(), true);
    assert.match((await first.getByTestId('idle-countdown').textContent()) ?? '', /^1:[23]\d$/);

    await first.clock.fastForward('00:31');
    await first.getByTestId('idle-warning').waitFor({ state: 'visible' });
    await second.getByTestId('idle-warning').waitFor({ state: 'visible' });
    await context.close();
  });
});
