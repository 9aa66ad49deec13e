import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { create } from 'qrcode';
import { codeAt, enrollTotp, setMfaPolicy } from '../mfa/mfa-helpers';
import { createOrganization, createUser, PASSWORD } from '../support/factories';
import { FakeClock } from '../support/fake-clock';
import { DEMO_POLICY, newContext, screenshot, signIn, startDemo, SUITE_TIMEOUT_MS, useSeededDemo } from './support/browser';

/** Email and password: the page asks for the second step instead of signing in. */
async function passwordStep(page: Page, email: string, status: string) {
  await page.getByTestId('email').fill(email);
  await page.getByTestId('password').fill(PASSWORD);
  await page.getByTestId('signin-submit').click();
  await page.locator(`[data-testid="second-step"][data-status="${status}"]`).waitFor({ state: 'visible' });
  assert.equal(await page.getByTestId('session').isVisible(), false, 'no session before the second step');
}

async function submitCode(page: Page, code: string) {
  await page.getByTestId('second-step-code').fill(code);
  await page.getByTestId('second-step-submit').click();
}

async function submitRecoveryCode(page: Page, code: string) {
  await page.getByTestId('recovery-login-code').fill(code);
  await page.getByTestId('recovery-login-submit').click();
}

const secondStepError = (page: Page) => page.getByTestId('second-step-error').filter({ hasText: 'MFA_CODE_INVALID' }).waitFor();
const signedIn = (page: Page, email: string) => page.getByTestId('status').filter({ hasText: `Signed in as ${email}` }).waitFor();

/**
 * The demo's second factor in Chromium, with real TOTP codes: the test reads the key the
 * page shows and computes codes with otplib, as an authenticator app would. The server
 * runs on a clock the test moves 30 s between codes, since each code works once.
 */
