import { after, before } from 'node:test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import type { AuthClient } from '../../../client/src';
import { demoBundleDirectory } from '../../../src/demo/demo-static';
import type { Clock } from '../../../src/platform/clock';
import { SessionPolicy } from '../../../src/identity/organizations/session-policy';
import { AccessRole } from '../../../src/identity/users/user.entity';
import { createOrganization, createUser, PASSWORD } from '../../support/factories';
import { ConfigOverrides, startTestApp, TestApp } from '../../support/test-app';

export { PASSWORD };

declare global {
  interface Window {
    /** Set by the demo page (client/demo/demo.ts). */
    authgateDemo?: { client: AuthClient };
  }
}

/** Debian's chromium, as the probe and CI install it; CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless Chromium on a machine with a closed network. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A hung page fails its suite instead of hanging the run (node:test has no default timeout). */
export const SUITE_TIMEOUT_MS = 120_000;

export const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true, timeout: 30_000 });
}

/** A screenshot of the page (or of one part of it) as a test artifact (test-artifacts/, gitignored; CI keeps it). */
export async function screenshot(target: Page | Locator, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  if ('goto' in target) await target.screenshot({ path, fullPage: true });
  else await target.screenshot({ path });
}

/** The demo fixture: Acme with an enforced policy, its admin and two members, and another organization. */
export interface DemoFixture {
  orgId: string;
  admin: { id: string; email: string };
  member: { id: string; email: string };
  otherMember: { id: string; email: string };
}

export const DEMO_POLICY: Partial<SessionPolicy> = {
  enabled: true,
  idleTimeoutMinutes: 3,
  warningTimeMinutes: 1,
  tokenExpiryHours: 1,
  idleTrackingEnabled: true,
  passwordSilentRenewalEnabled: true,
  passwordFallbackBehavior: 'logout',
};

export async function seedDemo(t: TestApp, policy: Partial<SessionPolicy> = DEMO_POLICY): Promise<DemoFixture> {
  const org = await createOrganization(t.db, { slug: 'acme', name: 'Acme', sessionPolicy: policy });
  const admin = await createUser(t.db, org, { email: 'ops@acme.example', firstName: 'Olga', lastName: 'Ops', accessRole: AccessRole.ADMIN });
  const member = await createUser(t.db, org, { email: 'mia@acme.example', firstName: 'Mia', lastName: 'Member' });
  const otherMember = await createUser(t.db, org, { email: 'max@acme.example', firstName: 'Max', lastName: 'Member' });
  const elsewhere = await createOrganization(t.db, { slug: 'globex', name: 'Globex' });
  await createUser(t.db, elsewhere, { email: 'hank@globex.example', firstName: 'Hank', lastName: 'Scorpio' });
  return {
    orgId: org.id,
    admin: { id: admin.id, email: admin.email },
    member: { id: member.id, email: member.email },
    otherMember: { id: otherMember.id, email: otherMember.email },
  };
}

/** The real app with DEMO_ENABLED on its own database (on `clock` and with `config` when given), and a Chromium. */
export async function startDemo(options: { clock?: Clock; config?: ConfigOverrides } = {}): Promise<{ t: TestApp; browser: Browser; close(): Promise<void> }> {
  if (!demoBundleDirectory()) throw new Error('the demo is not built: run `npm run build:client` (npm run test:browser does)');
  const [t, browser] = await Promise.all([startTestApp({ config: { ...options.config, demoEnabled: true }, clock: options.clock }), launchChromium()]);
  return {
    t,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByTestId('email').fill(email);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('session').waitFor({ state: 'visible' });
}

export async function newContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  context.setDefaultTimeout(10_000);
  return context;
}

export type Demo = Awaited<ReturnType<typeof startDemo>>;

/**
 * The demo app, a Chromium and the seeded fixture for one suite: started in the
 * suite's `before`, stopped in its `after`. Read `demo` and `fixture` inside tests.
 */
export function useSeededDemo(options: { clock?: Clock } = {}): { readonly demo: Demo; readonly fixture: DemoFixture } {
  const state: { demo?: Demo; fixture?: DemoFixture } = {};
  before(async () => {
    state.demo = await startDemo(options);
    state.fixture = await seedDemo(state.demo.t);
  });
  after(() => state.demo?.close());
  return {
    get demo(): Demo {
      if (!state.demo) throw new Error('the demo is started in the suite\'s before hook');
      return state.demo;
    },
    get fixture(): DemoFixture {
      if (!state.fixture) throw new Error('the demo is seeded in the suite\'s before hook');
      return state.fixture;
    },
  };
}
