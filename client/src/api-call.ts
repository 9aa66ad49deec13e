import type { OperationKey, Operations } from './api-types';

type Part<K extends OperationKey, Name extends string> = Name extends keyof Operations[K] ? Exclude<Operations[K][Name], undefined> : never;
/** Whether the document marks the part required (`body:`) rather than optional (`body?:`). */
type IsRequired<K extends OperationKey, Name extends string> = Operations[K] extends Record<Name, unknown> ? true : false;

/** The arguments of one operation, typed from the OpenAPI document. */
export type CallArgs<K extends OperationKey> = ([Part<K, 'path'>] extends [never] ? object : { path: Part<K, 'path'> }) &
  ([Part<K, 'query'>] extends [never] ? object : { query?: Part<K, 'query'> }) &
  ([Part<K, 'body'>] extends [never] ? object : IsRequired<K, 'body'> extends true ? { body: Part<K, 'body'> } : { body?: Part<K, 'body'> }) & {
    headers?: Record<string, string>;
  };

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

export type CallResult<K extends OperationKey> = Operations[K]['response'];

/** `"GET /api/organizations/{orgId}/users"` + `{ path: { orgId } }` → method and URL path with the query. */
export function resolveOperation(key: string, args: { path?: object; query?: object }): { method: string; path: string } {
  const space = key.indexOf(' ');
  const method = key.slice(0, space);
  const params = (args.path ?? {}) as Record<string, unknown>;
  let path = key.slice(space + 1).replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (!isScalar(value)) throw new Error(`missing path parameter "${name}" for ${key}`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries((args.query ?? {}) as Record<string, unknown>)) {
    if (isScalar(value)) query.set(name, String(value));
  }
  const qs = query.toString();
  if (qs) path += `?${qs}`;
  return { method, path };
}
