import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashRecoveryCode, newRecoveryCodes, normalizeRecoveryCode } from '../../src/mfa/recovery/recovery-codes';

describe('recovery codes', () => {
  it('come ten at a time, distinct, as xxxxx-xxxxx of an unambiguous alphabet', () => {
    const codes = newRecoveryCodes();
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10);
    for (const code of codes) assert.match(code, /^[0-9a-hjkmnp-tv-z]{5}-[0-9a-hjkmnp-tv-z]{5}$/);
    assert.notDeepEqual(newRecoveryCodes(), codes);
  });

  it('hash the same whatever the case, dash or surrounding spaces', () => {
    const [code] = newRecoveryCodes();
    const hash = hashRecoveryCode(code);
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.ok(!hash.includes(code.replace('-', '')));
    assert.equal(hashRecoveryCode(` ${code.toUpperCase()} `), hash);
    assert.equal(hashRecoveryCode(code.replace('-', '')), hash);
  });

  it('refuse what cannot be a recovery code', () => {
    for (const bad of ['', '123456', 'abcde-abcd', 'abcde-abcdef', 'abc!e-abcde']) assert.equal(normalizeRecoveryCode(bad), null, bad);
  });
});
