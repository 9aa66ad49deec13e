import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { map, Observable } from 'rxjs';
import type { LoginResult } from '../../sessions/session-issuer.service';
import { RefreshCookie } from './refresh-cookie';

/** On every answer that hands out a session (login, its second steps, SSO, refresh): the refresh cookie beside the body. */
@Injectable()
export class RefreshCookieInterceptor implements NestInterceptor<LoginResult, LoginResult> {
  constructor(private readonly cookie: RefreshCookie) {}

  intercept(context: ExecutionContext, next: CallHandler<LoginResult>): Observable<LoginResult> {
    if (!this.cookie.enabled) return next.handle();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((result) => {
        this.cookie.set(reply, result.refreshToken, result.session.expiresAt);
        return result;
      }),
    );
  }
}
