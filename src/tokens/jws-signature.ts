import { createHmac, KeyObject, sign, timingSafeEqual, verify } from 'node:crypto';
import type { JwtAlgorithm } from '../platform/config/jwk-set';

/**
 * The signature step of a compact JWS (RFC 7515), for the four algorithms of
 * `JWT_ALGORITHM`, on node:crypto's KeyObjects. Everything else about a token
 * (header, key choice, claims) is the codec's.
 *
 * ES256 signatures are the raw 64-byte R‖S of RFC 7518 §3.4 (`ieee-p1363`), not DER;
 * RS256 is RSASSA-PKCS1-v1_5 with SHA-256, node's default padding for RSA keys.
 */
const options = (alg: Exclude<JwtAlgorithm, 'HS256'>, key: KeyObject) =>
  alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
const digestOf = (alg: Exclude<JwtAlgorithm, 'HS256'>) => (alg === 'EdDSA' ? null : 'sha256');

/** The base64url signature of `signingInput` (`<header>.<payload>`). */
export function signJws(alg: JwtAlgorithm, key: KeyObject, signingInput: string): string {
  if (alg === 'HS256') return createHmac('sha256', key).update(signingInput).digest('base64url');
  return sign(digestOf(alg), Buffer.from(signingInput), options(alg, key)).toString('base64url');
}

/**
 * Whether `signature` (base64url, as written in the token) is `alg`'s signature of
 * `signingInput` under `key`. Only the canonical spelling passes (no padding, no
 * trailing bits), so a token has one valid text and the verified-token cache one key.
 */
export function verifyJws(alg: JwtAlgorithm, key: KeyObject, signingInput: string, signature: string): boolean {
  if (alg === 'HS256') {
    // Constant time over the canonical encoding: comparing the text compares the bytes too.
    const expected = Buffer.from(createHmac('sha256', key).update(signingInput).digest('base64url'));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
  const bytes = Buffer.from(signature, 'base64url');
  if (bytes.toString('base64url') !== signature) return false;
  try {
    return verify(digestOf(alg), Buffer.from(signingInput), options(alg, key), bytes);
  } catch {
    return false;
  }
}
