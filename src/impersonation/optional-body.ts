import { ArgumentMetadata, createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import { ApiValidationPipe } from '../platform/http/api-validation.pipe';

/** Validates an optional JSON body like any other: a missing body counts as `{}`. */
@Injectable()
class OptionalBodyPipe implements PipeTransform {
  private readonly inner = new ApiValidationPipe();

  transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return this.inner.transform(value === undefined ? {} : value, { ...metadata, type: 'body' });
  }
}

/**
 * `@Body()` for endpoints whose body is optional (`POST` with no body at all).
 * The global pipe skips custom decorators, so validation runs here, with the same rules.
 */
export const OptionalBody = () =>
  createParamDecorator((_: unknown, ctx: ExecutionContext): unknown => ctx.switchToHttp().getRequest<{ body?: unknown }>().body)(
    OptionalBodyPipe,
  );
