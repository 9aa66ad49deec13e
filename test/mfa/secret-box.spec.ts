import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SecretBox } from '../../src/mfa/crypto/secret-box';

describe('SecretBox (TOTP secrets at rest, AES-256-GCM)', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);

  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'user-1');
    assert.match(sealed, /^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.ok(!sealed.includes('JBSWY3DP'));
    assert.equal(box.open(sealed, 'user-1'), 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  });

  it('seals the same secret differently each time (a fresh IV)', () => {
    assert.notEqual(box.seal('same', 'u'), box.seal('same', 'u'));
  });

  it('refuses another key, another user, and any changed byte', () => {
    const sealed = box.seal('secret', 'user-1');
    assert.throws(() => new SecretBox(randomBytes(32)).open(sealed, 'user-1'), /MFA_ENCRYPTION_KEY is not the key it was sealed with/);
    assert.throws(() => box.open(sealed, 'user-2'));
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    assert.throws(() => box.open([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'), 'user-1'));
    assert.throws(() => box.open('plaintext', 'user-1'), /not a v1 sealed value/);
  });

  it('takes only a 32-byte key', () => {
    assert.throws(() => new SecretBox(randomBytes(16)), /32 bytes/);
  });
});
