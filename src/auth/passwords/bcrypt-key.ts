/** bcrypt reads at most 72 bytes; anything longer would be silently truncated. */
export const BCRYPT_MAX_BYTES = 72;

/**
 * The 72 bytes bcrypt actually keys on: the password's UTF-8 bytes and a NUL
 * terminator, repeated. Two passwords with the same key share every hash.
 */
function keyBytes(password: Buffer): Buffer {
  const unit = Buffer.concat([password, Buffer.from([0])]);
  const key = Buffer.alloc(BCRYPT_MAX_BYTES);
  for (let i = 0; i < BCRYPT_MAX_BYTES; i++) key[i] = unit[i % unit.length];
  return key;
}

/**
 * Whether bcrypt sees every byte of `password` as part of a distinct password.
 *
 * Without a NUL byte it does when the password fits in 72 bytes. With one, bcrypt's
 * terminator-and-repeat key schedule makes `p + "\0" + p` (and `p\0p\0p`, …) the
 * very same key as `p`: such a password would open the account whose password is
 * `p`. It is "distinct" only when no shorter prefix ending at one of its NULs
 * yields the same key, i.e. when it is the shortest spelling of its key.
 */
export function isDistinctBcryptPassword(password: string): boolean {
  const bytes = Buffer.from(password, 'utf8');
  if (bytes.length > BCRYPT_MAX_BYTES) return false;
  if (!bytes.includes(0)) return true;
  const full = keyBytes(bytes);
  for (let at = bytes.indexOf(0); at !== -1; at = bytes.indexOf(0, at + 1)) {
    if (keyBytes(bytes.subarray(0, at)).equals(full)) return false;
  }
  return true;
}
