import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsString, MaxLength, NotContains, ValidateIf } from 'class-validator';

/** A non-empty string of at most `max` characters with no NUL character. */
export const IsCleanString = (max: number) =>
  applyDecorators(
    IsString(),
    IsNotEmpty(),
    MaxLength(max),
    NotContains('\u0000', { message: '$property must not contain NUL characters' }),
  );

/**
 * An optional body field: it may be left out, but a `null` is validated (and so
 * refused) like any other wrong value. `@IsOptional()` would let `null` through.
 */
export const IsOmittable = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** A query parameter that is a whole number (as text) becomes that number; anything else stays as is for the validators to refuse. */
export const toInt = ({ value }: { value: unknown }): unknown => (typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value);
