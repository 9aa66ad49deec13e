import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiException } from '../../platform/errors/api.exception';
import { PasswordOwner, passwordViolations } from './password-rules';

/** 400 WEAK_PASSWORD naming the field and every rule it breaks; nothing otherwise. */
export function assertStrongPassword(field: string, password: string, owner: PasswordOwner): void {
  const violations = passwordViolations(password, owner);
  if (violations.length === 0) return;
  throw new ApiException(
    ApiErrorCode.WEAK_PASSWORD,
    `The new password is too weak: ${violations.map((v) => `${field} ${v.message}`).join('; ')}.`,
    violations.map((v) => ({ field, message: `${field} ${v.message}`, reason: v.reason })),
  );
}
