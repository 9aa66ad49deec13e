import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GeneratedFile, generatedFiles } from '../../scripts/generate-client-types';
import { createTestDatabase, TestDatabase } from '../support/database';

/**
 * The OpenAPI document (docs/openapi.json, which `npm run lint` lints) and the SPA client's
 * types generated from it by openapi-typescript (client/src/generated/openapi.ts) are
 * committed, so reviews see API changes. This fails as soon as a controller or DTO change
 * makes either differ from what `npm run client:types` would write.
 */
describe('docs/openapi.json and client/src/generated/openapi.ts', () => {
  let database: TestDatabase;
  let files: GeneratedFile[];
  before(async () => {
    database = await createTestDatabase();
    files = await generatedFiles(database.url);
  });
  after(() => database.drop());

  it('are what the current OpenAPI document generates (else run `npm run client:types`)', () => {
    for (const { path, expected, committed } of files) {
      if (committed === expected) continue;
      const a = committed.split('\n');
      const b = expected.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      assert.fail(
        `${path} is stale: run \`npm run client:types\` and commit the result.\n` +
          `first difference at line ${line + 1}:\n  committed: ${a[line] ?? '<end of file>'}\n  generated: ${b[line] ?? '<end of file>'}`,
      );
    }
  });

  it('declare the operations the client itself calls', () => {
    const document = JSON.parse(files[0].expected) as { paths: Record<string, Record<string, unknown>> };
    const types = files[1].expected;
    for (const operation of [
      'POST /api/auth/login',
      'POST /api/auth/refresh',
      'POST /api/auth/logout',
      'GET /api/auth/me',
      'POST /api/auth/impersonate/{userId}',
      'GET /api/auth/impersonations',
      'GET /api/organizations/{orgId}/users',
      'POST /api/workspace/auth/login',
    ]) {
      const [method, path] = operation.split(' ');
      assert.ok(document.paths[path]?.[method.toLowerCase()], `${operation} is in the document`);
      assert.match(types, new RegExp(`${JSON.stringify(path).replace(/[{}]/g, '\\$&')}: \\{`), `${path} is in the generated paths`);
    }
  });
});
