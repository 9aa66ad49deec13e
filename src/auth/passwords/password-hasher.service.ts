import { Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';
import bcryptjs from 'bcryptjs';
import { AppConfig, InjectConfig } from '../../config/app-config';

/** bcrypt reads at most 72 bytes; anything longer would be silently truncated. */
export const BCRYPT_MAX_BYTES = 72;

const HASH_PATTERN = /^\$2[abxy]\$(\d{2})\$[./A-Za-z0-9]{53}$/;

export const costOfHash = (hash: string): number | null => {
  const match = HASH_PATTERN.exec(hash);
  return match ? Number(match[1]) : null;
};

export const isBcryptHash = (hash: string): boolean => HASH_PATTERN.test(hash);

/**
 * bcrypt, with the contract's edges made explicit:
 * - passwords over 72 bytes never match (no silent truncation);
 * - a password containing NUL is compared in full: the native binding stops at
 *   the first NUL, so those go through bcryptjs, which hashes every byte;
 * - a miss on an unknown account still costs one compare (`burn`).
 */
@Injectable()
export class PasswordHasher {
  private readonly dummyHash: string;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    this.dummyHash = bcrypt.hashSync('timing-equaliser-not-a-password', config.bcryptCost);
  }

  get cost(): number {
    return this.config.bcryptCost;
  }

  /** Whether `password` can be hashed without losing any of it. */
  static isHashable(password: string): boolean {
    return Buffer.byteLength(password, 'utf8') <= BCRYPT_MAX_BYTES;
  }

  async hash(password: string): Promise<string> {
    if (!PasswordHasher.isHashable(password)) {
      throw new RangeError(`passwords are limited to ${BCRYPT_MAX_BYTES} bytes`);
    }
    return password.includes('\0') ? bcryptjs.hash(password, this.cost) : bcrypt.hash(password, this.cost);
  }

  /** Constant work whatever the input: a too-long password still costs a compare. */
  async verify(password: string, hash: string | null): Promise<boolean> {
    if (!hash || !isBcryptHash(hash) || !PasswordHasher.isHashable(password)) {
      await this.burn();
      return false;
    }
    if (password.includes('\0')) return bcryptjs.compare(password, hash);
    return bcrypt.compare(password, hash);
  }

  /** Spend one compare's worth of time, for accounts that do not exist. */
  async burn(): Promise<void> {
    await bcrypt.compare('timing-equaliser-probe', this.dummyHash);
  }

  /** Lower cost than configured, or the legacy `$2a$`/`$2y$` prefix. */
  needsRehash(hash: string): boolean {
    const cost = costOfHash(hash);
    return cost === null || cost < this.cost || !hash.startsWith('$2b$');
  }
}
