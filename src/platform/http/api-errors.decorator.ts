import type { OpenAPIObject } from '@nestjs/swagger';
import { ApiErrorCode, httpStatusOf } from '../errors/api-error-code';
import { DEFAULT_MESSAGES } from '../errors/api.exception';

/** @nestjs/swagger's key for operation extensions (its DECORATORS.API_EXTENSION; the constants are not exported). */
const API_EXTENSION = 'swagger/apiExtension';
const CODES_EXTENSION = 'x-error-codes';
const ERROR_SCHEMA = '#/components/schemas/ApiErrorDto';
const ORDER = new Map(Object.values(ApiErrorCode).map((code, i) => [code, i]));

type Holder = object;

function addCodes(holder: Holder, codes: readonly ApiErrorCode[]): void {
  const extensions = (Reflect.getMetadata(API_EXTENSION, holder) ?? {}) as Record<string, unknown>;
  const known = (extensions[CODES_EXTENSION] ?? []) as ApiErrorCode[];
  const all = [...new Set([...known, ...codes])].sort((a, b) => (ORDER.get(a) ?? 0) - (ORDER.get(b) ?? 0));
  Reflect.defineMetadata(API_EXTENSION, { ...extensions, [CODES_EXTENSION]: all }, holder);
}

/**
 * The error codes a route can answer, declared as codes (the one map in api-error-code.ts
 * gives each its status). `@Authenticated()` adds what its checks can answer; a route adds
 * what its own rules can. `documentErrorCodes` turns them into the operation's responses,
 * one example per code, so the document says exactly what the route answers. Applied to a
 * class, to each of its routes.
 */
export function ApiErrors(...codes: ApiErrorCode[]) {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (descriptor) {
      addCodes(descriptor.value as Holder, codes);
      return;
    }
    const prototype = (target as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const method = prototype[name];
      if (name !== 'constructor' && typeof method === 'function') addCodes(method, codes);
    }
  };
}

type MediaType = { schema?: unknown; example?: unknown; examples?: unknown };
type Response = { description?: string; content?: Record<string, MediaType> };

/**
 * For each operation that declared error codes, one response per status with an example per
 * code (the message is the code's default one). A response written by hand with its own
 * example stands (a validation failure with its `errors`, say).
 */
export function documentErrorCodes(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path) as { responses?: Record<string, Response>; [CODES_EXTENSION]?: ApiErrorCode[] }[]) {
      const codes = operation?.[CODES_EXTENSION];
      if (!codes) continue;
      delete operation[CODES_EXTENSION];
      const responses = (operation.responses ??= {});
      const byStatus = new Map<number, ApiErrorCode[]>();
      for (const code of codes) byStatus.set(httpStatusOf(code), [...(byStatus.get(httpStatusOf(code)) ?? []), code]);
      for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
        const existing = responses[String(status)];
        const json = existing?.content?.['application/json'];
        if (json && (json.example !== undefined || json.examples !== undefined)) continue;
        responses[String(status)] = {
          description: existing?.description || list.join(', '),
          content: {
            'application/json': {
              schema: { $ref: ERROR_SCHEMA },
              examples: Object.fromEntries(
                list.map((code) => [code, { summary: code, value: { statusCode: status, code, message: DEFAULT_MESSAGES[code] ?? code } }]),
              ),
            },
          },
        };
      }
    }
  }
  return document;
}
