import { applyDecorators } from '@nestjs/common';
import { IsNotEmpty, IsString, MaxLength, NotContains } from 'class-validator';

/** A non-empty string of at most `max` characters with no NUL character. */
export const IsCleanString = (max: number) =>
  applyDecorators(
    IsString(),
    IsNotEmpty(),
    MaxLength(max),
    NotContains('\u0000', { message: '$property must not contain NUL characters' }),
  );
