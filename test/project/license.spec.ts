import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const read = (path: string): string => readFileSync(path, 'utf8');
const licenseOf = (path: string): unknown => (JSON.parse(read(path)) as { license?: unknown }).license;

/**
 * Without a licence nobody may adopt the service or the client (issue #14, item 11):
 * both are Apache-2.0, with the licence's full text beside them.
 */
describe('licence', () => {
  it('declares Apache-2.0 (an SPDX id) in the service and the client package', () => {
    assert.equal(licenseOf('package.json'), 'Apache-2.0');
    assert.equal(licenseOf('client/package.json'), 'Apache-2.0');
  });

  it('ships the full Apache License 2.0 text at the root and in the client package', () => {
    for (const path of ['LICENSE', 'client/LICENSE']) {
      const text = read(path);
      assert.match(text, /^\s*Apache License\s+Version 2\.0, January 2004/, path);
      // All nine sections of the terms, not a one-line notice.
      for (const section of ['Definitions', 'Grant of Copyright License', 'Grant of Patent License', 'Redistribution', 'Submission of Contributions', 'Trademarks', 'Disclaimer of Warranty', 'Limitation of Liability', 'Accepting Warranty or Additional Liability']) {
        assert.ok(text.includes(section), `${path} has section "${section}"`);
      }
      assert.ok(text.includes('END OF TERMS AND CONDITIONS'), path);
    }
  });
});
