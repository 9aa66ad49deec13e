/**
 * A small OpenAPI 3 → TypeScript generator for the SPA client (client/src/generated/openapi.ts).
 * Pure: document in, source text out, deterministic (schemas and paths sorted), so the
 * committed file shows every API change in review and a test can tell when it is stale.
 * It covers what @nestjs/swagger emits: $ref, allOf/oneOf/anyOf, enums, nullable, arrays,
 * objects with properties or additionalProperties.
 */

export interface SchemaObject {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  description?: string;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: boolean | SchemaObject;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
}

interface MediaObject {
  schema?: SchemaObject;
}

interface OperationObject {
  operationId?: string;
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: SchemaObject; description?: string }[];
  requestBody?: { required?: boolean; content?: Record<string, MediaObject> };
  responses?: Record<string, { description?: string; content?: Record<string, MediaObject> }>;
}

export interface OpenApiDocument {
  info?: { title?: string; version?: string };
  paths?: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const typeName = (ref: string): string => ref.replace(/^#\/components\/schemas\//, '').replace(/[^A-Za-z0-9_$]/g, '_');
const key = (name: string): string => (IDENTIFIER.test(name) ? name : JSON.stringify(name));
const indent = (text: string, by: string): string => text.replace(/\n/g, `\n${by}`);

function comment(lines: (string | undefined)[], pad: string): string {
  const kept = lines.filter((l): l is string => !!l).flatMap((l) => l.split('\n'));
  if (kept.length === 0) return '';
  if (kept.length === 1) return `${pad}/** ${kept[0].replace(/\*\//g, '*\\/')} */\n`;
  return `${pad}/**\n${kept.map((l) => `${pad} * ${l.replace(/\*\//g, '*\\/')}`).join('\n')}\n${pad} */\n`;
}

function wrapArray(inner: string): string {
  return /^[A-Za-z0-9_$.]+$/.test(inner) ? `${inner}[]` : `Array<${inner}>`;
}

export function schemaToType(schema: SchemaObject | undefined): string {
  if (!schema) return 'unknown';
  const base = baseType(schema);
  const nullable = schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
  return nullable && base !== 'unknown' && !/\bnull$/.test(base) ? `${base} | null` : base;
}

function baseType(schema: SchemaObject): string {
  if (schema.$ref) return typeName(schema.$ref);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.allOf) {
    const parts = schema.allOf.map((s) => schemaToType(s));
    const own = schema.properties ? [objectType(schema)] : [];
    return [...parts, ...own].join(' & ');
  }
  const union = schema.oneOf ?? schema.anyOf;
  if (union) return union.map((s) => schemaToType(s)).join(' | ');
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) => t && t !== 'null');
  if (types.length > 1) return types.map((t) => baseType({ ...schema, type: t })).join(' | ');
  switch (types[0]) {
    case 'string':
      return 'string';
    case 'number':
    case 'integer':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return wrapArray(schemaToType(schema.items));
    case 'object':
      return objectType(schema);
    default:
      return schema.properties ? objectType(schema) : 'unknown';
  }
}

function objectType(schema: SchemaObject): string {
  const required = new Set(schema.required ?? []);
  const members = Object.entries(schema.properties ?? {}).map(([name, prop]) => {
    const doc = comment([prop.description, prop.format ? `@format ${prop.format}` : undefined], '  ');
    return `${doc}  ${key(name)}${required.has(name) ? '' : '?'}: ${indent(schemaToType(prop), '  ')};`;
  });
  const extra = schema.additionalProperties;
  if (extra) members.push(`  [key: string]: ${extra === true ? 'unknown' : schemaToType(extra)};`);
  if (members.length === 0) return 'Record<string, unknown>';
  return `{\n${members.join('\n')}\n}`;
}

function declaration(name: string, schema: SchemaObject): string {
  const doc = comment([schema.description], '');
  const type = schemaToType(schema);
  if (type.startsWith('{') && !schema.nullable) return `${doc}export interface ${name} ${type}\n`;
  return `${doc}export type ${name} = ${type};\n`;
}

function jsonSchema(content: Record<string, MediaObject> | undefined): SchemaObject | undefined {
  if (!content) return undefined;
  return (content['application/json'] ?? Object.values(content)[0])?.schema;
}

function operation(method: string, path: string, op: OperationObject): string {
  const lines: string[] = [];
  const params = op.parameters ?? [];
  for (const where of ['path', 'query', 'header']) {
    const list = params.filter((p) => p.in === where).sort((a, b) => a.name.localeCompare(b.name));
    if (list.length === 0) continue;
    const fields = list.map((p) => `${key(p.name)}${p.required ? '' : '?'}: ${schemaToType(p.schema)}`).join('; ');
    lines.push(`    ${where}: { ${fields} };`);
  }
  const body = jsonSchema(op.requestBody?.content);
  if (body) lines.push(`    body${op.requestBody?.required === false ? '?' : ''}: ${indent(schemaToType(body), '    ')};`);
  const responses = Object.entries(op.responses ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const ok = responses.find(([status]) => status.startsWith('2'));
  lines.push(`    response: ${ok ? indent(jsonSchema(ok[1].content) ? schemaToType(jsonSchema(ok[1].content)) : 'void', '    ') : 'unknown'};`);
  const errors = responses.filter(([status]) => !status.startsWith('2')).map(([status]) => status);
  if (errors.length > 0) lines.push(`    errorStatus: ${errors.join(' | ')};`);
  const doc = comment([op.summary], '  ');
  return `${doc}  ${JSON.stringify(`${method.toUpperCase()} ${path}`)}: {\n${lines.join('\n')}\n  };`;
}

export function openApiToTypeScript(doc: OpenApiDocument): string {
  const out: string[] = [
    '// Generated from the OpenAPI document (GET /api/docs-json) by scripts/generate-client-types.ts. Do not edit.',
    '// After an API change run `npm run client:types`; test/client/openapi-types.e2e.ts fails while this file is stale.',
    '',
  ];
  const schemas = doc.components?.schemas ?? {};
  for (const name of Object.keys(schemas).sort()) out.push(declaration(typeName(name), schemas[name]));
  out.push('/** Every operation of the API by "METHOD /path": its parameters, JSON body, success body and error statuses. */');
  out.push('export interface Operations {');
  const paths = doc.paths ?? {};
  for (const path of Object.keys(paths).sort()) {
    for (const method of METHODS) {
      const op = paths[path][method];
      if (op) out.push(operation(method, path, op));
    }
  }
  out.push('}', '', 'export type OperationKey = keyof Operations;', '');
  return out.join('\n');
}
