import type { OpenAPIObject } from '@nestjs/swagger';

type Node = Record<string, unknown>;

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One schema's OAS 3.0 `nullable` as OAS 3.1 (JSON Schema 2020-12) says it. @nestjs/swagger
 * writes a nullable reference as `{ nullable: true, type: 'object', allOf: [{ $ref }] }`,
 * which admits no null at all to a strict validator (the referenced schema refuses it):
 * it becomes `anyOf: [{ $ref }, { type: 'null' }]`. A nullable scalar becomes
 * `type: [T, 'null']` (with null in its enum, if it has one).
 */
function nullableTo31(schema: Node): void {
  if (!('nullable' in schema)) return;
  const nullable = schema.nullable === true;
  delete schema.nullable;
  if (!nullable) return;
  const allOf = schema.allOf;
  if (Array.isArray(allOf) && allOf.length === 1) {
    delete schema.allOf;
    delete schema.type;
    schema.anyOf = [allOf[0], { type: 'null' }];
    return;
  }
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  else if (Array.isArray(schema.type) && !schema.type.includes('null')) schema.type = [...(schema.type as string[]), 'null'];
  else if (schema.$ref !== undefined || schema.type === undefined) {
    const { description, ...rest } = schema;
    for (const key of Object.keys(schema)) delete schema[key];
    Object.assign(schema, description === undefined ? {} : { description }, { anyOf: [rest, { type: 'null' }] });
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
}

/**
 * `allOf` around a single reference is how OAS 3.0 put a description or an example beside
 * a `$ref`; OAS 3.1 allows those beside the `$ref` itself, so it becomes one.
 */
function singleRefTo31(schema: Node): void {
  const allOf = schema.allOf;
  if (!Array.isArray(allOf) || allOf.length !== 1 || !isNode(allOf[0]) || Object.keys(allOf[0]).join() !== '$ref') return;
  if (schema.$ref !== undefined || schema.type !== undefined) return;
  delete schema.allOf;
  schema.$ref = allOf[0].$ref;
}

/** Walks the document's schemas (never into example values, which are data). */
function walk(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item);
    return;
  }
  if (!isNode(node)) return;
  nullableTo31(node);
  singleRefTo31(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples') continue;
    walk(value);
  }
}

/**
 * The document as OpenAPI 3.1: the version the linters, openapi-typescript and strict
 * validators read nullable values from without ambiguity. The only 3.0-isms
 * @nestjs/swagger emits for this API are `nullable` flags and `allOf` around a lone `$ref`;
 * they are rewritten in place.
 */
export function toOpenApi31(document: OpenAPIObject): OpenAPIObject {
  walk(document.paths);
  walk(document.components);
  document.openapi = '3.1.0';
  return document;
}