describe('demo: two-factor authentication, end to end in Chromium', { timeout: SUITE_TIMEOUT_MS }, () => {
  const clock = new FakeClock();
  const suite = useSeededDemo({ clock });

  /** The code of the next time step, as the app would show it 30 s later. */
  const nextCode = (secret: string) => {
    clock.advance(30_000);
    return codeAt(secret, clock);
  };
  const wrongCode = (secret: string) => (codeAt(secret, clock) === '000000' ? '111111' : '000000');

  /**
   * What the QR code of `img` encodes, checked module by module against the symbol the
   * qrcode library makes of `text`: the page's pixels are read back from a canvas and
   * sampled at the centre of each module, as a scanner would see them.
   */
  async function assertQrEncodes(img: Locator, text: string): Promise<void> {
    const { width, height, dark } = await img.evaluate((el: HTMLImageElement) => {
      const canvas = document.createElement('canvas');
      canvas.width = el.naturalWidth;
      canvas.height = el.naturalHeight;
      const g = canvas.getContext('2d') as CanvasRenderingContext2D;
      g.drawImage(el, 0, 0);
      const { data } = g.getImageData(0, 0, canvas.width, canvas.height);
      const out: boolean[] = [];
      for (let i = 0; i < data.length; i += 4) out.push(data[i] + data[i + 1] + data[i + 2] < 384);
      return { width: canvas.width, height: canvas.height, dark: out };
    });
    assert.equal(width, height);
    const { modules } = create(text);
    const margin = 1; // as the demo draws it
    const scale = width / (modules.size + 2 * margin);
    assert.ok(scale >= 2, `at least 2 px per module, got ${scale}`);
    let wrong = 0;
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        const x = Math.floor((col + margin + 0.5) * scale);
        const y = Math.floor((row + margin + 0.5) * scale);
        if (dark[y * width + x] !== Boolean(modules.get(row, col))) wrong++;
      }
    }
    assert.equal(wrong, 0, `the QR code differs from the otpauth URI's in ${wrong} of ${modules.size ** 2} modules`);
  }

  async function openDemo() {
    const context = await newContext(suite.demo.browser);
    const page = await context.newPage();
    await page.goto(`${suite.demo.t.url}/demo/`);
    return { context, page };
  }

  /** Settings → set up: the QR code and key, the first code, the recovery codes shown once. */
  async function enrollInSettings(page: Page, shot?: string): Promise<{ secret: string; recoveryCodes: string[] }> {
    assert.equal(await page.getByTestId('mfa-state').getAttribute('data-state'), 'off');
    const answer = page.waitForResponse((res) => res.url().endsWith('/api/auth/mfa/totp') && res.request().method() === 'POST');
    await page.getByTestId('mfa-enroll').click();
    const { otpauthUri } = (await (await answer).json()) as { otpauthUri: string };
    await page.getByTestId('mfa-enrollment').waitFor({ state: 'visible' });
    const qr = page.getByTestId('mfa-qr');
    await page.waitForFunction(() => (document.getElementById('mfa-qr') as HTMLImageElement | null)?.complete && (document.getElementById('mfa-qr') as HTMLImageElement).naturalWidth > 0);
    assert.match((await qr.getAttribute('src')) ?? '', /^data:image\/png;base64,/, 'the QR code is drawn in the page, no request leaves it');
    await assertQrEncodes(qr, otpauthUri);
    const secret = ((await page.getByTestId('mfa-secret').textContent()) ?? '').trim();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.equal(new URL(otpauthUri).searchParams.get('secret'), secret, 'the key shown is the QR code\'s');
    if (shot) await screenshot(page, shot);
    await page.getByTestId('mfa-confirm-code').fill(codeAt(secret, clock));
    await page.getByTestId('mfa-confirm-submit').click();
    const recoveryCodes = await shownRecoveryCodes(page);
    assert.equal(await page.getByTestId('mfa-state').getAttribute('data-state'), 'on');
    return { secret, recoveryCodes };
  }

  /** The 10 recovery codes of the panel; "I have saved them" takes them off the page. */
  async function shownRecoveryCodes(page: Page, shot?: string): Promise<string[]> {
    await page.getByTestId('recovery-codes-panel').waitFor({ state: 'visible' });
    const codes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    if (shot) await screenshot(page, shot);
    await page.getByTestId('recovery-codes-done').click();
    await page.getByTestId('recovery-codes-panel').waitFor({ state: 'hidden' });
    assert.equal(await page.getByTestId('recovery-codes').locator('li').count(), 0, 'shown once: gone from the page');
    return codes;
  }

  async function signOut(page: Page) {
    await page.getByTestId('signout').click();
    await page.getByTestId('signin').waitFor({ state: 'visible' });
  }

  it('enrolls from the settings with the QR code, signs out, signs in with the second step, and uses a recovery code once', async () => {
    const { context, page } = await openDemo();
    const email = suite.fixture.member.email;
    await signIn(page, email);
    const { secret, recoveryCodes } = await enrollInSettings(page, '20-mfa-enroll-qr');
    const [factor] = await suite.demo.t.db.query(`SELECT confirmed_at FROM mfa_factors WHERE user_id = $1`, [suite.fixture.member.id]);
    assert.ok(factor.confirmed_at instanceof Date, 'the factor is active');
    await signOut(page);

    await passwordStep(page, email, 'mfa-required');
    await screenshot(page, '21-mfa-second-step');
    await submitCode(page, wrongCode(secret));
    await secondStepError(page);
    await submitCode(page, nextCode(secret));
    await signedIn(page, email);
    assert.equal(await page.getByTestId('mfa-state').getAttribute('data-state'), 'on');
    const [session] = await suite.demo.t.db.query(`SELECT mfa_at FROM sessions WHERE user_id = $1 AND ended_at IS NULL`, [suite.fixture.member.id]);
    assert.ok(session.mfa_at instanceof Date, 'the session proved a second factor');
    await signOut(page);

    await passwordStep(page, email, 'mfa-required');
    await submitRecoveryCode(page, recoveryCodes[0]);
    await signedIn(page, email);
    await signOut(page);

    // The same recovery code again: refused, the step stays; a code of the app still works.
    await passwordStep(page, email, 'mfa-required');
    await submitRecoveryCode(page, recoveryCodes[0]);
    await secondStepError(page);
    assert.equal(await page.getByTestId('session').isVisible(), false);
    await submitCode(page, nextCode(secret));
    await signedIn(page, email);
    const used = await suite.demo.t.db.query(`SELECT 1 FROM mfa_recovery_codes WHERE user_id = $1 AND used_at IS NOT NULL`, [suite.fixture.member.id]);
    assert.equal(used.length, 1);
    await context.close();
  });

  it('policy `all` forces enrollment at login: the QR code in the sign-in step, the first code signs in, recovery codes shown once', async () => {
    const strict = await createOrganization(suite.demo.t.db, { slug: 'strict', name: 'Strict' });
    await setMfaPolicy(suite.demo.t.db, strict, 'all');
    const user = await createUser(suite.demo.t.db, strict, { email: 'sam@strict.example', firstName: 'Sam', lastName: 'Strict' });
    const { context, page } = await openDemo();
    const answer = page.waitForResponse((res) => res.url().endsWith('/api/auth/login/mfa/enroll'));
    await passwordStep(page, user.email, 'mfa-enrollment-required');
    const { otpauthUri } = (await (await answer).json()) as { otpauthUri: string };
    await page.getByTestId('login-enrollment').waitFor({ state: 'visible' });
    assert.match((await page.getByTestId('login-qr').getAttribute('src')) ?? '', /^data:image\/png;base64,/);
    await assertQrEncodes(page.getByTestId('login-qr'), otpauthUri);
    assert.equal(await page.getByTestId('recovery-login-form').isVisible(), false, 'no recovery codes exist yet');
    const secret = ((await page.getByTestId('login-secret').textContent()) ?? '').trim();
    await screenshot(page, '22-mfa-enroll-at-login');
    await submitCode(page, codeAt(secret, clock));
    await signedIn(page, user.email);
    await shownRecoveryCodes(page, '23-mfa-recovery-codes');
    const [factor] = await suite.demo.t.db.query(`SELECT confirmed_at FROM mfa_factors WHERE user_id = $1`, [user.id]);
    assert.ok(factor.confirmed_at instanceof Date);
    await context.close();
  });

  it('step-up before impersonation: the prompt opens, a wrong code keeps it open, the right one impersonates', async () => {
    const { context, page } = await openDemo();
    await signIn(page, suite.fixture.admin.email);
    const { secret } = await enrollInSettings(page);
    const target = suite.fixture.otherMember;
    const select = page.getByTestId('impersonate-user');
    await select.locator(`option[value="${target.id}"]`).waitFor({ state: 'attached' });
    await select.selectOption(target.id);
    await page.getByTestId('impersonate-reason').fill('Ticket #77: Max cannot export');
    await page.getByTestId('impersonate-submit').click();

    const prompt = page.getByTestId('step-up');
    await prompt.waitFor({ state: 'visible' });
    assert.match((await page.getByTestId('step-up-message').textContent()) ?? '', /second factor/);
    await screenshot(page, '24-mfa-step-up');
    await page.getByTestId('step-up-code').fill(wrongCode(secret));
    await page.getByTestId('step-up-submit').click();
    await page.getByTestId('step-up-error').filter({ hasText: 'MFA_CODE_INVALID' }).waitFor();
    assert.equal(await page.getByTestId('impersonation-banner').isVisible(), false);

    await page.getByTestId('step-up-code').fill(nextCode(secret));
    await page.getByTestId('step-up-submit').click();
    await page.getByTestId('impersonation-banner').waitFor({ state: 'visible' });
    await prompt.waitFor({ state: 'hidden' });
    assert.match((await page.getByTestId('banner-text').textContent()) ?? '', /impersonating Max Member <max@acme\.example> as ops@acme\.example/);
    const [admin] = await suite.demo.t.db.query(`SELECT mfa_at FROM sessions WHERE user_id = $1 AND ended_at IS NULL AND impersonator_id IS NULL`, [suite.fixture.admin.id]);
    assert.ok(admin.mfa_at instanceof Date, "the proof is kept on the admin's session");
    await context.close();
  });
});

