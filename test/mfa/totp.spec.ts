import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { matchTotp, newTotpSecret, otpauthUriOf, totpCodeAt, TOTP_PERIOD_SECONDS } from '../../src/mfa/totp/totp';

/** RFC 6238 Appendix B's SHA-1 secret ("12345678901234567890") in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/** RFC 4226 §5.3 written out independently of otplib, to check the library against the standard. */
function referenceCode(secretAscii: string, timeMs: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(timeMs / STEP_MS)));
  const mac = createHmac('sha1', Buffer.from(secretAscii, 'ascii')).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

describe('TOTP (RFC 6238: SHA-1, 6 digits, 30 s, ±1 step)', () => {
  it('produces the RFC 6238 test vectors (last six digits of Appendix B)', () => {
    assert.equal(totpCodeAt(RFC_SECRET, 59_000), '287082');
    assert.equal(totpCodeAt(RFC_SECRET, 1_111_111_109_000), '081804');
    assert.equal(totpCodeAt(RFC_SECRET, 1_234_567_890_000), '005924');
    assert.equal(totpCodeAt(RFC_SECRET, 20_000_000_000_000), '353130');
    assert.equal(totpCodeAt(RFC_SECRET, 1_700_000_000_000), referenceCode('12345678901234567890', 1_700_000_000_000));
  });

  it('accepts the current code and one step of drift either way, nothing further', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const step = Math.floor(now / STEP_MS);
    assert.equal(matchTotp(secret, totpCodeAt(secret, now), now, null), step);
    assert.equal(matchTotp(secret, totpCodeAt(secret, now - STEP_MS), now, null), step - 1);
    assert.equal(matchTotp(secret, totpCodeAt(secret, now + STEP_MS), now, null), step + 1);
    assert.equal(matchTotp(secret, totpCodeAt(secret, now - 2 * STEP_MS), now, null), null);
    assert.equal(matchTotp(secret, totpCodeAt(secret, now + 2 * STEP_MS), now, null), null);
  });

  it('refuses a code of a step already used, and any older one', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const code = totpCodeAt(secret, now);
    const step = matchTotp(secret, code, now, null);
    assert.notEqual(step, null);
    assert.equal(matchTotp(secret, code, now, step), null, 'replay of the same code');
    assert.equal(matchTotp(secret, totpCodeAt(secret, now - STEP_MS), now, step), null, 'an older code after a newer one');
    assert.equal(matchTotp(secret, totpCodeAt(secret, now + STEP_MS), now + STEP_MS, step), (step as number) + 1, 'the next step is fine');
  });

  it('refuses anything but six digits', () => {
    const secret = newTotpSecret();
    const now = 1_800_000_000_000;
    const code = totpCodeAt(secret, now);
    for (const bad of ['', `${code} `, ` ${code}`, `${code}0`, code.slice(1), 'abcdef', '12 456']) {
      assert.equal(matchTotp(secret, bad, now, null), null, JSON.stringify(bad));
    }
  });

  it('makes 160-bit base32 secrets and an otpauth URI authenticator apps read', () => {
    const secret = newTotpSecret();
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.notEqual(newTotpSecret(), secret);
    const uri = new URL(otpauthUriOf(secret, 'authgate', 'ada@acme.example'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/authgate:ada@acme.example');
    assert.equal(uri.searchParams.get('secret'), secret);
    assert.equal(uri.searchParams.get('issuer'), 'authgate');
  });
});
