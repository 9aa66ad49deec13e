import assert from 'node:assert/strict';
import { createHmac, createSecretKey } from 'node:crypto';
import { describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { Hs256Expectations, verifyHs256 } from '../../src/tokens/hs256-verifier';

const SECRET = 'a-test-secret-of-at-least-thirty-two-bytes!';
const OTHER = 'another-secret-of-at-least-thirty-two-bytes';
const key = createSecretKey(Buffer.from(SECRET));
const old = createSecretKey(Buffer.from(OTHER));
const NOW = 1_800_000_000;
const expect: Hs256Expectations = {
  keyFor: (kid) => (kid === undefined || kid === 'k1' ? key : kid === 'k0' ? old : undefined),
  issuer: 'authgate',
  audience: 'authgate-api',
  nowSeconds: NOW,
};
const claims = { sub: 'u1', sid: 's1', iss: 'authgate', aud: 'authgate-api', iat: NOW, exp: NOW + 900 };
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token signed by hand, so headers jsonwebtoken would never write can be tried. */
const handSigned = (header: unknown, payload: unknown, secret = SECRET) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const refusal = (token: string) => {
  const result = verifyHs256(token, expect);
  return result.ok ? 'accepted' : result.why;
};

describe('verifyHs256 (the bearer-token check)', () => {
  it('accepts what jsonwebtoken signs, with or without a kid, and returns the claims', () => {
    for (const token of [jwt.sign(claims, SECRET, { keyid: 'k1' }), jwt.sign(claims, SECRET), jwt.sign(claims, OTHER, { keyid: 'k0' })]) {
      const result = verifyHs256(token, expect);
      assert.ok(result.ok);
      assert.deepEqual(result.claims, claims);
    }
  });

  it('refuses every algorithm but HS256, and any crit header', () => {
    assert.equal(refusal(`${b64({ alg: 'none' })}.${b64(claims)}.`), 'algorithm');
    assert.equal(refusal(jwt.sign(claims, SECRET, { algorithm: 'HS512' })), 'algorithm');
    assert.equal(refusal(handSigned({ alg: 'hs256' }, claims)), 'algorithm');
    assert.equal(refusal(handSigned({ alg: 'HS256', crit: ['exp'] }, claims)), 'algorithm');
  });

  it('refuses an unknown kid, another secret, and a tampered or re-spelt signature', () => {
    assert.equal(refusal(jwt.sign(claims, SECRET, { keyid: 'k9' })), 'unknown_key');
    assert.equal(refusal(handSigned({ alg: 'HS256', kid: 7 }, claims)), 'unknown_key');
    assert.equal(refusal(jwt.sign(claims, OTHER, { keyid: 'k1' })), 'signature');
    const token = jwt.sign(claims, SECRET);
    const [h, p, s] = token.split('.');
    const flipped = s.slice(0, -2) + (s.at(-2) === 'A' ? 'B' : 'A') + s.at(-1);
    assert.equal(refusal(`${h}.${p}.${flipped}`), 'signature');
    assert.equal(refusal(`${h}.${p}.${s}=`), 'signature');
    assert.equal(refusal(`${h}.${p}.${s}A`), 'signature');
    assert.equal(refusal(`${h}.${b64({ ...claims, sub: 'admin' })}.${s}`), 'signature');
  });

  it('refuses another issuer or audience, accepts the audience within a list', () => {
    assert.equal(refusal(jwt.sign({ ...claims, iss: 'someone-else' }, SECRET)), 'issuer');
    assert.equal(refusal(jwt.sign({ ...claims, aud: 'authgate-api:impersonation' }, SECRET)), 'audience');
    assert.equal(refusal(jwt.sign({ ...claims, aud: undefined }, SECRET)), 'audience');
    assert.equal(refusal(jwt.sign({ ...claims, aud: ['x', 'authgate-api'] }, SECRET)), 'accepted');
  });

  it('refuses a token not valid before a later time, on the given clock', () => {
    assert.equal(refusal(jwt.sign({ ...claims, nbf: NOW + 1 }, SECRET)), 'not_yet_valid');
    assert.equal(refusal(handSigned({ alg: 'HS256' }, { ...claims, nbf: String(NOW) })), 'not_yet_valid');
    assert.equal(refusal(jwt.sign({ ...claims, nbf: NOW }, SECRET)), 'accepted');
  });

  it('refuses what is not a compact JWS of two JSON objects', () => {
    const token = jwt.sign(claims, SECRET);
    for (const bad of ['', 'abc', 'a.b', `${token}.x`, `.${token.split('.')[1]}.x`, `${token.split('.')[0]}..x`, 'eyJ!.eyJ.x']) {
      assert.notEqual(refusal(bad), 'accepted', bad);
    }
    assert.equal(refusal(handSigned({ alg: 'HS256' }, ['not', 'an', 'object'])), 'malformed');
    assert.equal(refusal(handSigned({ alg: 'HS256' }, null)), 'malformed');
    assert.equal(refusal(`${Buffer.from('{not json').toString('base64url')}.${b64(claims)}.x`), 'malformed');
  });
});
