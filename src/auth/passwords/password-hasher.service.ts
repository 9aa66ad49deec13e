import { Inject, Injectable, Optional } from '@nestjs/common';
import { AppConfig, InjectConfig } from '../../platform/config/app-config';
import { MetricsService } from '../../platform/metrics/metrics.service';
import { BCRYPT, BcryptBinding, nativeBcrypt } from './bcrypt-binding';
import { BCRYPT_MAX_BYTES, isDistinctBcryptPassword } from './bcrypt-key';

/** `$2a$`, `$2b$` and `$2y$` are one algorithm (`$2y$` is PHP's name for `$2b$`). `$2x$` is the buggy variant: refused. */
const HASH_PATTERN = /^\$2[aby]\$(\d{2})\$[./A-Za-z0-9]{53}$/;

export const costOfHash = (hash: string): number | null => {
  const match = HASH_PATTERN.exec(hash);
  return match ? Number(match[1]) : null;
};

export const isBcryptHash = (hash: string): boolean => HASH_PATTERN.test(hash);

/** The native binding knows only `$2a$`/`$2b$`; a `$2y$` hash is the same hash under another name. */
const asNativePrefix = (hash: string): string => (hash.startsWith('$2y$') ? `$2b$${hash.slice(4)}` : hash);

/**
 * bcrypt, with its edges made explicit (docs/security.md, "Authentication"):
 * - passwords over 72 bytes never match (no silent truncation);
 * - a password containing NUL is compared in full (the native binding hashes
 *   every byte of it, NUL included, since bcrypt 6), and one that bcrypt's key
 *   schedule would confuse with a shorter password (`p\0p` is `p` to bcrypt)
 *   never matches (see bcrypt-key.ts);
 * - every verification is the same work: one compare by the native binding at
 *   the configured cost, whether the account exists, the hash is usable or the
 *   password is refused before hashing. The implementation never depends on the
 *   input: pure-JS bcrypt for NUL passwords of real accounts and the native one
 *   for unknown accounts told 80 of 80 accounts apart
 *   (test/auth/refused-login-cost.e2e.ts).
 */
@Injectable()
export class PasswordHasher {
  private readonly dummyHash: string;

  /** `metrics` and `bcrypt`: absent in the tools that hash outside the service (the seed, the fixture loader). */
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @Optional() private readonly metrics?: MetricsService,
    @Optional() @Inject(BCRYPT) private readonly bcrypt: BcryptBinding = nativeBcrypt,
  ) {
    this.dummyHash = this.bcrypt.hashSync('timing-equaliser-not-a-password', config.bcryptCost);
  }

  get cost(): number {
    return this.config.bcryptCost;
  }

  /** Whether `password` can be hashed without bcrypt losing or confusing any of it. */
  static isHashable(password: string): boolean {
    return isDistinctBcryptPassword(password);
  }

  async hash(password: string): Promise<string> {
    if (!PasswordHasher.isHashable(password)) {
      throw new RangeError(
        `passwords are limited to ${BCRYPT_MAX_BYTES} bytes and must not repeat themselves after a NUL character`,
      );
    }
    return this.bcrypt.hash(password, this.cost);
  }

  /** One compare whatever the input: an unknown account or a refused password still costs one. */
  async verify(password: string, hash: string | null): Promise<boolean> {
    if (!hash || !isBcryptHash(hash) || !PasswordHasher.isHashable(password)) {
      await this.burn();
      return false;
    }
    return this.compare(password, asNativePrefix(hash));
  }

  /** Spend one compare's worth of time, for accounts that do not exist. */
  async burn(): Promise<void> {
    await this.compare('timing-equaliser-probe', this.dummyHash);
  }

  /** Lower cost than configured, or the legacy `$2a$`/`$2y$` prefix. */
  needsRehash(hash: string): boolean {
    const cost = costOfHash(hash);
    return cost === null || cost < this.cost || !hash.startsWith('$2b$');
  }

  /** The single place bcrypt work happens on the login path, counted in authgate_password_checks_total. */
  protected compare(password: string, hash: string): Promise<boolean> {
    this.metrics?.passwordCheck();
    return this.bcrypt.compare(password, hash);
  }
}
