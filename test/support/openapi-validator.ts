import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * The service's answers judged by its own OpenAPI 3.1 document, strictly: Ajv's JSON
 * Schema 2020-12 (OAS 3.1's dialect) in strict mode, every format checked. A schema the
 * strict compiler refuses (OAS 3.0's `nullable` next to `allOf`, an unknown keyword) fails
 * here as well as an answer that breaks its schema.
 */

interface Schema {
  [keyword: string]: unknown;
}

interface MediaType {
  schema?: Schema;
}

interface Header {
  required?: boolean;
  schema?: Schema;
}

interface Response {
  description?: string;
  headers?: Record<string, Header | { $ref: string }>;
  content?: Record<string, MediaType>;
}

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, MediaType> };
  responses: Record<string, Response>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; headers?: Record<string, Header> };
}

export interface Answer {
  status: number;
  headers: Headers;
  /** The raw body text ('' when none). */
  text: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/** Where each component schema is registered (an id of its own; the document is not a JSON Schema). */
const SCHEMA_ID = 'https://openapi.invalid/components/schemas/';

/** `$ref: '#/components/schemas/X'` → the id component X is registered under. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      key === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', SCHEMA_ID) : rewriteRefs(v),
    ]),
  );
}

export class OpenApiValidator {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<Schema, ValidateFunction>();

  constructor(readonly document: OpenApiDocument) {
    if (!document.openapi.startsWith('3.1.')) throw new Error(`the document is OpenAPI ${document.openapi}; this validator reads 3.1`);
    this.ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    // OAS 3.1's own schema keywords besides JSON Schema 2020-12's.
    this.ajv.addVocabulary(['discriminator', 'xml', 'externalDocs', 'example']);
    for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
      this.ajv.addSchema(rewriteRefs(schema) as Schema, `${SCHEMA_ID}${name}`);
    }
  }

  /** `"GET /api/auth/me"` for every operation of the document. */
  operations(): string[] {
    return Object.entries(this.document.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => item[m]).map((m) => `${m.toUpperCase()} ${path}`),
    );
  }

  operation(key: string): Operation {
    const [method, path] = key.split(' ');
    const op = this.document.paths[path]?.[method.toLowerCase()];
    if (!op) throw new Error(`${key} is not an operation of the document`);
    return op;
  }

  /** The documented statuses of an operation. */
  statuses(key: string): number[] {
    return Object.keys(this.operation(key).responses).map(Number);
  }

  /** Compiles every schema the document uses, so a schema strict mode refuses is reported at once. */
  compileAll(): string[] {
    const problems: string[] = [];
    for (const key of this.operations()) {
      for (const [status, response] of Object.entries(this.operation(key).responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          try {
            if (media.schema) this.validatorFor(media.schema);
          } catch (err) {
            problems.push(`${key} ${status} ${type}: ${(err as Error).message}`);
          }
        }
      }
    }
    return problems;
  }

  /** Everything in the answer the document does not allow; empty when it conforms. */
  check(key: string, answer: Answer): string[] {
    const response = this.operation(key).responses[String(answer.status)];
    if (!response) return [`status ${answer.status} is not documented for ${key} (documented: ${this.statuses(key).join(', ')})`];
    const problems: string[] = [];
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const resolved = '$ref' in header ? this.document.components?.headers?.[header.$ref.split('/').pop() ?? ''] : header;
      const value = answer.headers.get(name);
      if (value === null) {
        if (resolved?.required) problems.push(`header ${name} is required and missing`);
        continue;
      }
      if (resolved?.schema) problems.push(...this.errors(resolved.schema, value, `header ${name}`));
    }
    const content = response.content ?? {};
    const types = Object.keys(content);
    if (answer.text === '') {
      if (types.length > 0) problems.push(`an empty body, but the document says ${types.join(' or ')}`);
      return problems;
    }
    if (types.length === 0) return [...problems, `a body (${answer.text.slice(0, 80)}), but the document describes none`];
    const mediaType = (answer.headers.get('content-type') ?? '').split(';')[0].trim();
    const media = content[mediaType];
    if (!media) return [...problems, `Content-Type ${mediaType || '(none)'}, but the document says ${types.join(' or ')}`];
    let body: unknown = answer.text;
    if (/json/.test(mediaType)) {
      try {
        body = JSON.parse(answer.text);
      } catch {
        return [...problems, `the body is not JSON: ${answer.text.slice(0, 80)}`];
      }
    }
    if (media.schema) problems.push(...this.errors(media.schema, body, 'body'));
    return problems;
  }

  private validatorFor(schema: Schema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(schema) as Schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  private errors(schema: Schema, value: unknown, what: string): string[] {
    const validate = this.validatorFor(schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${what}${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
}
