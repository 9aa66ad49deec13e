import assert from 'node:assert/strict';
import { createHmac, createPrivateKey, sign as cryptoSign } from 'node:crypto';
import { describe, it } from 'node:test';
import jwt from 'jsonwebtoken';
import { generatePrivateJwk, JwtAlgorithm, PrivateJwk } from '../../src/platform/config/jwk-set';
import type { AppConfig } from '../../src/platform/config/app-config';
import { KeyRing } from '../../src/tokens/key-ring';
import { TokenCodec, TokenRefusal } from '../../src/tokens/token-codec';
import { audiences, TokenKind } from '../../src/tokens/token-audiences';
import { FakeClock } from '../support/fake-clock';

const NOW_S = 1_800_000_000;
const SECRET = 'a-test-secret-of-at-least-thirty-two-bytes!';
const OLD_SECRET = 'another-secret-of-at-least-thirty-two-bytes';
const KINDS: TokenKind[] = ['access', 'workspace', 'impersonation', 'ssoState'];
const ALGORITHMS: JwtAlgorithm[] = ['HS256', 'EdDSA', 'ES256', 'RS256'];
const AUD = audiences('authgate-api');

const jwkFor: Partial<Record<JwtAlgorithm, PrivateJwk>> = {};
const keyOf = (alg: Exclude<JwtAlgorithm, 'HS256'>) => (jwkFor[alg] ??= generatePrivateJwk(alg));

