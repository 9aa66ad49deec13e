import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMembership, createOrganization, createUser, createWorkspace, PASSWORD } from '../support/factories';
import { get, HttpResponse, post, request } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

const LOGIN = '/api/workspace/auth/login';

/** Every failure: the envelope with Data null, Success false, and only errors of Severity 2. */
function assertFailure(res: HttpResponse, status: number): { Code: string; Field: string | null; Type: number; Metadata: unknown }[] {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  assert.deepEqual(Object.keys(res.body), ['Data', 'Errors', 'Warnings', 'Success']);
  assert.equal(res.body.Data, null);
  assert.equal(res.body.Success, false);
  assert.deepEqual(res.body.Warnings, []);
  assert.ok(res.body.Errors.length > 0);
  for (const e of res.body.Errors) {
    assert.deepEqual(Object.keys(e), ['Code', 'Message', 'Target', 'Field', 'Metadata', 'Type', 'Severity']);
    assert.equal(e.Severity, 2);
    assert.equal(typeof e.Message, 'string');
  }
  assert.doesNotMatch(res.text, /\bat .+\.(ts|js):\d+/, 'no stack trace');
  return res.body.Errors;
}

const codes = (errors: { Code: string; Field: string | null; Type: number }[]) => errors.map((e) => [e.Code, e.Field, e.Type]);

