import bcrypt from 'bcrypt';

/**
 * The bcrypt implementation the password hasher runs: the native binding, always.
 * A provider of its own so a test can count the work a login runs by overriding it
 * (test/auth/refused-login-cost.e2e.ts); the lint keeps pure-JS bcrypt out of src/.
 */
export const BCRYPT = Symbol('BCRYPT');

export type BcryptBinding = Pick<typeof bcrypt, 'hash' | 'hashSync' | 'compare'>;

export const nativeBcrypt: BcryptBinding = bcrypt;
