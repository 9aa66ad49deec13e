import type { IncomingHttpHeaders } from 'node:http';
import { Strategy } from 'passport-strategy';

/** The token of `Authorization: Bearer <token>` (scheme in any case), else null. */
export function bearerTokenOf(headers: IncomingHttpHeaders): string | null {
  const value = headers.authorization;
  if (typeof value !== 'string') return null;
  const match = /^\s*(\S+)\s+(\S+)/.exec(value);
  return match && match[1].toLowerCase() === 'bearer' ? match[2] : null;
}

type Verified = (err: unknown, principal?: unknown) => void;

/**
 * A Passport strategy for bearer tokens: the verify callback (the Nest
 * strategy's `validate`) gets the raw token and answers a principal, or throws.
 * No token fails the request; so does a principal of `false`.
 */
export class BearerTokenStrategy extends Strategy {
  constructor(private readonly verify: (token: string, done: Verified) => void) {
    super();
  }

  override authenticate(req: Parameters<Strategy['authenticate']>[0]): void {
    const token = bearerTokenOf(req.headers);
    if (token === null) return this.fail(401);
    this.verify(token, (err, principal) => {
      if (err) this.error(err as Error);
      else if (!principal) this.fail(401);
      else this.success(principal);
    });
  }
}