describe('POST /api/workspace/auth/login validation: 400 envelopes with Field and Type 0', () => {
  let t: TestApp;
  const url = () => `${t.url}${LOGIN}`;

  before(async () => {
    t = await startTestApp();
    const org = await createOrganization(t.db);
    const user = await createUser(t.db, org, { email: 'ops@acme.example' });
    await createMembership(t.db, await createWorkspace(t.db, org), user, { isDefault: true });
  });
  after(() => t.close());

  it('reports each missing field as Required', async () => {
    assert.deepEqual(codes(assertFailure(await post(url(), {}), 400)), [
      ['Required', 'UserNameOrEmail', 0],
      ['Required', 'Password', 0],
    ]);
  });

  it('treats a request without a body like one with every field missing', async () => {
    assert.deepEqual(codes(assertFailure(await request('POST', url()), 400)), [
      ['Required', 'UserNameOrEmail', 0],
      ['Required', 'Password', 0],
    ]);
  });

  it('reports empty, blank and null values as Required', async () => {
    for (const body of [
      { UserNameOrEmail: '', Password: '' },
      { UserNameOrEmail: '   ', Password: '' },
      { UserNameOrEmail: null, Password: null },
    ]) {
      assert.deepEqual(codes(assertFailure(await post(url(), body), 400)), [
        ['Required', 'UserNameOrEmail', 0],
        ['Required', 'Password', 0],
      ], JSON.stringify(body));
    }
  });

  it('reports wrong types as InvalidType, never coercing them', async () => {
    for (const wrong of [42, true, ['ops@acme.example'], { nested: 'x' }]) {
      const errors = assertFailure(await post(url(), { UserNameOrEmail: wrong, Password: wrong }), 400);
      assert.deepEqual(codes(errors), [
        ['InvalidType', 'UserNameOrEmail', 0],
        ['InvalidType', 'Password', 0],
      ], JSON.stringify(wrong));
    }
  });

  it('reports values over the limits as TooLong with the limit in Metadata', async () => {
    const errors = assertFailure(await post(url(), { UserNameOrEmail: 'a'.repeat(255), Password: 'p'.repeat(1025) }), 400);
    assert.deepEqual(
      errors.map((e) => [e.Code, e.Field, e.Metadata]),
      [
        ['TooLong', 'UserNameOrEmail', { MaxLength: '254' }],
        ['TooLong', 'Password', { MaxLength: '1024' }],
      ],
    );
  });

  it('accepts values exactly at the limits (they just do not match anyone)', async () => {
    const res = await post(url(), { UserNameOrEmail: 'a'.repeat(254), Password: 'p'.repeat(1024) });
    assert.equal(assertFailure(res, 400)[0].Code, 'InvalidCredentials');
  });

  it('refuses a NUL character in the identifier as InvalidCharacters', async () => {
    const errors = assertFailure(await post(url(), { UserNameOrEmail: 'ops@acme.example\u0000x', Password: PASSWORD }), 400);
    assert.deepEqual(codes(errors), [['InvalidCharacters', 'UserNameOrEmail', 0]]);
  });

  it('refuses unknown fields, naming them, and is strict about PascalCase', async () => {
    const extra = assertFailure(await post(url(), { UserNameOrEmail: 'ops@acme.example', Password: PASSWORD, RememberMe: true }), 400);
    assert.deepEqual(codes(extra), [['UnknownField', 'RememberMe', 0]]);
    const camel = assertFailure(await post(url(), { userNameOrEmail: 'ops@acme.example', password: PASSWORD }), 400);
    assert.deepEqual(codes(camel), [
      ['Required', 'UserNameOrEmail', 0],
      ['Required', 'Password', 0],
      ['UnknownField', 'userNameOrEmail', 0],
      ['UnknownField', 'password', 0],
    ]);
  });

  it('refuses a JSON body that is not an object (array, null, string, number)', async () => {
    for (const raw of ['[]', 'null', '"ops@acme.example"', '42']) {
      assert.deepEqual(codes(assertFailure(await post(url(), undefined, { raw }), 400)), [['InvalidType', 'Body', 0]], raw);
    }
  });

  it('answers malformed and empty JSON with InvalidJson', async () => {
    for (const raw of ['{"UserNameOrEmail": "ops@acme.example", ', '{bad json}', '']) {
      assert.deepEqual(codes(assertFailure(await post(url(), undefined, { raw }), 400)), [['InvalidJson', 'Body', 0]], raw);
    }
  });

  it('answers a prototype-poisoning body with InvalidJson', async () => {
    const raw = '{"UserNameOrEmail":"ops@acme.example","Password":"x","__proto__":{"admin":true}}';
    assert.deepEqual(codes(assertFailure(await post(url(), undefined, { raw }), 400)), [['InvalidJson', 'Body', 0]]);
  });

  it('answers a body over 16 KiB with 413 PayloadTooLarge', async () => {
    const res = await post(url(), { UserNameOrEmail: 'ops@acme.example', Password: 'x'.repeat(17 * 1024) });
    assert.deepEqual(codes(assertFailure(res, 413)), [['PayloadTooLarge', 'Body', 0]]);
  });

  it('answers a content type it does not parse with 400 InvalidContentType', async () => {
    const res = await post(url(), undefined, { raw: '<login/>', headers: { 'content-type': 'application/xml' } });
    assert.deepEqual(codes(assertFailure(res, 400)), [['InvalidContentType', 'Content-Type', 0]]);
  });

  it('refuses a plain-text body as a content type it does not parse (400 InvalidContentType, the seed\'s one refusal status)', async () => {
    const res = await post(url(), undefined, { raw: 'ops@acme.example', headers: { 'content-type': 'text/plain' } });
    assert.deepEqual(codes(assertFailure(res, 400)), [['InvalidContentType', 'Content-Type', 0]]);
  });

  it('reports an over-long X-Workspace header together with the body\'s problems', async () => {
    const res = await post(url(), { UserNameOrEmail: '' , Password: PASSWORD }, { headers: { 'x-workspace': 'w'.repeat(101) } });
    assert.deepEqual(
      assertFailure(res, 400).map((e) => [e.Code, e.Field, e.Metadata]),
      [
        ['Required', 'UserNameOrEmail', null],
        ['TooLong', 'X-Workspace', { MaxLength: '100' }],
      ],
    );
  });

  it('treats a blank X-Workspace header as absent (the default membership applies)', async () => {
    const res = await post(url(), { UserNameOrEmail: 'ops@acme.example', Password: PASSWORD }, { headers: { 'x-workspace': '   ' } });
    assert.equal(res.status, 200, res.text);
  });

  it('answers unknown routes under /api/workspace with a 404 envelope, and a wrong method with a 405 envelope and Allow', async () => {
    for (const res of [await get(`${t.url}/api/workspace/nope`), await post(`${t.url}/api/workspace`, {})]) {
      const errors = assertFailure(res, 404);
      assert.deepEqual(codes(errors), [['NotFound', null, 1]]);
    }
    const wrongMethod = await get(`${t.url}${LOGIN}`);
    assert.deepEqual(codes(assertFailure(wrongMethod, 405)), [['MethodNotAllowed', null, 1]]);
    assert.equal(wrongMethod.headers.get('allow'), 'POST');
  });

  it('keeps the /api/auth error shape outside /api/workspace, even for look-alike paths', async () => {
    for (const path of ['/api/workspaces/x', '/api/auth/nope']) {
      const res = await get(`${t.url}${path}`);
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 'NOT_FOUND', path);
      assert.equal(res.body.Errors, undefined);
    }
  });
});
