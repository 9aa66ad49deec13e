import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiErrorCode } from './api-error-code';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' })
  field: string;
  @ApiProperty({ example: 'email must be an email address' })
  message: string;
  @ApiPropertyOptional({
    example: 'TOO_SHORT',
    description: 'WEAK_PASSWORD only: which rule the password breaks (TOO_SHORT, TOO_LONG, TOO_COMMON, CONTAINS_IDENTIFIER).',
  })
  reason?: string;
}

/** The one error shape of `/api/auth/*` and `/api/organizations/*`. */
export class ApiErrorDto {
  @ApiProperty({ example: 401 })
  statusCode: number;
  @ApiProperty({ enum: ApiErrorCode, enumName: 'ApiErrorCode', example: ApiErrorCode.INVALID_CREDENTIALS })
  code: ApiErrorCode;
  @ApiProperty({ example: 'Invalid email or password.' })
  message: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Present on VALIDATION_FAILED.' })
  errors?: FieldErrorDto[];
}
