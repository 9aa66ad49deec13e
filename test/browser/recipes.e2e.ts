import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuthClient } from '../../client/src';
import { Session } from '../../src/sessions/session.entity';
import { newContext, screenshot, SUITE_TIMEOUT_MS, PASSWORD, useSeededDemo } from './support/browser';
import { Recipe, serveRecipe } from './support/recipes';

/**
 * client/README.md's React and Vue recipes, exactly as written there (test/client/readme-recipes.spec.ts
 * holds the README to client/recipes/), bundled and run in Chromium against the service.
 */
describe('the React and Vue recipes in Chromium', { timeout: SUITE_TIMEOUT_MS }, () => {
  const suite = useSeededDemo();

  for (const recipe of ['react', 'vue'] as Recipe[]) {
    it(`${recipe}: signs in, shows the user, signs out, on a stable snapshot`, async () => {
      const context = await newContext(suite.demo.browser);
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
      });
      await page.goto(await serveRecipe(page, suite.demo.t.url, recipe));
      await page.getByTestId('signin').waitFor();

      await page.getByTestId('email').fill(suite.fixture.member.email);
      await page.getByTestId('password').fill('not the password');
      await page.getByTestId('signin-submit').click();
      await page.getByTestId('signin-error').waitFor();
      assert.match((await page.getByTestId('signin-error').textContent()) ?? '', /.+/);

      await page.getByTestId('password').fill(PASSWORD);
      await page.getByTestId('signin-submit').click();
      await page.getByTestId('user').waitFor();
      assert.equal(await page.getByTestId('user').textContent(), 'Mia Member <mia@acme.example>');
      // What useSyncExternalStore and shallowRef rely on: no change, the same object.
      const { stable, sessionId } = await page.evaluate(() => {
        const auth = (window as unknown as { recipeAuth: AuthClient }).recipeAuth;
        return { stable: auth.getSnapshot() === auth.getSnapshot() && auth.snapshot() === auth.getSnapshot(), sessionId: auth.getSnapshot().sessionId };
      });
      assert.equal(stable, true);
      await screenshot(page, `recipe-${recipe}-signed-in`);

      assert.ok(sessionId);
      const serverLogout = page.waitForResponse((r) => r.url().endsWith('/api/auth/logout') && r.request().method() === 'POST');
      await page.getByTestId('signout').click();
      await page.getByTestId('signin').waitFor();
      assert.equal((await serverLogout).status(), 204);
      assert.equal((await suite.demo.t.db.getRepository(Session).findOneByOrFail({ id: sessionId })).endReason, 'logout');

      assert.deepEqual(problems.filter((p) => !p.includes('401') && !p.includes('Failed to load resource')), []);
      await context.close();
    });
  }
});
