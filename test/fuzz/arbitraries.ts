import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import type { JsonSchema, Operation, Parameter } from './openapi-operations';

/** One request exactly as it goes on the wire: path already encoded, headers may repeat, body raw. */
export interface FuzzRequest {
  /** `METHOD /templated/path`, for the statistics. */
  operation: string;
  method: string;
  path: string;
  headers: [string, string][];
  body?: Buffer;
  /** What kind of body was generated (validish, mutated, raw:…), for the report. */
  shape: string;
}

/** Real values of the system under test, so some requests get past validation and into the handlers. */
export interface FuzzContext {
  /** Bearer tokens of live sessions (an admin, a member, a workspace session …). */
  bearerTokens: string[];
  /** Ids that exist (users, organizations, sessions). */
  ids: string[];
  emails: string[];
  passwords: string[];
  userNames: string[];
  workspaceSlugs: string[];
  refreshTokens: string[];
  impersonationTokens: string[];
  /** When the fuzzer knows the signing key (its own app), it forges well-signed tokens with hostile claims. */
  jwt?: { secret: string; kid: string; issuer: string; audience: string };
}

export const emptyContext = (): FuzzContext => ({
  bearerTokens: [],
  ids: [],
  emails: [],
  passwords: [],
  userNames: [],
  workspaceSlugs: [],
  refreshTokens: [],
  impersonationTokens: [],
});

export const BODY_LIMIT = 16 * 1024;

/** Strings that have broken real parsers, validators, databases and log pipelines. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  'a\u0000b',
  'ops@acme.example\u0000.evil',
  '\u202Eelpmaxe.emca@spo',
  '\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd',
  'e\u0301\u0301\u0301\u0301\u0301\u0301',
  'Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f\u031e\u0320\u034d',
  '\ud835\udcea\ud835\udced\ud835\udcf6\ud835\udcf2\ud835\udcf7',
  '\ud83d\ude00\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67',
  '\u0430dmin@ex\u0430mple.test',
  'ADMIN@EXAMPLE.TEST',
  '\ufb01nance@example.test',
  'stra\u00dfe@example.test',
  '\u0130stanbul@example.test',
  '\ufeffops@acme.example',
  '\ud800',
  '\udfff\ud800',
  '\uffff\ufffe',
  '%00',
  '%',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  "' OR '1'='1' --",
  "'; DROP TABLE users; --",
  '$1',
  '\\',
  '"',
  '${jndi:ldap://127.0.0.1/a}',
  '<script>alert(1)</script>',
  '{{7*7}}',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
  'rt_',
  'rt_00000000000000000000000000000000',
  'rt_ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  'a@b',
  '@',
  'a'.repeat(73),
  'é'.repeat(40),
];

const HUGE_LENGTHS = [255, 256, 1025, 4096, BODY_LIMIT - 64, BODY_LIMIT + 1, 20_000];

const hugeString = fc
  .tuple(fc.constantFrom(...HUGE_LENGTHS), fc.constantFrom('a', 'é', '\ud83d\ude00', '\u0000', '\u202e'))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 5 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme-composite', maxLength: 20 }), weight: 1 },
  { arbitrary: hugeString, weight: 1 },
);

/** Any JSON value that is not what a schema asked for. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER + 2),
  fc.constant([]),
  fc.constant({}),
  hostileString,
  fc.array(hostileString, { maxLength: 3 }),
  fc.dictionary(hostileString, hostileString, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.integer({ min: 30, max: 3000 }).map((depth) => nested(depth)),
);

function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '', ' ', '\u0000', 'Email', 'EMAIL', 'password ', 'isAdmin', 'role', 'accessRole', 'organizationId'];

const hostileKey = fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 }));

const email = (ctx: FuzzContext) =>
  fc.oneof(
    ...(ctx.emails.length ? [{ arbitrary: fc.constantFrom(...ctx.emails), weight: 3 }] : []),
    ...(ctx.emails.length
      ? [{ arbitrary: fc.constantFrom(...ctx.emails).map((e) => ` ${e.toUpperCase()} `), weight: 1 }]
      : []),
    { arbitrary: fc.emailAddress(), weight: 2 },
    { arbitrary: hostileString, weight: 1 },
  );

const fromPool = (pool: string[], fallback: fc.Arbitrary<string>) =>
  pool.length ? fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 3 }, { arbitrary: fallback, weight: 1 }) : fallback;

const refreshTokenLike = fc.oneof(fc.stringMatching(/^rt_[0-9a-f]{32}$/), hostileString);

/** A value the schema would accept, more or less: the real values where we have them. */
function validish(schema: JsonSchema, ctx: FuzzContext, name = ''): fc.Arbitrary<unknown> {
  const key = name.toLowerCase();
  if (schema.enum && schema.enum.length) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? -1000;
      const max = schema.maximum ?? 1000;
      return fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.constantFrom(min, max, min - 1, max + 1));
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validish(schema.items ?? {}, ctx), { maxLength: 3 });
    case 'object':
      return validObject(schema, ctx);
    default:
      break;
  }
  if (schema.format === 'email' || key.includes('email')) return email(ctx);
  if (schema.format === 'uuid' || key.endsWith('id')) return fromPool(ctx.ids, fc.uuid());
  if (key.includes('password')) return fromPool(ctx.passwords, hostileString);
  if (key.includes('refreshtoken')) return fromPool(ctx.refreshTokens, refreshTokenLike);
  if (key.includes('impersonationtoken')) return fromPool(ctx.impersonationTokens, hostileString);
  const max = schema.maxLength ?? 64;
  return fc.oneof(
    { arbitrary: fc.string({ minLength: 1, maxLength: Math.min(max, 64) }), weight: 4 },
    { arbitrary: fc.constantFrom('x'.repeat(max), 'x'.repeat(max + 1)), weight: 1 },
  );
}

