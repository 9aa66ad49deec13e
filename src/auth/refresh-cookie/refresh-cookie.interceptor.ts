import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';
import type { LoginResult } from '../../sessions/session-issuer.service';
import { RefreshCookie } from './refresh-cookie';

type Answer = LoginResult | Omit<LoginResult, 'refreshToken'>;

/**
 * On every answer that hands out a session (login, its second steps, SSO, refresh): the
 * refresh cookie beside the body, and with REFRESH_TOKEN_IN_BODY=false the token out of the body.
 */
@Injectable()
export class RefreshCookieInterceptor implements NestInterceptor<LoginResult, Answer> {
  constructor(private readonly cookie: RefreshCookie) {}

  intercept(context: ExecutionContext, next: CallHandler<LoginResult>): Observable<Answer> {
    if (!this.cookie.enabled) return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((result): Answer => {
        this.cookie.set(reply, result.refreshToken, result.session.expiresAt);
        if (this.cookie.inBody) return result;
        const { refreshToken: _inTheCookie, ...body } = result;
        return body;
      }),
    );
  }
}
