import { Injectable } from '@nestjs/common';
import { BoundedMap } from '../platform/bounded-map';
import { Clock } from '../platform/clock';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import { JWT_ALGORITHMS } from '../platform/config/jwk-set';
import { verifyJws, signJws } from './jws-signature';
import { KeyRing } from './key-ring';
import { audiences, TokenKind } from './token-audiences';

/**
 * Why a token was refused. Each kind's caller maps these to its own answer
 * (TOKEN_INVALID / TOKEN_EXPIRED, IMPERSONATION_TOKEN_INVALID with an audit reason, INVALID_STATE).
 */
export type TokenRefusal =
  /** Not a compact JWS of two JSON objects. */
  | 'malformed'
  /** `alg` is not the named key's algorithm (`none` included), or the header has `crit`. */
  | 'algorithm'
  /** No `kid`, or one naming no key of ours. */
  | 'unknown_key'
  | 'signature'
  | 'issuer'
  /** Another kind of token: each kind has an audience of its own. */
  | 'audience'
  /** `exp` missing, or a date claim (`exp`, `iat`, `nbf`) that is not a NumericDate in range. */
  | 'claims'
  | 'not_yet_valid'
  | 'expired';

export type TokenClaims = Record<string, unknown> & { exp: number };

export type TokenVerdict =
  | { ok: true; claims: TokenClaims }
  /** `claims` is present once the signature, issuer and audience were ours: the refusal can be attributed. */
  | { ok: false; why: TokenRefusal; claims?: Record<string, unknown> };

/** What a caller signs: its own claims plus `iat` and `exp` (seconds); the codec adds `iss` and `aud`. */
export type ClaimsToSign = Record<string, unknown> & { iat: number; exp: number };

/**
 * The latest NumericDate accepted (9999-12-31T23:59:59Z). Beyond it `new Date(exp * 1000)`
 * is invalid and every deadline computed from it throws: a token with `exp: 1e20` was
 * answered 500. Refusing it here keeps every kind's answer a 401.
 */
const MAX_NUMERIC_DATE = 253_402_300_799;
const isNumericDate = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_NUMERIC_DATE;

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
const encodeObject = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Bearer tokens are presented again and again with the same text; the single-use kinds never are. */
const CACHED_KINDS: ReadonlySet<TokenKind> = new Set<TokenKind>(['access', 'workspace']);

/**
 * The one way a JWT is signed or verified here, for every kind (access, workspace,
 * impersonation, SSO state): one header rule, one `kid` rule, one set of claim rules,
 * time from the injected Clock.
 *
 * Verification is one pass: the header is decoded once, the key is the one its `kid`
 * names (and its `alg` must be that key's), any `crit` is refused (RFC 7515 §4.1.11: we
 * understand no extension), the signature is checked over the canonical encoding, the
 * payload parsed once; then issuer, the kind's audience, `exp` required, date claims in
 * range, `nbf`, expiry. A bearer token that passed the time-independent checks is
 * remembered by its exact text, so the next request with it pays only the expiry check
 * (decoding and the HMAC were the largest part of `me`: docs/performance.md).
 *
 * Why not `@nestjs/jwt` (jsonwebtoken) here: it has no EdDSA, decodes a token three
 * times, judges expiry by the wall clock unless told otherwise per call, and accepts
 * `crit`; each of those is a rule this codec holds for every token kind. The package
 * stays declared, unused: nothing signs or verifies through it (docs/architecture.md,
 * "The layers", tokens).
 */
@Injectable()
export class TokenCodec {
  private readonly issuer: string;
  private readonly audience: Record<TokenKind, string>;
  /** About 0.7 KiB an entry; bounded so the heap is (the service runs with a capped old space). */
  private readonly verified = new BoundedMap<string, TokenClaims>(10_000);

  constructor(
    private readonly keys: KeyRing,
    private readonly clock: Clock,
    @InjectConfig() config: AppConfig,
  ) {
    this.issuer = config.jwt.issuer;
    this.audience = audiences(config.jwt.audience);
  }

  /** Signs `claims` as a token of `kind` with the current key, naming it in `kid`. */
  sign(kind: TokenKind, claims: ClaimsToSign): string {
    if (!isNumericDate(claims.iat) || !isNumericDate(claims.exp)) throw new RangeError('iat and exp must be NumericDates');
    const header = { alg: this.keys.algorithm, typ: 'JWT', kid: this.keys.signingKid };
    const input = `${encodeObject(header)}.${encodeObject({ ...claims, iss: this.issuer, aud: this.audience[kind] })}`;
    return `${input}.${signJws(this.keys.algorithm, this.keys.signingKey, input)}`;
  }

  /** Checks `token` as a token of `kind` at the clock's now (or `nowMs`). */
  verify(kind: TokenKind, token: string, nowMs = this.clock.nowMs()): TokenVerdict {
    const cacheKey = CACHED_KINDS.has(kind) ? `${kind}:${token}` : undefined;
    let claims = cacheKey === undefined ? undefined : this.verified.get(cacheKey);
    if (claims === undefined) {
      const checked = this.checkTimeless(kind, token);
      if (!checked.ok) return checked;
      claims = checked.claims;
      if (cacheKey !== undefined) this.verified.set(cacheKey, claims);
    }
    const nowSeconds = nowMs / 1000;
    if (claims.nbf !== undefined && (claims.nbf as number) > nowSeconds) return { ok: false, why: 'not_yet_valid', claims };
    if (nowSeconds >= claims.exp) return { ok: false, why: 'expired', claims };
    return { ok: true, claims };
  }

  /** Everything that does not depend on the time: what the cache may remember. */
  private checkTimeless(kind: TokenKind, token: string): { ok: true; claims: TokenClaims } | Extract<TokenVerdict, { ok: false }> {
    const first = token.indexOf('.');
    const second = token.indexOf('.', first + 1);
    if (first <= 0 || second < 0 || token.indexOf('.', second + 1) !== -1) return { ok: false, why: 'malformed' };
    const header = decodeObject(token.slice(0, first));
    if (!header) return { ok: false, why: 'malformed' };
    if (!(JWT_ALGORITHMS as readonly unknown[]).includes(header.alg) || header.crit !== undefined) return { ok: false, why: 'algorithm' };
    const key = this.keys.verificationKey(header.kid);
    if (!key) return { ok: false, why: 'unknown_key' };
    if (header.alg !== key.alg) return { ok: false, why: 'algorithm' };
    if (!verifyJws(key.alg, key.key, token.slice(0, second), token.slice(second + 1))) return { ok: false, why: 'signature' };
    const claims = decodeObject(token.slice(first + 1, second));
    if (!claims) return { ok: false, why: 'malformed' };
    if (claims.iss !== this.issuer) return { ok: false, why: 'issuer' };
    const aud = claims.aud;
    const audience = this.audience[kind];
    if (aud !== audience && !(Array.isArray(aud) && aud.includes(audience))) return { ok: false, why: 'audience' };
    if (!isNumericDate(claims.exp)) return { ok: false, why: 'claims', claims };
    for (const name of ['iat', 'nbf'] as const) {
      if (claims[name] !== undefined && !isNumericDate(claims[name])) return { ok: false, why: 'claims', claims };
    }
    return { ok: true, claims: claims as TokenClaims };
  }
}