function validObject(schema: JsonSchema, ctx: FuzzContext): fc.Arbitrary<Record<string, unknown>> {
  const props = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(props).map(([k, s]) => fc.tuple(fc.constant(k), validish(s, ctx, k), fc.boolean()));
  if (entries.length === 0) return fc.constant({});
  return fc.tuple(...entries).map((fields) => {
    const out: Record<string, unknown> = {};
    for (const [k, v, include] of fields) if (required.has(k) || include) out[k] = v;
    return out;
  });
}

/** A validish object with one thing wrong: a field of a hostile type, a field missing, or a key nobody declared. */
function mutatedObject(schema: JsonSchema, ctx: FuzzContext): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.keys(schema.properties ?? {});
  return fc
    .tuple(validObject(schema, ctx), fc.nat(), hostileValue, hostileKey, fc.constantFrom('replace', 'drop', 'extra'))
    .map(([obj, pick, value, extraKey, how]) => {
      const out: Record<string, unknown> = { ...obj };
      const field = fields.length ? fields[pick % fields.length] : 'field';
      if (how === 'replace') out[field] = value;
      else if (how === 'drop') delete out[field];
      else Object.defineProperty(out, extraKey, { value, enumerable: true, configurable: true, writable: true });
      return out;
    });
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null', 'utf8');

/** Bodies no JSON.stringify would write. */
function rawBodies(schema: JsonSchema | undefined, ctx: FuzzContext): fc.Arbitrary<[string, Buffer]> {
  const fields = Object.keys(schema?.properties ?? { email: {} });
  const first = fields[0];
  const valid = validObject(schema ?? {}, ctx).map((o) => JSON.stringify(o));
  return fc.oneof(
    fc.tuple(hostileString, hostileString).map(([a, b]): [string, Buffer] => [
      'raw:duplicate-keys',
      Buffer.from(`{${JSON.stringify(first)}:${JSON.stringify(a)},${JSON.stringify(first)}:${JSON.stringify(b)}}`),
    ]),
    fc
      .constantFrom(
        '{"__proto__":{"isAdmin":true}}',
        `{"${first}":"x","__proto__":{"accessRole":"ADMIN"}}`,
        '{"constructor":{"prototype":{"isAdmin":true}}}',
        `{"${first}":{"__proto__":{"polluted":1}}}`,
        '{"prototype":1}',
        '{"\\u005f_proto__":{"x":1}}',
      )
      .map((s): [string, Buffer] => ['raw:prototype-keys', Buffer.from(s)]),
    fc
      .constantFrom('', ' ', 'null', '[]', '[{}]', '"a"', '0', 'true', '{', '{"a":', '{"a":1,}', "{'a':1}", '{"a":NaN}', '{"a":1}/*c*/', '{"a":1}{"b":2}', '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '{"a":1e99999}')
      .map((s): [string, Buffer] => ['raw:malformed', Buffer.from(s)]),
    valid.chain((s) => fc.nat({ max: Math.max(0, s.length - 1) }).map((cut): [string, Buffer] => ['raw:truncated', Buffer.from(s.slice(0, cut))])),
    fc.integer({ min: 100, max: 8000 }).map((n): [string, Buffer] => ['raw:deep-array', Buffer.from('['.repeat(n) + ']'.repeat(n))]),
    fc.integer({ min: 100, max: 2700 }).map((n): [string, Buffer] => ['raw:deep-object', Buffer.from('{"a":'.repeat(n) + '1' + '}'.repeat(n))]),
    fc.constantFrom(Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), Buffer.from('{}', 'utf16le')).map((b): [string, Buffer] => ['raw:bad-utf8', b]),
    fc.constantFrom(BODY_LIMIT - 16, BODY_LIMIT + 1, 64 * 1024).map((n): [string, Buffer] => ['raw:oversized', Buffer.from(`{"${first}":"${'a'.repeat(n)}"}`)]),
  );
}

