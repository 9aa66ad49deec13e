import { createPrivateKey, createPublicKey, createSecretKey, JsonWebKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, InjectConfig } from '../platform/config/app-config';
import type { JwtAlgorithm } from '../platform/config/jwk-set';

/** A key that may have signed a token we accept: the token's header must name its `kid` and its `alg`. */
export interface VerificationKey {
  alg: JwtAlgorithm;
  key: KeyObject;
}

/** A public key as `/.well-known/jwks.json` publishes it: never a private member, never an HMAC secret. */
export interface PublicJwk extends JsonWebKey {
  kid: string;
  alg: JwtAlgorithm;
  use: 'sig';
}

/**
 * Every key the service signs or verifies a JWT with, by `kid`.
 *
 * HS256 (the default): `JWT_SECRET` signs, `JWT_PREVIOUS_SECRETS` still verify, and
 * nothing is published (a resource server holding the secret could mint tokens).
 * EdDSA, ES256, RS256: the first key of `JWT_PRIVATE_KEYS` signs; every key of the set
 * verifies and is published, so a key can be added before it signs and kept after, which
 * is what rotating without signing anyone out needs (docs/resource-servers.md). HMAC
 * secrets are not accepted then: whoever holds one must not be able to mint a token.
 *
 * Keys are node:crypto KeyObjects, built once: a string or JWK re-parsed per call was
 * most of the verification cost (docs/performance.md).
 */
@Injectable()
export class KeyRing {
  readonly algorithm: JwtAlgorithm;
  readonly signingKid: string;
  readonly signingKey: KeyObject;
  readonly publicJwks: readonly PublicJwk[];
  private readonly byKid = new Map<string, VerificationKey>();

  constructor(@InjectConfig() config: AppConfig) {
    this.algorithm = config.jwt.algorithm ?? 'HS256';
    const privateKeys = config.jwt.privateKeys ?? [];
    if (this.algorithm === 'HS256') {
      this.signingKid = config.jwt.current.kid;
      this.signingKey = createSecretKey(Buffer.from(config.jwt.current.secret, 'utf8'));
      this.byKid.set(this.signingKid, { alg: 'HS256', key: this.signingKey });
      for (const { kid, secret } of config.jwt.previous) {
        if (!this.byKid.has(kid)) this.byKid.set(kid, { alg: 'HS256', key: createSecretKey(Buffer.from(secret, 'utf8')) });
      }
      this.publicJwks = [];
      return;
    }
    if (privateKeys.length === 0) throw new Error(`JWT_PRIVATE_KEYS: no key for JWT_ALGORITHM=${this.algorithm}`);
    const published: PublicJwk[] = [];
    for (const jwk of privateKeys) {
      const publicKey = createPublicKey(createPrivateKey({ key: jwk, format: 'jwk' }));
      this.byKid.set(jwk.kid, { alg: jwk.alg, key: publicKey });
      published.push(Object.freeze({ ...publicKey.export({ format: 'jwk' }), kid: jwk.kid, alg: jwk.alg, use: 'sig' as const }));
    }
    const first = privateKeys[0];
    if (first.alg !== this.algorithm) throw new Error(`JWT_PRIVATE_KEYS: the first key (kid ${first.kid}) is ${first.alg}, JWT_ALGORITHM is ${this.algorithm}`);
    this.signingKid = first.kid;
    this.signingKey = createPrivateKey({ key: first, format: 'jwk' });
    this.publicJwks = Object.freeze(published);
  }

  /** The key named by a token's `kid`: one rule for every kind of token, so no `kid` (or a non-string one) finds none. */
  verificationKey(kid: unknown): VerificationKey | undefined {
    return typeof kid === 'string' ? this.byKid.get(kid) : undefined;
  }
}
