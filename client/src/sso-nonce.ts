import type { StorageLike } from './tab-bus';

/** sessionStorage when the browser offers it: per tab, and it survives the round trip to WorkOS. */
export function defaultSessionStorage(): StorageLike | null {
  try {
    return typeof sessionStorage !== 'undefined' ? sessionStorage : null;
  } catch {
    return null; // storage blocked (privacy settings, sandboxed iframe)
  }
}

/** 32 random bytes, base64url. */
function randomNonce(): string {
  let binary = '';
  for (const byte of crypto.getRandomValues(new Uint8Array(32))) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The SSO sign-in's browser binding. Starting a sign-in makes a fresh random
 * `browserNonce`, sent to authorize (whose state carries its hash) and kept in this
 * tab's sessionStorage; finishing it presents the nonce again, once. The server refuses
 * a code and state started in another browser (SSO_BROWSER_MISMATCH), so a link an
 * attacker planted on the redirect URI cannot sign this browser into their account.
 * Without storage the nonce lives in memory: the sign-in must then finish in the same page.
 */
export class SsoNonce {
  private inMemory: string | null = null;

  constructor(
    private readonly storage: StorageLike | null,
    private readonly key: string,
  ) {}

  /** A fresh nonce for a sign-in that starts now (it replaces any earlier one). */
  create(): string {
    const nonce = randomNonce();
    this.inMemory = nonce;
    try {
      this.storage?.setItem(this.key, nonce);
    } catch {
      // full or blocked storage: the copy in memory is left
    }
    return nonce;
  }

  /** The nonce of the sign-in being finished, forgotten as it is handed out; undefined when this tab started none. */
  take(): string | undefined {
    let nonce = this.inMemory;
    try {
      nonce = this.storage?.getItem(this.key) ?? nonce;
      this.storage?.removeItem(this.key);
    } catch {
      // blocked storage: the copy in memory is all there is
    }
    this.inMemory = null;
    return nonce ?? undefined;
  }
}
