import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The common-password list: zxcvbn-ts's `passwords-common` dictionary (about
 * 49,000 of the most used passwords, MIT licensed), shipped inside the npm
 * package and read from disk once at start-up: nothing is downloaded at run time.
 * Lower-cased, so the comparison ignores case ("Password1234" is as weak as "password1234").
 */
let list: ReadonlySet<string> | undefined;

export function commonPasswords(): ReadonlySet<string> {
  list ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return list;
}

export const isCommonPassword = (password: string): boolean => commonPasswords().has(password.toLowerCase());