function configFor(alg: JwtAlgorithm): AppConfig {
  return {
    jwt: {
      algorithm: alg,
      current: { kid: 'k1', secret: SECRET },
      previous: [{ kid: 'k0', secret: OLD_SECRET }],
      privateKeys: alg === 'HS256' ? [] : [keyOf(alg)],
      issuer: 'authgate',
      audience: 'authgate-api',
    },
  } as unknown as AppConfig;
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token signed by hand with the ring's own key, so headers and claims the codec never writes can be tried. */
function handSigned(alg: JwtAlgorithm, header: Record<string, unknown>, payload: unknown): string {
  const input = `${b64(header)}.${b64(payload)}`;
  if (alg === 'HS256') return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
  const key = createPrivateKey({ key: keyOf(alg), format: 'jwk' });
  const signature =
    alg === 'EdDSA'
      ? cryptoSign(null, Buffer.from(input), key)
      : cryptoSign('sha256', Buffer.from(input), alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
  return `${input}.${signature.toString('base64url')}`;
}

for (const alg of ALGORITHMS) {
  const clock = new FakeClock(NOW_S * 1000);
  const codec = new TokenCodec(new KeyRing(configFor(alg)), clock, configFor(alg));
  const kid = alg === 'HS256' ? 'k1' : keyOf(alg).kid;
  const header = { alg, typ: 'JWT', kid };

  for (const kind of KINDS) {
    const claims = { sub: 'u1', iss: 'authgate', aud: AUD[kind], iat: NOW_S, exp: NOW_S + 900 };
    const refusal = (token: string): TokenRefusal | 'accepted' => {
      clock.set(NOW_S * 1000);
      const verdict = codec.verify(kind, token);
      return verdict.ok ? 'accepted' : verdict.why;
    };
    const forged = (h: Record<string, unknown>, p: unknown) => refusal(handSigned(alg, h, p));

    describe(`the token codec, ${alg}, ${kind} tokens`, () => {
      it('accepts what it signs, naming the signing key in kid, with iss and the kind\'s audience added', () => {
        const token = codec.sign(kind, { sub: 'u1', iat: NOW_S, exp: NOW_S + 900 });
        assert.deepEqual(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()), header);
        const verdict = codec.verify(kind, token);
        assert.ok(verdict.ok);
        assert.deepEqual(verdict.claims, claims);
        assert.equal(forged(header, claims), 'accepted', 'the hand-signed control');
      });

      it('requires a kid naming one of its keys: none, a non-string or an unknown one is refused', () => {
        const { kid: _kid, ...withoutKid } = header;
        assert.equal(forged(withoutKid, claims), 'unknown_key');
        assert.equal(forged({ ...header, kid: 7 }, claims), 'unknown_key');
        assert.equal(forged({ ...header, kid: 'k9' }, claims), 'unknown_key');
      });

      it('refuses any crit header, alg none and an algorithm that is not the named key\'s', () => {
        assert.equal(forged({ ...header, crit: ['exp'] }, claims), 'algorithm');
        assert.equal(forged({ ...header, crit: [] }, claims), 'algorithm');
        assert.equal(refusal(`${b64({ ...header, alg: 'none' })}.${b64(claims)}.`), 'algorithm');
        const other = alg === 'HS256' ? 'RS256' : 'HS256';
        assert.equal(refusal(`${b64({ ...header, alg: other })}.${b64(claims)}.${handSigned(alg, header, claims).split('.')[2]}`), 'algorithm');
        assert.equal(forged({ ...header, alg: alg.toLowerCase() }, claims), 'algorithm');
      });

      it('refuses another key\'s signature, a tampered payload and a re-spelt signature', () => {
        const [h, p, s] = handSigned(alg, header, claims).split('.');
        assert.equal(refusal(`${h}.${b64({ ...claims, sub: 'admin' })}.${s}`), 'signature');
        assert.equal(refusal(`${h}.${p}.${s}=`), 'signature');
        assert.equal(refusal(`${h}.${p}.${s.slice(0, -1)}${s.at(-1) === 'A' ? 'B' : 'A'}`), 'signature');
        assert.equal(refusal(`${h}.${p}.`), 'signature');
      });

      it('refuses another issuer and every other kind\'s audience', () => {
        assert.equal(forged(header, { ...claims, iss: 'evil' }), 'issuer');
        for (const other of KINDS.filter((k) => k !== kind)) assert.equal(forged(header, { ...claims, aud: AUD[other] }), 'audience', other);
        const { aud: _aud, ...withoutAudience } = claims;
        assert.equal(forged(header, withoutAudience), 'audience');
        assert.equal(forged(header, { ...claims, aud: ['x', AUD[kind]] }), 'accepted');
      });

      it('requires exp, and refuses date claims that are not NumericDates in range (exp 1e20 included)', () => {
        const { exp: _exp, ...withoutExp } = claims;
        assert.equal(forged(header, withoutExp), 'claims');
        for (const exp of [1e20, Number.MAX_SAFE_INTEGER, '2000000000', -1, null]) {
          assert.equal(forged(header, { ...claims, exp }), 'claims', String(exp));
        }
        assert.equal(forged(header, { ...claims, iat: 1e20 }), 'claims');
        assert.equal(forged(header, { ...claims, nbf: 'now' }), 'claims');
      });

      it('judges exp and nbf by the injected clock, not the wall clock', () => {
        const token = handSigned(alg, header, { ...claims, nbf: NOW_S + 10, exp: NOW_S + 60 });
        clock.set((NOW_S + 9) * 1000);
        assert.equal(codec.verify(kind, token).ok ? 'accepted' : 'refused', 'refused');
        clock.set((NOW_S + 10) * 1000);
        assert.ok(codec.verify(kind, token).ok);
        clock.set((NOW_S + 60) * 1000 - 1);
        assert.ok(codec.verify(kind, token).ok, 'the cached verdict still checks the time');
        clock.set((NOW_S + 60) * 1000);
        const expired = codec.verify(kind, token);
        assert.ok(!expired.ok && expired.why === 'expired' && expired.claims?.sub === 'u1');
        // The wall clock is far from NOW_S: a token already expired by it is still fine by the service's.
        const longAgo = { ...claims, iat: 1_000_000_000, exp: 1_000_000_900 };
        clock.set(1_000_000_000_000);
        assert.ok(codec.verify(kind, handSigned(alg, header, longAgo)).ok);
      });

      it('refuses what is not a compact JWS of two JSON objects', () => {
        const token = handSigned(alg, header, claims);
        for (const bad of ['', 'abc', 'a.b', `${token}.x`, `.${token.split('.')[1]}.x`, `${token.split('.')[0]}..x`, 'eyJ!.eyJ.x']) {
          assert.notEqual(refusal(bad), 'accepted', bad);
        }
        assert.equal(forged(header, ['not', 'an', 'object']), 'malformed');
        assert.equal(forged(header, null), 'malformed');
        assert.equal(refusal(`${Buffer.from('{not json').toString('base64url')}.${b64(claims)}.x`), 'malformed');
      });
    });
  }
}

describe('the token codec across key sets', () => {
  it('HS256: a previous secret still verifies (by its kid), jsonwebtoken\'s tokens are accepted', () => {
    const codec = new TokenCodec(new KeyRing(configFor('HS256')), new FakeClock(NOW_S * 1000), configFor('HS256'));
    const claims = { sub: 'u1', iss: 'authgate', aud: AUD.access, iat: NOW_S, exp: NOW_S + 900 };
    assert.ok(codec.verify('access', jwt.sign(claims, OLD_SECRET, { keyid: 'k0' })).ok);
    assert.ok(codec.verify('access', jwt.sign(claims, SECRET, { keyid: 'k1' })).ok);
    assert.ok(!codec.verify('access', jwt.sign(claims, SECRET, { keyid: 'k0' })).ok);
  });

  it('an asymmetric ring accepts no HMAC secret, so a holder of JWT_SECRET cannot mint a token', () => {
    const config = configFor('EdDSA');
    const codec = new TokenCodec(new KeyRing(config), new FakeClock(NOW_S * 1000), config);
    const claims = { sub: 'u1', iss: 'authgate', aud: AUD.access, iat: NOW_S, exp: NOW_S + 900 };
    const verdict = codec.verify('access', jwt.sign(claims, SECRET, { keyid: 'k1' }));
    assert.deepEqual(verdict, { ok: false, why: 'unknown_key' });
  });

  it('every key of JWT_PRIVATE_KEYS verifies, the first signs, whatever their order', () => {
    const a = generatePrivateJwk('EdDSA');
    const b = generatePrivateJwk('ES256');
    const ring = (keys: PrivateJwk[]) => {
      const config = { jwt: { ...configFor('EdDSA').jwt, algorithm: keys[0].alg, privateKeys: keys } } as unknown as AppConfig;
      return new TokenCodec(new KeyRing(config), new FakeClock(NOW_S * 1000), config);
    };
    const claims = { sub: 'u1', iat: NOW_S, exp: NOW_S + 900 };
    const byA = ring([a, b]).sign('access', claims);
    const byB = ring([b, a]).sign('access', claims);
    assert.equal(JSON.parse(Buffer.from(byA.split('.')[0], 'base64url').toString()).kid, a.kid);
    assert.equal(JSON.parse(Buffer.from(byB.split('.')[0], 'base64url').toString()).alg, 'ES256');
    for (const codec of [ring([a, b]), ring([b, a])]) {
      assert.ok(codec.verify('access', byA).ok);
      assert.ok(codec.verify('access', byB).ok);
    }
    assert.deepEqual(ring([b]).verify('access', byA), { ok: false, why: 'unknown_key' });
  });
});