function bodyFor(op: Operation, ctx: FuzzContext): fc.Arbitrary<[string, Buffer | undefined]> {
  const schema = op.body;
  if (op.method === 'GET') {
    return fc.oneof({ arbitrary: fc.constant<[string, Buffer | undefined]>(['none', undefined]), weight: 9 }, { arbitrary: rawBodies(undefined, ctx), weight: 1 });
  }
  if (!schema) {
    return fc.oneof(
      { arbitrary: fc.constant<[string, Buffer | undefined]>(['none', undefined]), weight: 6 },
      { arbitrary: hostileValue.map((v): [string, Buffer | undefined] => ['hostile', json(v)]), weight: 2 },
      { arbitrary: rawBodies(undefined, ctx), weight: 2 },
    );
  }
  return fc.oneof(
    { arbitrary: validObject(schema, ctx).map((o): [string, Buffer | undefined] => ['validish', json(o)]), weight: 4 },
    { arbitrary: mutatedObject(schema, ctx).map((o): [string, Buffer | undefined] => ['mutated', json(o)]), weight: 4 },
    { arbitrary: hostileValue.map((v): [string, Buffer | undefined] => ['hostile', json(v)]), weight: 1 },
    { arbitrary: rawBodies(schema, ctx), weight: 2 },
    { arbitrary: fc.constant<[string, Buffer | undefined]>(['none', undefined]), weight: 1 },
  );
}

/** Percent-encodes what a raw HTTP client must, and nothing a hostile one would not. */
export function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate: send the bytes a careless client would.
    return Buffer.from(value, 'utf8').toString('hex').replace(/(..)/g, '%$1');
  }
}

const RAW_PATH_PARAMS = ['..', '../', '..%2f..%2f', '%2e%2e', '%2e%2e%2f', '%00', 'a%00b', '%', '%ZZ', '%C0%AF', '%E2%80%AE', '.', '%20', '+', 'null', '0', '-1', '1e3', 'x'.repeat(199), 'x'.repeat(201), 'f'.repeat(5000)];

function pathParam(ctx: FuzzContext): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fromPool(ctx.ids, fc.uuid()), weight: 3 },
    { arbitrary: fc.uuid().map((u) => u.toUpperCase()), weight: 1 },
    { arbitrary: fc.constantFrom(...RAW_PATH_PARAMS), weight: 3 },
    { arbitrary: hostileString.filter((s) => s.length < 300).map(encodeSegment), weight: 2 },
  );
}

function queryString(op: Operation, ctx: FuzzContext): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const pair = (p: Parameter) =>
    fc.oneof(
      { arbitrary: validish(p.schema, ctx, p.name).map((v) => `${p.name}=${encodeSegment(String(v))}`), weight: 4 },
      { arbitrary: hostileString.filter((s) => s.length < 2000).map((v) => `${p.name}=${encodeSegment(v)}`), weight: 2 },
      { arbitrary: fc.constantFrom(`${p.name}=1&${p.name}=2`, `${p.name}[]=1`, `${p.name}[a]=1`, `${p.name}`, `${p.name}=`, `${p.name}=%ZZ`), weight: 1 },
    );
  const extra = fc.constantFrom('__proto__=1', 'constructor[prototype][x]=1', 'unknown=1', '&&&', '=', '%00=%00', 'a'.repeat(3000) + '=1');
  return fc
    .tuple(
      fc.tuple(...params.map((p) => fc.option(pair(p), { nil: undefined, freq: 2 }))),
      fc.option(extra, { nil: undefined, freq: 4 }),
    )
    .map(([pairs, more]) => {
      const parts = [...(params.length ? pairs : []), more].filter((p): p is string => p !== undefined);
      return parts.length ? `?${parts.join('&')}` : '';
    });
}

