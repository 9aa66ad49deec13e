import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';

const CLIENT = join(__dirname, '..', '..', '..', 'client');

export type Recipe = 'react' | 'vue';

/**
 * A recipe's page (client/recipes/pages/, mounting the code client/README.md shows) bundled
 * by esbuild as an SPA would bundle it: `@authgate/client` is the client's source, React and
 * Vue their development builds (their own checks on: React's "getSnapshot should be cached",
 * "Maximum update depth exceeded").
 */
export async function bundleRecipe(recipe: Recipe): Promise<string> {
  const result = await build({
    entryPoints: [join(CLIENT, 'recipes', 'pages', recipe === 'react' ? 'react-page.tsx' : 'vue-page.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    jsx: 'automatic',
    alias: { '@authgate/client': join(CLIENT, 'src', 'index.ts') },
    define: { 'process.env.NODE_ENV': '"development"', __VUE_OPTIONS_API__: 'false', __VUE_PROD_DEVTOOLS__: 'false', __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false' },
    logLevel: 'warning',
  });
  return result.outputFiles[0].text;
}

/** Serves the bundled recipe at `${origin}/recipes/<recipe>/` for this page, so it calls the API on its own origin. */
export async function serveRecipe(page: Page, origin: string, recipe: Recipe): Promise<string> {
  const script = await bundleRecipe(recipe);
  const url = `${origin}/recipes/${recipe}/`;
  await page.route(url, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: `<!doctype html><html><body><div id="root"></div><script src="app.js"></script></body></html>` }),
  );
  await page.route(`${url}app.js`, (route) => route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: script }));
  return url;
}
