/**
 * How emails and user names are compared (docs/security.md, "Input, output and logs"):
 * trim, then lower-case ASCII letters only.
 * Deliberately not `toLowerCase()` or NFKC: a Kelvin sign (U+212A) or a
 * fullwidth letter must never become the ASCII letter it looks like.
 */
export const normalizeEmail = (email: string): string =>
  email.trim().replace(/[A-Z]/g, (c) => c.toLowerCase());

export const normalizeUserName = normalizeEmail;
