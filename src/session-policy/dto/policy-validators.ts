import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

const isMissing = (value: unknown): boolean => value === undefined || value === null;

const isIntegerIn = (value: unknown, min: number, max: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;

function policyRule(
  name: string,
  test: (value: unknown, args: ValidationArguments) => boolean,
  describe: (args: ValidationArguments) => string,
  /** Whether this rule reports a missing field; only one rule per field should. */
  reportsMissing = true,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => (isMissing(value) ? !reportsMissing : test(value, args)),
        // One message per field: "required" for a missing (or null) field, the rule otherwise.
        defaultMessage: (args: ValidationArguments) =>
          isMissing(args.value) ? `${args.property} is required` : `${args.property} ${describe(args)}`,
      },
    });
}

/** A JSON integer (not a string, not a fraction) in [min, max]. */
export const IsIntegerInRange = (min: number, max: number, unit: string): PropertyDecorator =>
  policyRule(
    'isIntegerInRange',
    (value) => isIntegerIn(value, min, max),
    () => `must be an integer from ${min} to ${max} (${unit})`,
  );

/** `true` or `false`, nothing that merely looks like one ("true", 1). */
export const IsStrictBoolean = (): PropertyDecorator =>
  policyRule('isStrictBoolean', (value) => typeof value === 'boolean', () => 'must be a boolean (true or false)');

export const IsOneOf = (allowed: readonly string[]): PropertyDecorator =>
  policyRule(
    'isOneOf',
    (value) => typeof value === 'string' && allowed.includes(value),
    () => `must be one of: ${allowed.map((a) => `"${a}"`).join(', ')}`,
  );

/**
 * Strictly smaller than another integer field of the same body. Judged only when
 * this value is in its own range [min, max] and the other is a positive integer,
 * so that each bad field is reported once, by its own rule.
 */
export const IsSmallerThan = (other: string, min: number, max: number): PropertyDecorator =>
  policyRule(
    'isSmallerThan',
    (value, args) => {
      const bound = (args.object as Record<string, unknown>)[other];
      if (!isIntegerIn(value, min, max) || !isIntegerIn(bound, 1, Number.MAX_SAFE_INTEGER)) return true;
      return value < bound;
    },
    (args) => `must be smaller than ${other} (${String((args.object as Record<string, unknown>)[other])})`,
    false,
  );
