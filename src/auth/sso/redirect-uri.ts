/** Hosts allowed for `redirectUri` when SSO_REDIRECT_URIS is unset (development only). */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1']);

function parse(uri: string): URL | null {
  try {
    return new URL(uri);
  } catch {
    return null;
  }
}

/**
 * Whether the SPA may have WorkOS send the user (and the authorization code) to
 * `uri`. With an allow-list, only an exact entry (compared after URL
 * normalisation, so `HTTP://App.example/cb` equals `http://app.example/cb`).
 * Without one, only plain-http loopback addresses: the host is what the URL
 * parser says, so `http://localhost.evil.example` or `http://localhost@evil.example`
 * are not loopback. Credentials and fragments are never allowed.
 */
export function isAllowedRedirectUri(uri: string, allowList: readonly string[] | null): boolean {
  const url = parse(uri);
  if (!url || url.username !== '' || url.password !== '' || uri.includes('#')) return false;
  if (allowList === null) return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  return allowList.some((entry) => parse(entry)?.href === url.href);
}
