import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import { IS_PUBLIC } from '../../platform/http/public.decorator';

/** The global guard: every route needs a live bearer session unless marked `@Public()`. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  /** Per handler: its metadata is fixed once the routes are built, and reading it costs on every request. */
  private readonly publicHandlers = new WeakMap<object, boolean>();

  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    return this.isPublic(context) || super.canActivate(context);
  }

  private isPublic(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let isPublic = this.publicHandlers.get(handler);
    if (isPublic === undefined) {
      isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, context.getClass()]) === true;
      this.publicHandlers.set(handler, isPublic);
    }
    return isPublic;
  }

  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (err instanceof Error) throw err;
    if (err) throw apiError(ApiErrorCode.TOKEN_INVALID);
    if (!user) {
      const expired = info instanceof Error && info.name === 'TokenExpiredError';
      throw apiError(expired ? ApiErrorCode.TOKEN_EXPIRED : ApiErrorCode.TOKEN_INVALID);
    }
    return user;
  }
}
