import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { END_REASON_CODES } from '../../src/sessions/policy/session-verdict';
import { SessionEndReason } from '../../src/sessions/session.entity';

describe('the end-reason table', () => {
  it('has a code for each path and each reason, and docs/session-policy.md shows exactly this table', () => {
    const doc = readFileSync('docs/session-policy.md', 'utf8');
    const rows = new Map(
      [...doc.matchAll(/^\| `([a-z_]+)` \| `([A-Z_]+)` \| `([A-Z_]+)` \|$/gm)].map((m) => [m[1], { bearer: m[2], refresh: m[3] }]),
    );
    assert.deepEqual(Object.keys(END_REASON_CODES).sort(), Object.values(SessionEndReason).sort());
    assert.deepEqual(Object.fromEntries(rows), { ...END_REASON_CODES });
  });
});
