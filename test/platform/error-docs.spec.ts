import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ApiErrorCode, httpStatusOf } from '../../src/platform/errors/api-error-code';
import { BEARER_REASON_CODES } from '../../src/sessions/policy/session-reason-codes';

/**
 * The error answers of docs/openapi.json (the committed document; test/client/openapi-types.e2e.ts
 * keeps it current) come from the codes each route declares, not from its prose.
 */
type Json = { schema?: { $ref?: string }; example?: { code?: string }; examples?: Record<string, { value: { statusCode: number; code: string } }> };
const doc = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, Json> }> } & Record<string, unknown>>>;
};
const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })));

describe('error documentation generated from the codes', () => {
  it('gives every ApiErrorDto answer one example per code, each code at the status the one map gives it', () => {
    for (const { name, op } of operations) {
      assert.equal(op['x-error-codes'], undefined, `${name}: the declaration is consumed`);
      for (const [status, response] of Object.entries(op.responses)) {
        const json = response.content?.['application/json'];
        if (!json?.schema?.$ref?.endsWith('/ApiErrorDto')) continue;
        const codes = json.examples ? Object.values(json.examples).map((e) => e.value.code) : [json.example?.code];
        assert.ok(codes.length > 0 && codes.every((c) => c !== undefined), `${name} ${status} has examples`);
        for (const code of codes) assert.equal(httpStatusOf(code as ApiErrorCode), Number(status), `${name}: ${code} is not a ${status}`);
        if (json.examples) for (const [key, e] of Object.entries(json.examples)) assert.equal(e.value.statusCode, Number(status), `${name} ${key}`);
      }
    }
  });

  it('documents the SESSION_* codes on every bearer route\'s 401, logout included', () => {
    const bearer = operations.filter(({ name, op }) => !name.includes('/api/workspace/') && Array.isArray(op.security) && op.security.length > 0);
    assert.ok(bearer.some(({ name }) => name === 'POST /api/auth/logout'));
    for (const { name, op } of bearer) {
      const examples = op.responses['401']?.content?.['application/json']?.examples ?? {};
      // Every bearer code, first and in order; a route may add its own 401s after them
      // (the MFA routes' MFA_CODE_INVALID: the contract makes a wrong code a 401 there).
      assert.deepEqual(Object.keys(examples).slice(0, BEARER_REASON_CODES.length), [...BEARER_REASON_CODES], name);
    }
  });
});
