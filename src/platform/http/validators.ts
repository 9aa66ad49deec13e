import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min, NotContains, ValidateIf } from 'class-validator';

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

/**
 * An optional query parameter that is a whole number from `min` to `max` (a page size, an
 * offset; no `max`: as large as toInt reads). Listed in the order stacked decorators apply (bottom first), so the messages
 * come out as they did when each query wrote them out.
 */
export const IsOptionalQueryInt = (min: number, max?: number) =>
  applyDecorators(...(max === undefined ? [] : [Max(max)]), Min(min), IsInt(), Transform(toInt), IsOptional());

/** An optional page cursor: the opaque `nextCursor` of the previous page (base64url, at most 200 characters). */
export const IsOptionalCursor = () =>
  applyDecorators(Matches(/^[A-Za-z0-9_-]+$/, { message: '$property must be a nextCursor value' }), MaxLength(200), IsOptional());
