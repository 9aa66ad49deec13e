/** The operations of the app's own OpenAPI document, flattened for the fuzzer. */

export interface JsonSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  $ref?: string;
  allOf?: JsonSchema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  /** The templated path, e.g. `/api/auth/impersonate/{userId}`. */
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
  /** Declared `security: [{ bearer: [] }]`. */
  bearer: boolean;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface RawOperation {
  parameters?: (Parameter & { schema?: JsonSchema })[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  security?: Record<string, unknown>[];
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** `$ref`s and `allOf`s replaced by what they name, so generators see plain schemas. */
function resolve(schema: JsonSchema | undefined, doc: OpenApiDocument, depth = 0): JsonSchema | undefined {
  if (!schema || depth > 8) return schema;
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(doc.components?.schemas?.[name], doc, depth + 1);
  }
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => resolve(s, doc, depth + 1))) as JsonSchema;
  const out: JsonSchema = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, doc, depth + 1) ?? {}]));
  }
  if (schema.items) out.items = resolve(schema.items, doc, depth + 1);
  return out;
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      if (!METHODS.has(method)) continue;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: (raw.parameters ?? []).map((p) => ({ ...p, required: Boolean(p.required), schema: resolve(p.schema, doc) ?? {} })),
        body: resolve(raw.requestBody?.content?.['application/json']?.schema, doc),
        bearer: (raw.security ?? []).some((s) => 'bearer' in s),
      });
    }
  }
  return ops.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

export async function fetchOperations(baseUrl: string): Promise<Operation[]> {
  const res = await fetch(`${baseUrl}/api/docs-json`);
  if (res.status !== 200) throw new Error(`GET /api/docs-json answered ${res.status}`);
  return operationsOf((await res.json()) as OpenApiDocument);
}
