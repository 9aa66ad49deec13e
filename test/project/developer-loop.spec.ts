import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The options of an npm script's own `npm install` that hide what npm says. */
const quieting = (script: string): string[] => script.match(/--(silent|quiet|loglevel[= ]\S+)|(?:^|\s)-(s|q)(?=\s|$)/g) ?? [];

describe("the developer's loop", () => {
  it('npm start shows the whole install output (engine warnings included)', () => {
    assert.match(manifest.scripts.start, /^npm install /);
    assert.deepEqual(quieting(manifest.scripts.start), []);
  });

  it("npm test hides at most the install's warnings, never its errors", () => {
    assert.match(manifest.scripts.test, /^npm install /);
    assert.deepEqual(quieting(manifest.scripts.test), ['--loglevel=error']);
  });

  it('declares no configuration library it does not use (.env is read by process.loadEnvFile)', () => {
    assert.equal(manifest.dependencies['@nestjs/config'], undefined);
    assert.equal(manifest.devDependencies['@nestjs/config'], undefined);
  });
});
