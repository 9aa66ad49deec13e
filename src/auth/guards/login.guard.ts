import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError } from '../../platform/errors/api.exception';
import { ApiValidationPipe, validationFailed } from '../../platform/http/api-validation.pipe';
import { LoginDto } from '../dto/login.dto';

/**
 * Validates the login body first (guards run before pipes), then lets
 * passport-local check a password. Impersonation-token logins pass through to
 * the ImpersonationModule's redemption rules.
 */
@Injectable()
export class LoginGuard extends AuthGuard('local') {
  private readonly pipe = new ApiValidationPipe();

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { body: unknown }>();
    const dto = (await this.pipe.transform(request.body, { type: 'body', metatype: LoginDto })) as LoginDto;
    const hasPassword = dto.password !== undefined;
    const hasTicket = dto.impersonationToken !== undefined;
    if (hasPassword === hasTicket) {
      throw validationFailed([{ field: 'password', message: 'provide exactly one of password or impersonationToken' }]);
    }
    if (hasTicket) return true;
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err instanceof Error) throw err;
    if (err || !user) throw apiError(ApiErrorCode.INVALID_CREDENTIALS);
    return user;
  }
}
