import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for the TOTP secrets at rest. The stored text is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url): a database dump alone cannot produce
 * codes, and a tampered value fails to open rather than yielding another secret.
 * `context` (the factor's user id) is bound as additional data, so a ciphertext
 * copied onto another user's row does not open either.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
export const MFA_KEY_BYTES = 32;

export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== MFA_KEY_BYTES) throw new Error(`the MFA encryption key must be ${MFA_KEY_BYTES} bytes`);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /**
   * Throws SealedSecretUnreadable when the value was not sealed with this key and context.
   * The request that meets it answers 500 INTERNAL_ERROR; the log line names the variable,
   * because the usual cause is an operator's (a new MFA_ENCRYPTION_KEY, or another
   * environment's), and OpenSSL's own words for it ("unable to authenticate data") do not say so.
   */
  open(sealed: string, context: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || body === undefined) throw new SealedSecretUnreadable('it is not a v1 sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedSecretUnreadable('MFA_ENCRYPTION_KEY is not the key it was sealed with, or the stored value was altered');
    }
  }
}

export class SealedSecretUnreadable extends Error {
  constructor(why: string) {
    super(`a sealed MFA secret did not open: ${why}`);
    this.name = 'SealedSecretUnreadable';
  }
}
