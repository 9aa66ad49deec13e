/**
 * Tokens whose signature, issuer and audience have been checked, by their exact
 * text, so an SPA presenting the same access token on every request pays for the
 * check once (decoding and the HMAC were the largest part of `me`:
 * docs/performance.md). What changes with time is still checked on every
 * request by the caller: expiry, and the session's liveness. Bounded; the
 * oldest entry leaves first.
 */
export class VerifiedTokenCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly maxEntries: number) {}

  get(token: string): T | undefined {
    return this.entries.get(token);
  }

  set(token: string, value: T): void {
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, value);
  }

  get size(): number {
    return this.entries.size;
  }
}
