import { BCRYPT_MAX_BYTES } from '../../auth/passwords/bcrypt-key';
import { isCommonPassword } from './common-passwords';

export const MIN_PASSWORD_CHARACTERS = 12;
export const MAX_PASSWORD_BYTES = BCRYPT_MAX_BYTES;
/** Shorter parts of an email or a user name are left alone: "Al" may well be inside a good password. */
const MIN_IDENTIFIER_PART = 4;

export enum WeakPasswordReason {
  TOO_SHORT = 'TOO_SHORT',
  TOO_LONG = 'TOO_LONG',
  TOO_COMMON = 'TOO_COMMON',
  CONTAINS_IDENTIFIER = 'CONTAINS_IDENTIFIER',
}

export interface PasswordViolation {
  reason: WeakPasswordReason;
  message: string;
}

/** Whose password it is: a password may not contain their email or user name. */
export interface PasswordOwner {
  email: string;
  userName: string | null;
}

const identifierParts = (owner: PasswordOwner): string[] => {
  const email = owner.email.toLowerCase();
  const local = email.split('@')[0] ?? '';
  return [email, local, owner.userName?.toLowerCase() ?? ''].filter((part) => part.length >= MIN_IDENTIFIER_PART);
};

/**
 * The rules wherever a password is set (change, reset, invitation): at least 12
 * characters (code points, so an emoji counts once), at most 72 bytes in UTF-8
 * (what bcrypt reads; a longer one would be cut silently), not one of the common
 * passwords, and not containing the owner's email, its local part or their user name.
 * Returns every rule broken (empty: the password is acceptable).
 */
export function passwordViolations(password: string, owner: PasswordOwner): PasswordViolation[] {
  const violations: PasswordViolation[] = [];
  if ([...password].length < MIN_PASSWORD_CHARACTERS) {
    violations.push({ reason: WeakPasswordReason.TOO_SHORT, message: `must be at least ${MIN_PASSWORD_CHARACTERS} characters long` });
  }
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) {
    violations.push({ reason: WeakPasswordReason.TOO_LONG, message: `must be at most ${MAX_PASSWORD_BYTES} bytes in UTF-8` });
  }
  if (isCommonPassword(password)) {
    violations.push({ reason: WeakPasswordReason.TOO_COMMON, message: 'is one of the most common passwords' });
  }
  const lower = password.toLowerCase();
  if (identifierParts(owner).some((part) => lower.includes(part))) {
    violations.push({ reason: WeakPasswordReason.CONTAINS_IDENTIFIER, message: 'must not contain your email address or user name' });
  }
  return violations;
}
