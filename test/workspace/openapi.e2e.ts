import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { get } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

describe('OpenAPI document of the workspace API', () => {
  let t: TestApp;
  let doc: any;
  const schema = (name: string) => doc.components.schemas[name];

  before(async () => {
    t = await startTestApp();
    doc = (await get(`${t.url}/api/docs-json`)).body;
  });
  after(() => t.close());

  it('documents the login with its body, the X-Workspace header and examples for 200, 400, 429 and 503', () => {
    const op = doc.paths['/api/workspace/auth/login'].post;
    assert.equal(op.summary, 'Authenticate a workspace user by user name or email.');
    assert.match(op.description, /Locale is resolved from the workspace settings\./);
    assert.equal(op.requestBody.content['application/json'].schema.$ref, '#/components/schemas/WorkspaceLoginRequest');
    assert.deepEqual(op.parameters.map((p: any) => [p.name, p.in, p.required]), [['X-Workspace', 'header', false]]);
    assert.deepEqual(Object.keys(op.responses).sort(), ['200', '400', '413', '429', '503']); // 413: every body (test/openapi/responses.e2e.ts)
    const ok = op.responses['200'].content['application/json'];
    assert.equal(ok.schema.$ref, '#/components/schemas/WorkspaceLoginEnvelope');
    assert.equal(ok.examples.completed.value.Data.WorkspaceName, 'acme-eu');
    const bad = op.responses['400'].content['application/json'].examples;
    assert.deepEqual(Object.keys(bad), ['required', 'tooLong', 'invalidJson', 'invalidCredentials', 'workspaceAccessDenied']);
    assert.equal(bad.required.value.Errors[0].Type, 0);
    assert.equal(op.responses['429'].content['application/json'].example.Errors[0].Code, 'TooManyAttempts');
    assert.equal(op.responses['503'].content['application/json'].example.Errors[0].Type, 2);
  });

  it('carries the seed\'s schemas, descriptions and required fields, in the seed\'s order', () => {
    const request = schema('WorkspaceLoginRequest');
    assert.deepEqual(Object.keys(request.properties), ['UserNameOrEmail', 'Password']);
    assert.equal(request.properties.Password.description, 'Account password.');
    const data = schema('WorkspaceAuthResponseDto');
    assert.deepEqual(Object.keys(data.properties), [
      'AccessToken', 'UserId', 'UserName', 'Email', 'FirstName', 'LastName', 'UserType', 'WorkspaceName', 'Locale', 'TimeZone',
      'DateTimeFormat', 'DateFormat', 'TimeFormat', 'RegionCode', 'OnboardingStatus', 'Roles', 'Permissions', 'Modules',
    ]);
    assert.deepEqual(data.required.sort(), [
      'AccessToken', 'DateFormat', 'DateTimeFormat', 'Locale', 'Modules', 'OnboardingStatus', 'Permissions', 'Roles', 'TimeFormat',
      'TimeZone', 'UserId', 'UserName', 'UserType', 'WorkspaceName',
    ]);
    const seed: Record<string, string> = {
      AccessToken: 'Access token for the workspace session.',
      UserId: 'Workspace user identifier.',
      UserName: 'User login name.',
      Email: 'User email address.',
      FirstName: 'User first name.',
      LastName: 'User last name.',
      WorkspaceName: 'Workspace slug identifier.',
      Locale: 'Workspace locale code.',
      TimeZone: 'Workspace time zone identifier.',
      DateTimeFormat: 'Workspace date-time format pattern.',
      DateFormat: 'Workspace date format pattern.',
      TimeFormat: 'Workspace time format pattern.',
      RegionCode: 'Workspace routing region code.',
      Roles: 'Role names assigned to the user.',
      Permissions: 'Permission keys assigned to the user.',
      Modules: 'Typed module availability snapshot included in the authenticated user context.',
    };
    for (const [field, text] of Object.entries(seed)) assert.ok(data.properties[field].description.startsWith(text), field);
    assert.ok(request.properties.UserNameOrEmail.description.startsWith('Workspace user name or email address.'));
    assert.deepEqual(Object.keys(schema('WorkspaceModulesDto').properties), ['Boards', 'Booking', 'CurrencyRates', 'EntitlementOperations', 'WorkInbox']);
    assert.deepEqual(Object.keys(schema('WorkspaceLoginEnvelope').properties), ['Data', 'Errors', 'Warnings', 'Success']);
    assert.deepEqual(Object.keys(schema('WorkspaceMessageDto').properties), ['Code', 'Message', 'Target', 'Field', 'Metadata', 'Type', 'Severity']);
  });

  it('explains every integer enum: UserType, OnboardingStatus, Type and Severity', () => {
    const enums: [string, RegExp][] = [
      ['WorkspaceUserType', /0 = standard, 1 = administrator, 2 = guest/],
      ['OnboardingStatus', /0 = not started, 1 = in progress, 2 = completed/],
      ['WorkspaceMessageType', /0 = validation.*1 = business rule.*2 = system/],
      ['WorkspaceMessageSeverity', /0 = info, 1 = warning, 2 = error/],
    ];
    for (const [name, meaning] of enums) {
      assert.equal(schema(name).type, 'integer', name);
      assert.deepEqual(schema(name).enum, [0, 1, 2], name);
      assert.match(schema(name).description, meaning, name);
    }
  });

  it('documents /me and /logout as workspace-bearer routes', () => {
    assert.ok(doc.paths['/api/workspace/auth/me'].get.security);
    assert.equal(
      doc.paths['/api/workspace/auth/me'].get.responses['200'].content['application/json'].schema.$ref,
      '#/components/schemas/WorkspaceContextEnvelope',
    );
    assert.ok(doc.paths['/api/workspace/auth/logout'].post.responses['401']);
  });
});
