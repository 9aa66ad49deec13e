import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const FORMAT = /^rt_[0-9a-f]{32}$/;

/** `rt_` + 32 lowercase hex characters: 128 random bits. */
export const generateRefreshToken = (): string => `rt_${randomBytes(16).toString('hex')}`;

export const isWellFormedRefreshToken = (token: string): boolean => FORMAT.test(token);

/** What the database keeps instead of the token. */
export const hashRefreshToken = (token: string): Buffer => createHash('sha256').update(token).digest();

/** A key only the holder of `token` can derive: distinct from the stored hash by its domain prefix. */
const sealingKey = (token: string): Buffer => createHash('sha256').update('authgate:seal:').update(token).digest();

/** Encrypts `successor` so that only whoever presents `token` again can read it back. */
export function sealSuccessor(token: string, successor: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(token), iv);
  const body = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function unsealSuccessor(token: string, sealed: Buffer): string | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(token), sealed.subarray(0, 12));
    decipher.setAuthTag(sealed.subarray(12, 28));
    return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}
