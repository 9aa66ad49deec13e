import { createHmac, KeyObject, timingSafeEqual } from 'node:crypto';

/** Why a compact JWS was refused; every reason is TOKEN_INVALID to the client. */
export type Hs256Refusal = 'malformed' | 'algorithm' | 'unknown_key' | 'signature' | 'issuer' | 'audience' | 'not_yet_valid';

export interface Hs256Expectations {
  /** The key named by the header's `kid` (undefined when there is none); undefined refuses the token. */
  keyFor(kid: unknown): KeyObject | undefined;
  issuer: string;
  audience: string;
  nowSeconds: number;
}

export type Hs256Result = { ok: true; claims: Record<string, unknown> } | { ok: false; why: Hs256Refusal };

const SEGMENT = /^[A-Za-z0-9_-]+$/;

const decodeObject = (segment: string): Record<string, unknown> | null => {
  if (!SEGMENT.test(segment)) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/**
 * A compact HS256 JWS, checked in one pass: the header is decoded once, the
 * signature compared in constant time against its canonical encoding (so no
 * second spelling of a signature passes), the payload parsed once. Only HS256:
 * `none` and every other algorithm are refused, as is any `crit` header, which
 * RFC 7515 §4.1.11 says a verifier that does not know it must reject.
 * `exp` is left to the caller, which judges it by the service clock.
 * (jsonwebtoken decoded the token three times and spent most of `me`'s
 * verification in doing so: docs/performance.md.)
 */
export function verifyHs256(token: string, expect: Hs256Expectations): Hs256Result {
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  if (first <= 0 || second < 0 || token.indexOf('.', second + 1) !== -1) return { ok: false, why: 'malformed' };
  const header = decodeObject(token.slice(0, first));
  if (!header) return { ok: false, why: 'malformed' };
  if (header.alg !== 'HS256' || header.crit !== undefined) return { ok: false, why: 'algorithm' };
  const key = expect.keyFor(header.kid);
  if (!key) return { ok: false, why: 'unknown_key' };
  const expected = Buffer.from(createHmac('sha256', key).update(token.slice(0, second)).digest('base64url'));
  const given = Buffer.from(token.slice(second + 1));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'signature' };
  const claims = decodeObject(token.slice(first + 1, second));
  if (!claims) return { ok: false, why: 'malformed' };
  if (claims.iss !== expect.issuer) return { ok: false, why: 'issuer' };
  const aud = claims.aud;
  if (aud !== expect.audience && !(Array.isArray(aud) && aud.includes(expect.audience))) return { ok: false, why: 'audience' };
  if (claims.nbf !== undefined && !(typeof claims.nbf === 'number' && claims.nbf <= expect.nowSeconds)) {
    return { ok: false, why: 'not_yet_valid' };
  }
  return { ok: true, claims };
}
