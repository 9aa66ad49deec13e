/**
 * RFC 6750 §3: every 401 of a route that takes a bearer token says how to
 * authenticate. A request with no token gets the bare challenge (§3.1: no error
 * code then); a refused token gets `error="invalid_token"` (§3.1; docs/resource-servers.md).
 */
export const BEARER_CHALLENGE = 'Bearer realm="authgate"';
export const INVALID_TOKEN_CHALLENGE = 'Bearer error="invalid_token"';

/** Set on a request by the access guard when its route takes a bearer token. */
export const BEARER_ROUTE = Symbol('authgate.bearerRoute');

export const isBearerRoute = (request: object): boolean => (request as { [BEARER_ROUTE]?: boolean })[BEARER_ROUTE] === true;
export const markBearerRoute = (request: object): void => {
  (request as { [BEARER_ROUTE]?: boolean })[BEARER_ROUTE] = true;
};
