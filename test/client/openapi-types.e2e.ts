import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generatedTypes, GENERATED_TYPES_PATH } from '../../scripts/generate-client-types';
import { createTestDatabase, TestDatabase } from '../support/database';

/**
 * The SPA client is typed from the OpenAPI document (client/src/generated/openapi.ts,
 * committed so reviews see API changes). This fails as soon as a controller or DTO change
 * makes the committed file differ from what `npm run client:types` would write.
 */
describe('client/src/generated/openapi.ts', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase();
  });
  after(() => database.drop());

  it('is what the current OpenAPI document generates (else run `npm run client:types`)', async () => {
    const { expected, committed } = await generatedTypes(database.url);
    if (committed === expected) return;
    const a = committed.split('\n');
    const b = expected.split('\n');
    const line = a.findIndex((l, i) => l !== b[i]);
    assert.fail(
      `${GENERATED_TYPES_PATH} is stale: run \`npm run client:types\` and commit the result.\n` +
        `first difference at line ${line + 1}:\n  committed: ${a[line] ?? '<end of file>'}\n  generated: ${b[line] ?? '<end of file>'}`,
    );
  });

  it('declares the operations the client itself calls', async () => {
    const { expected } = await generatedTypes(database.url);
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
      assert.ok(expected.includes(JSON.stringify(operation)), `${operation} is in the document`);
    }
  });
});
