/**
 * The security headers of every answer: what Helmet 8's defaults send, plus
 * `frame-ancestors 'none'` (an API is never framed) and without
 * `upgrade-insecure-requests` (it would break Swagger UI on http://localhost).
 * Swagger UI needs exactly this policy (its own scripts, inline styles, data: icons).
 *
 * A constant object set with one call per request, rather than @fastify/helmet:
 * Helmet rebuilds its headers for every request, which halved the throughput of
 * the cheapest routes and grew the heap under load (docs/performance.md).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': [
    "default-src 'self'",
    "base-uri 'self'",
    "font-src 'self' https: data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "img-src 'self' data:",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self' https: 'unsafe-inline'",
  ].join(';'),
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});
