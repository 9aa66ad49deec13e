import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const CLIENT = join(__dirname, '..', '..', 'client');

/** Each `<!-- recipe: path -->` of client/README.md and the fenced code block right after it. */
function recipesIn(readme: string): { path: string; code: string }[] {
  return [...readme.matchAll(/<!-- recipe: (\S+) -->\n```\w*\n([\s\S]*?)```\n/g)].map((m) => ({ path: m[1], code: m[2] }));
}

/** The browser test runs the files under client/recipes/: the README must show exactly them. */
describe("client/README.md's React and Vue recipes", () => {
  it('show exactly the code of client/recipes/react.tsx and client/recipes/vue.ts', () => {
    const recipes = recipesIn(readFileSync(join(CLIENT, 'README.md'), 'utf8'));
    assert.deepEqual(recipes.map((r) => r.path), ['recipes/react.tsx', 'recipes/vue.ts']);
    for (const { path, code } of recipes) assert.equal(code, readFileSync(join(CLIENT, path), 'utf8'), `client/README.md's copy of ${path}`);
  });
});
