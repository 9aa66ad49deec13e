import type { IncomingHttpHeaders } from 'node:http';

/** The token of `Authorization: Bearer <token>` (scheme in any case), else null. */
export function bearerTokenOf(headers: IncomingHttpHeaders): string | null {
  const value = headers.authorization;
  if (typeof value !== 'string') return null;
  const match = /^\s*(\S+)\s+(\S+)/.exec(value);
  return match && match[1].toLowerCase() === 'bearer' ? match[2] : null;
}