/** What a raw client may put in a header: latin-1 without control characters (UTF-8 bytes as latin-1 for the rest). */
export function headerSafe(value: string, max = 8000): string {
  // eslint-disable-next-line no-control-regex
  return Buffer.from(value, 'utf8').toString('latin1').replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '?').slice(0, max);
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function forgedTokens(ctx: FuzzContext): fc.Arbitrary<string> {
  const unsigned = fc.constantFrom(
    `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: ctx.ids[0] ?? 'x', sid: ctx.ids[1] ?? 'y', aud: 'authgate-api', iss: 'authgate', exp: 9999999999 })}.`,
    `${b64({ alg: 'none' })}.${b64({})}.`,
    `${b64({ alg: 'HS256', kid: '../../../etc/passwd' })}.${b64({ sub: 'x' })}.c2ln`,
    `${b64({ alg: 'HS256', kid: { $ne: 1 } })}.${b64({ sub: 'x' })}.c2ln`,
    `${b64({ alg: 'RS256' })}.${b64({ sub: 'x' })}.c2ln`,
    `${b64({ alg: 'HS256', crit: ['exp'] })}.${b64({ sub: 'x' })}.c2ln`,
    'not.a.jwt',
    '...',
    'a.b',
    `${b64({ alg: 'HS256' })}.!!!!.!!!!`,
    `${b64('x')}.${b64(null)}.`,
  );
  if (!ctx.jwt) return unsigned;
  const { secret, kid, issuer, audience } = ctx.jwt;
  const claims = fc.record(
    {
      sub: fc.oneof(fromPool(ctx.ids, fc.uuid()), hostileValue),
      sid: fc.oneof(fromPool(ctx.ids, fc.uuid()), hostileValue),
      org: fc.oneof(fromPool(ctx.ids, fc.uuid()), hostileValue),
      role: fc.oneof(fc.constantFrom('ADMIN', 'MEMBER', 'admin', ''), hostileValue),
      act: fc.oneof(fc.record({ sub: fromPool(ctx.ids, fc.uuid()) }), hostileValue),
      wsp: fc.oneof(fromPool(ctx.workspaceSlugs, hostileString), hostileValue),
      exp: fc.oneof(fc.constantFrom(9_999_999_999, 0, -1, 1e308), hostileValue),
      isImpersonation: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const aud = fc.constantFrom(audience, `${audience}:workspace`, `${audience}:impersonation`, 'other');
  const signed = fc.tuple(claims, aud, fc.boolean()).map(([c, a, withKid]) => {
    const payload: Record<string, unknown> = { ...c, iss: issuer, aud: a, iat: Math.floor(Date.now() / 1000) };
    if (payload.exp === undefined || typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) delete payload.exp;
    return jwt.sign(payload, secret, { algorithm: 'HS256', ...(withKid ? { keyid: kid } : {}) });
  });
  return fc.oneof(unsigned, signed);
}

function authorization(op: Operation, ctx: FuzzContext): fc.Arbitrary<string | undefined> {
  const real = ctx.bearerTokens.length ? fc.constantFrom(...ctx.bearerTokens) : fc.constant('no-token');
  const weightReal = op.bearer && ctx.bearerTokens.length ? 6 : 1;
  return fc.oneof(
    { arbitrary: fc.constant(undefined), weight: op.bearer ? 2 : 5 },
    { arbitrary: real.map((t) => `Bearer ${t}`), weight: weightReal },
    { arbitrary: forgedTokens(ctx).map((t) => `Bearer ${t}`), weight: 2 },
    {
      arbitrary: fc.oneof(
        fc.constantFrom('Bearer', 'Bearer ', 'Bearer  ', 'Basic dXNlcjpwYXNz', 'Digest x', 'bearer', 'Bearer null', 'Bearer undefined', '%00'),
        real.map((t) => `bearer ${t}`),
        real.map((t) => `Bearer ${t} trailing`),
        real.map((t) => `Bearer ${t.slice(0, -3)}abc`),
        real.map((t) => `Bearer ${t}`.repeat(3)),
        hostileString.map((s) => `Bearer ${headerSafe(s)}`),
        fc.constantFrom(4000, 8000).map((n) => `Bearer ${'A'.repeat(n)}`),
      ),
      weight: 2,
    },
  );
}

const ipAddress = fc.oneof(
  { arbitrary: fc.ipV4(), weight: 6 },
  { arbitrary: fc.ipV6(), weight: 1 },
  {
    arbitrary: fc.constantFrom('unknown', '', ' ', '1.2.3.4, garbage', 'garbage, 1.2.3.4', '999.999.1.1', '::ffff:10.0.0.1', '[::1]:80', '1.2.3.4:5678', 'fe80::1%eth0', '127.0.0.1', 'x'.repeat(500), '1.1.1.1,'.repeat(100), '\u00ff\u00fe'),
    weight: 2,
  },
);

function headers(op: Operation, ctx: FuzzContext, hasBody: boolean): fc.Arbitrary<[string, string][]> {
  const contentType = fc.oneof(
    { arbitrary: fc.constant('application/json'), weight: 10 },
    {
      arbitrary: fc.constantFrom(
        'application/json; charset=utf-8',
        'APPLICATION/JSON',
        'application/json; charset=utf-16',
        'application/json; charset=latin1',
        'text/plain',
        'text/plain; charset=utf-8',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/merge-patch+json',
        'application/json, text/plain',
        'application/xml',
        '*/*',
        '',
        'garbage',
        'application/json; boundary="',
      ),
      weight: 2,
    },
    { arbitrary: fc.constant(undefined), weight: 1 },
  );
  const workspace = op.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'x-workspace')
    ? fc.option(fc.oneof(fromPool(ctx.workspaceSlugs, hostileString), hostileString, fc.constant('w'.repeat(300))), { freq: 2 })
    : fc.option(hostileString, { freq: 8 });
  return fc
    .record({
      auth: authorization(op, ctx),
      contentType,
      workspace,
      xff: fc.option(ipAddress, { freq: 8 }),
      requestId: fc.option(hostileString, { freq: 6 }),
      accept: fc.option(fc.constantFrom('application/json', 'text/html', '*/*', 'application/xml', '', 'garbage;;;'), { freq: 4 }),
      origin: fc.option(fc.constantFrom('http://localhost:5173', 'null', 'https://evil.example', 'garbage'), { freq: 6 }),
    })
    .map((h) => {
      const out: [string, string][] = [];
      if (h.auth !== undefined) out.push(['authorization', headerSafe(h.auth, 9000)]);
      if (hasBody && h.contentType !== undefined) out.push(['content-type', h.contentType]);
      if (h.workspace !== null) out.push(['x-workspace', headerSafe(h.workspace, 400)]);
      // Almost always "another client": the per-IP budget then throttles only what it should (the app trusts the proxy).
      if (h.xff !== null) out.push(['x-forwarded-for', headerSafe(h.xff, 1000)]);
      if (h.requestId !== null) out.push(['x-request-id', headerSafe(h.requestId, 400)]);
      if (h.accept !== null) out.push(['accept', h.accept]);
      if (h.origin !== null) out.push(['origin', h.origin]);
      return out;
    });
}

export function requestFor(op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  return fc
    .tuple(fc.tuple(...names.map(() => pathParam(ctx))), queryString(op, ctx), bodyFor(op, ctx))
    .chain(([params, query, [shape, body]]) =>
      headers(op, ctx, body !== undefined).map((h): FuzzRequest => {
        let path = op.path;
        names.forEach((name, i) => (path = path.replace(`{${name}}`, params[i])));
        return { operation: `${op.method} ${op.path}`, method: op.method, path: path + query, headers: h, body, shape };
      }),
    );
}

/** Routes that do not exist, methods a route does not take, and paths that try to climb out. */
export function strayRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const paths = fc.constantFrom(
    '/api/auth',
    '/api/auth/',
    '/api/auth/nope',
    '/api/auth/login/',
    '/api/auth/../health',
    '/api/auth/%2e%2e/health',
    '/api/workspace',
    '/api/workspace/nope',
    '/api/workspace/auth/login/x',
    '/api/workspace/%00',
    '/api/organizations',
    '/api/organizations/%ZZ/users',
    '/api/nope',
    '/api//auth//login',
    '/API/AUTH/LOGIN',
  );
  return fc
    .tuple(paths, fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'), bodyFor({ method: 'POST', path: '', parameters: [], bearer: false }, ctx))
    .chain(([path, method, [shape, body]]) =>
      headers({ method, path, parameters: [], bearer: true }, ctx, body !== undefined && method !== 'GET').map(
        (h): FuzzRequest => ({ operation: `${method} (stray)`, method, path, headers: h, body: method === 'GET' ? undefined : body, shape }),
      ),
    );
}

/** Every operation of the document, equally often, plus stray requests. */
export function anyRequest(ops: Operation[], ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    ...ops.map((op) => ({ arbitrary: requestFor(op, ctx), weight: 10 })),
    { arbitrary: strayRequest(ctx), weight: 5 },
  );
}
