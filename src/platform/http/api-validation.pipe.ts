import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { ApiErrorCode } from '../errors/api-error-code';
import { ApiException, FieldError } from '../errors/api.exception';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return own.concat(flatten(e.children ?? [], field));
  });
}

export const validationFailed = (errors: FieldError[]): ApiException =>
  new ApiException(
    ApiErrorCode.VALIDATION_FAILED,
    errors.length > 0 ? `Invalid request: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}` : 'Invalid request.',
    errors,
  );

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Deeper than any DTO of ours; class-transformer recurses per level and overflows the stack near 2,000. */
export const MAX_BODY_DEPTH = 32;

/** A UTF-16 surrogate without its pair (JSON allows `"\ud800"`); with the `u` flag pairs do not match. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * What makes a parsed JSON body unfit for class-transformer and class-validator,
 * or null: nesting past `maxDepth` (a stack overflow there), or a string or key
 * that is not well-formed Unicode (validator's isEmail throws a URIError on it).
 * Iterative: the check itself must not overflow.
 */
export function bodyShapeProblem(value: unknown, maxDepth = MAX_BODY_DEPTH): string | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) return 'the request body contains text that is not well-formed Unicode';
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= maxDepth) return `the request body nests deeper than ${maxDepth} levels`;
    for (const [key, child] of Object.entries(v)) stack.push([key, depth], [child, depth + 1]);
  }
  return null;
}

/**
 * The one validation pipe: unknown fields rejected, types strict, and bodies that
 * are not JSON objects (arrays, null, strings) refused before class-validator sees them.
 */
@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => validationFailed(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object && !isPlainObject(value)) {
      throw validationFailed([{ field: 'body', message: 'the request body must be a JSON object' }]);
    }
    const problem = metadata.type === 'body' ? bodyShapeProblem(value) : null;
    if (problem) throw validationFailed([{ field: 'body', message: problem }]);
    return super.transform(value, metadata);
  }
}
