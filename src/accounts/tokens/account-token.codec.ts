import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe (it travels in a link's query string). */
export const generateAccountToken = (): string => randomBytes(32).toString('base64url');

/** A token is 43 base64url characters; anything else is refused before the database is asked. */
export const isWellFormedAccountToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);

/** What the database keeps instead of the token. */
export const hashAccountToken = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();
