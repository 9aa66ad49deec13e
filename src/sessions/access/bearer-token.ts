import type { IncomingHttpHeaders } from 'node:http';

/**
 * `Authorization: Bearer <b64token>` exactly (RFC 6750 §2.1: the scheme in any case, one
 * space, one token, nothing after it). `Bearer <token> junk` is refused, not read as
 * `<token>`: what a client sends must mean one thing to every party that reads it
 * (test/http/strictness.e2e.ts).
 */
const BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] ([A-Za-z0-9\-._~+/]+=*)$/;

/** The token of `Authorization: Bearer <token>`, else null. */
export function bearerTokenOf(headers: IncomingHttpHeaders): string | null {
  const value = headers.authorization;
  if (typeof value !== 'string') return null;
  return BEARER.exec(value)?.[1] ?? null;
}
