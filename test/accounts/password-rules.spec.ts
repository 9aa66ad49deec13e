import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commonPasswords } from '../../src/accounts/passwords/common-passwords';
import { passwordViolations, WeakPasswordReason } from '../../src/accounts/passwords/password-rules';

const owner: { email: string; userName: string | null } = { email: 'mia.member@acme.example', userName: 'miam' };
const reasons = (password: string, who = owner) => passwordViolations(password, who).map((v) => v.reason);

describe('password rules', () => {
  it('ships at least 10,000 common passwords, compared without case', () => {
    assert.ok(commonPasswords().size >= 10_000, `only ${commonPasswords().size}`);
    assert.deepEqual(reasons('qwerty123456'), [WeakPasswordReason.TOO_COMMON]);
    assert.deepEqual(reasons('QWERTY123456'), [WeakPasswordReason.TOO_COMMON]);
    assert.deepEqual(reasons('1qaz2wsx3edc'), [WeakPasswordReason.TOO_COMMON]);
  });

  it('counts length in characters: 12 emoji pass, 11 letters do not', () => {
    assert.deepEqual(reasons('abcdefghijk'), [WeakPasswordReason.TOO_SHORT]);
    assert.deepEqual(reasons('correct horse'), []);
    // 12 characters, 48 bytes: long enough, and within bcrypt's 72 bytes.
    assert.deepEqual(reasons('🐴🔋📎🐴🔋📎🐴🔋📎🐴🔋📎'), []);
  });

  it('limits length in bcrypt bytes: 19 four-byte characters (76 bytes) are too long, 72 ASCII bytes are not', () => {
    assert.deepEqual(reasons('🐴🔋📎🐴🔋📎🐴🔋📎🐴🔋📎🐴🔋📎🐴🔋📎🐴'), [WeakPasswordReason.TOO_LONG]);
    assert.deepEqual(reasons('x'.repeat(71) + 'y'), []);
    assert.deepEqual(reasons('x'.repeat(72) + 'y'), [WeakPasswordReason.TOO_LONG]);
    // 24 three-byte characters: 24 characters, 72 bytes (the edge), then one more is 75.
    assert.deepEqual(reasons('€'.repeat(24)), []);
    assert.deepEqual(reasons('€'.repeat(25)), [WeakPasswordReason.TOO_LONG]);
  });

  it('refuses the email, its local part and the user name, whatever their case', () => {
    assert.deepEqual(reasons('mia.member@acme.example'), [WeakPasswordReason.CONTAINS_IDENTIFIER]);
    assert.deepEqual(reasons('xx-MIA.MEMBER-2026'), [WeakPasswordReason.CONTAINS_IDENTIFIER]);
    assert.deepEqual(reasons('purple-miam-elephant'), [WeakPasswordReason.CONTAINS_IDENTIFIER]);
    assert.deepEqual(reasons('purple-elephant', { email: 'al@x.example', userName: null }), []);
  });

  it('names every rule broken at once', () => {
    assert.deepEqual(reasons('miam'), [WeakPasswordReason.TOO_SHORT, WeakPasswordReason.CONTAINS_IDENTIFIER]);
  });
});
