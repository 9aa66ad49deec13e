import { Injectable } from '@nestjs/common';
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../../platform/clock';
import { AppConfig, InjectConfig } from '../../platform/config/app-config';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import type { LoginResult } from '../../sessions/session-issuer.service';

/** A session handed out: with REFRESH_TOKEN_IN_BODY=false the refresh token is only in the cookie. */
export type HandedOut<T extends LoginResult> = T | Omit<T, 'refreshToken'>;

/** Only the auth routes ever see it: login, its second steps, SSO, refresh and logout live under this path. */
export const REFRESH_COOKIE_PATH = '/api/auth';

/**
 * `__Secure-` makes the browser refuse the cookie unless it is Secure and set over a secure
 * origin, so a man in the middle on plain http cannot plant one (RFC 6265bis §4.1.3.1).
 * `__Host-` would also forbid a Domain, but demands `Path=/`, which would send the token to every route.
 */
export const refreshCookieName = (secure: boolean): string => (secure ? '__Secure-authgate-refresh' : 'authgate-refresh');

/**
 * The refresh token in an httpOnly cookie (REFRESH_TOKEN_COOKIE, docs/security.md#refresh-cookie):
 * set beside the JSON body wherever a session is handed out, read by refresh and logout when
 * their body names no token, cleared by logout.
 */
@Injectable()
export class RefreshCookie {
  readonly enabled: boolean;
  readonly name: string;
  /** Whether the JSON bodies still carry the token (the API's shape); false keeps it from every script. */
  readonly inBody: boolean;
  private readonly secure: boolean;

  constructor(
    @InjectConfig() config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.enabled = config.refreshTokenCookie !== undefined;
    this.secure = config.refreshTokenCookie?.secure ?? true;
    this.name = refreshCookieName(this.secure);
    this.inBody = config.refreshTokenCookie?.inBody ?? true;
  }

  /**
   * Every answer that hands out a session (login, its second steps, SSO, refresh) goes
   * through here: the cookie beside the body, and the token out of the body when it must not
   * be there. A call in the handler, not an interceptor: Nest runs a handler that has no
   * interceptor without building an rxjs chain, and on refresh that chain cost a measurable
   * share of the throughput with the cookie mode off (docs/performance.md, 2026-12-02).
   */
  handOut<T extends LoginResult>(reply: FastifyReply, result: T): HandedOut<T> {
    if (!this.enabled) return result;
    this.set(reply, result.refreshToken, result.session.expiresAt);
    if (this.inBody) return result;
    const { refreshToken: _inTheCookie, ...body } = result;
    return body;
  }

  /** Lives exactly as long as the session may (its absolute limit), not a second more. */
  private set(reply: FastifyReply, refreshToken: string, sessionExpiresAt: string): void {
    const maxAge = Math.max(0, Math.floor((Date.parse(sessionExpiresAt) - this.clock.nowMs()) / 1000));
    void reply.setCookie(this.name, refreshToken, { ...this.attributes(), maxAge });
  }

  clear(reply: FastifyReply): void {
    void reply.clearCookie(this.name, this.attributes());
  }

  /**
   * The token the cookie carries, or undefined. A request that relies on the cookie alone
   * must say `Content-Type: application/json`: a cross-site form cannot send that, and a
   * script of another origin cannot without a CORS preflight this service refuses (415 otherwise).
   */
  tokenOf(request: FastifyRequest): string | undefined {
    if (!this.enabled) return undefined;
    const token = request.cookies?.[this.name];
    if (token === undefined || token === '') return undefined;
    if (!isJson(request.headers['content-type'])) {
      throw apiError(ApiErrorCode.UNSUPPORTED_MEDIA_TYPE, 'a request that sends the refresh token only in its cookie must be sent with Content-Type: application/json');
    }
    return token;
  }

  private attributes() {
    return { httpOnly: true, secure: this.secure, sameSite: 'strict', path: REFRESH_COOKIE_PATH } as const;
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && contentType.split(';')[0].trim().toLowerCase() === 'application/json';
}
