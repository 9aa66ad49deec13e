/**
 * The client's view of the API, derived at the type level from openapi-typescript's
 * `paths` (generated/openapi.ts): one entry per operation, keyed `"METHOD /path"` as
 * `call()` takes it. Nothing here is written per endpoint: a new operation of the
 * document appears once `npm run client:types` has regenerated the file.
 */
import type { paths } from './generated/openapi.js';

type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** `"GET /api/auth/me"`, `"POST /api/auth/impersonate/{userId}"`, … every operation of the document. */
export type OperationKey = {
  [P in keyof paths]: {
    [M in HttpMethod]: [NonNullable<paths[P][M]>] extends [never] ? never : `${Uppercase<M>} ${P & string}`;
  }[HttpMethod];
}[keyof paths];

type MethodOf<K extends string> = K extends `${infer M} ${string}` ? Lowercase<M> & HttpMethod : never;
type PathOf<K extends string> = K extends `${string} ${infer P}` ? P & keyof paths : never;

/** openapi-typescript's operation object for a key. */
export type OperationOf<K extends OperationKey> = NonNullable<paths[PathOf<K>][MethodOf<K>]>;

type Params<Op, In extends string> = Op extends { parameters: infer P } ? (In extends keyof P ? NonNullable<P[In]> : never) : never;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : R extends { content?: never } ? void : unknown;
type Responses<Op> = Op extends { responses: infer R } ? R : never;
type SuccessStatus = 200 | 201 | 202 | 204;
type BodyOf<Op> = Op extends { requestBody?: infer B } ? JsonOf<NonNullable<B>> : never;

/** The parts of one operation: `path`, `query` and `body` where it has them, what it answers, and its error statuses. */
type Entry<Op> = ([Params<Op, 'path'>] extends [never] ? unknown : { path: Params<Op, 'path'> }) &
  ([Params<Op, 'query'>] extends [never] ? unknown : { query?: Params<Op, 'query'> }) &
  ([BodyOf<Op>] extends [never]
    ? unknown
    : Op extends { requestBody: unknown }
      ? { body: BodyOf<Op> }
      : { body?: BodyOf<Op> }) & {
    response: JsonOf<Responses<Op>[SuccessStatus & keyof Responses<Op>]>;
    errorStatus: Exclude<keyof Responses<Op>, SuccessStatus>;
  };

export type Operations = { [K in OperationKey]: Entry<OperationOf<K>> };
