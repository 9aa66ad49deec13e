import { createHash, randomBytes } from 'node:crypto';

/**
 * Recovery codes: 10 per set, each 10 characters of Crockford's base32 alphabet
 * (no i, l, o, u: nothing to misread; 50 random bits), shown as `xxxxx-xxxxx`. 50 bits from a CSPRNG are
 * far beyond guessing within the login throttle, so a plain SHA-256 is the right
 * hash (a slow hash buys nothing against an unguessable value and would cost ten
 * bcrypt compares per attempt). Input is compared case-insensitively, with or
 * without the dash and surrounding spaces.
 */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const GROUP = 5;

function randomCode(): string {
  const bytes = randomBytes(GROUP * 2);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${out.slice(0, GROUP)}-${out.slice(GROUP)}`;
}

export function newRecoveryCodes(): string[] {
  const codes = new Set<string>();
  while (codes.size < RECOVERY_CODE_COUNT) codes.add(randomCode());
  return [...codes];
}

/** The canonical form: lowercase, no spaces or dashes; null when it cannot be a recovery code. */
export function normalizeRecoveryCode(input: string): string | null {
  const bare = input.trim().toLowerCase().replace(/[\s-]/g, '');
  return bare.length === GROUP * 2 && /^[a-z0-9]+$/.test(bare) ? bare : null;
}

export const hashRecoveryCode = (code: string): string => {
  const canonical = normalizeRecoveryCode(code);
  if (canonical === null) throw new Error('not a recovery code');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
};