describe("demo: the second step in the refresh cookie's mode", { timeout: SUITE_TIMEOUT_MS }, () => {
  const clock = new FakeClock();
  let demo: Awaited<ReturnType<typeof startDemo>>;
  const email = 'cookie-mfa@initech.example';
  let secret: string;
  before(async () => {
    demo = await startDemo({ clock, config: { refreshTokenCookie: { secure: true } } });
    const org = await createOrganization(demo.t.db, { slug: 'initech', sessionPolicy: DEMO_POLICY });
    await createUser(demo.t.db, org, { email });
    ({ secret } = await enrollTotp(demo.t, clock, email));
  });
  after(() => demo.close());

  it('the second step sets the httpOnly refresh cookie: a reload resumes the session by it, nothing in storage', async () => {
    const context = await newContext(demo.browser);
    const page = await context.newPage();
    await page.goto(`${demo.t.url}/demo/?refresh-cookie`);
    await passwordStep(page, email, 'mfa-required');
    assert.equal((await context.cookies()).length, 0, 'no cookie before the second factor');
    clock.advance(30_000);
    await submitCode(page, codeAt(secret, clock));
    await signedIn(page, email);
    const cookies = (await context.cookies()).filter((c) => c.name === '__Secure-authgate-refresh');
    assert.equal(cookies.length, 1);
    assert.equal(cookies[0].httpOnly, true);
    const keys = await page.evaluate(() => Object.keys(localStorage));
    assert.equal(keys.some((k) => k.startsWith('authgate:')), false, keys.join(', '));

    await page.reload();
    await signedIn(page, email);
    // The enrolling session (no second factor proved) and the one the second step opened, resumed, not a new one.
    const sessions = await demo.t.db.query(`SELECT mfa_at FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = $1) AND ended_at IS NULL`, [email]);
    assert.equal(sessions.length, 2);
    assert.equal(sessions.filter((row: { mfa_at: Date | null }) => row.mfa_at instanceof Date).length, 1, 'the same session, resumed by the cookie');
    await context.close();
  });
});
