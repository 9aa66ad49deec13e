/** What the authorized fetch needs from the client. */
export interface AuthorizedFetchDeps {
  /** The current access token, renewed first when it is about to expire; null when signed out. */
  getAccessToken(): Promise<string | null>;
  /** After the API refused `rejected`: a newer token (another tab's, or a refresh), or null. */
  renewAfterRejection(rejected: string): Promise<string | null>;
  fetch: typeof fetch;
  /** Whether the access token may be sent to this URL. */
  mayReceiveToken(url: URL): boolean;
}

/** The origins the token goes to by default: the page's own and authgate's. */
export function defaultApiOrigins(baseUrl: string): string[] {
  const page = typeof location !== 'undefined' ? location.origin : null;
  const origins = page ? [page] : [];
  if (/^https?:\/\//.test(baseUrl)) origins.push(new URL(baseUrl).origin);
  return origins;
}

/** RFC 6750 §3.1: the resource server says the token is expired, revoked or otherwise not valid. */
const saysInvalidToken = (res: Response): boolean => /\binvalid_token\b/.test(res.headers.get('www-authenticate') ?? '');

function withBearer(request: Request, token: string | null): Request {
  if (!token) return request;
  const headers = new Headers(request.headers);
  headers.set('authorization', `Bearer ${token}`);
  return new Request(request, { headers });
}

/**
 * A `fetch` for the product's own API: the same arguments and answer as `fetch`, with
 * `Authorization: Bearer <access token>` added. The token is renewed before the request
 * when it is about to expire, and once more when the API answers 401 with
 * `WWW-Authenticate: Bearer error="invalid_token"` (the request is then sent again with
 * the new token). Signed out, the request goes without a token. It refuses to send a
 * token to an origin that is not listed (`apiOrigins`), so a URL built from user input
 * cannot leak it.
 */
export function authorizedFetch(deps: AuthorizedFetchDeps): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!deps.mayReceiveToken(url)) {
      throw new TypeError(`@authgate/client: not sending the access token to ${url.origin}; list the origin in the apiOrigins option`);
    }
    const token = await deps.getAccessToken();
    const again = token ? request.clone() : null; // a body can be read once
    const first = await deps.fetch(withBearer(request, token));
    if (first.status !== 401 || !again || !token || !saysInvalidToken(first)) return first;
    const renewed = await deps.renewAfterRejection(token);
    if (!renewed || renewed === token) return first;
    return deps.fetch(withBearer(again, renewed));
  };
}
