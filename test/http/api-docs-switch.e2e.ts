import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { get } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

/** API_DOCS_ENABLED=false: neither Swagger UI nor the OpenAPI document is served, in our 404 shape. */
describe('API_DOCS_ENABLED=false', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ config: { apiDocsEnabled: false } });
  });
  after(() => t.close());

  it('serves no Swagger UI and no OpenAPI document, and the API still answers', async () => {
    for (const path of ['/api/docs', '/api/docs/', '/api/docs-json', '/api/docs/swagger-ui-bundle.js']) {
      const res = await get(`${t.url}${path}`);
      assert.equal(res.status, 404, `${path}: ${res.text}`);
      assert.equal(res.body.code, 'NOT_FOUND', path);
      assert.doesNotMatch(res.text, /openapi|swagger/i, path);
    }
    assert.equal((await get(`${t.url}/api/health`)).status, 200);
  });
});
