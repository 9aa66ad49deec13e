/** OpenAPI examples of the envelope, one per documented answer. */

const error = (Code: string, Message: string, Type: number, extra: Record<string, unknown> = {}) => ({
  Code,
  Message,
  Target: null,
  Field: null,
  Metadata: null,
  Type,
  Severity: 2,
  ...extra,
});

const failure = (...errors: ReturnType<typeof error>[]) => ({ Data: null, Errors: errors, Warnings: [], Success: false });

const COMPLETED_DATA = {
  AccessToken: 'eyJhbGciOiJIUzI1NiIsImtpZCI6IjA0ZjEiLCJ0eXAiOiJKV1QifQ…',
  UserId: '3f6c1a52-9a43-4c1e-8d0e-2b9f1f0c7a11',
  UserName: 'ops.admin',
  Email: 'ops@acme.example',
  FirstName: 'Olga',
  LastName: 'Ops',
  UserType: 1,
  WorkspaceName: 'acme-eu',
  Locale: 'de-DE',
  TimeZone: 'Europe/Berlin',
  DateTimeFormat: 'dd.MM.yyyy HH:mm',
  DateFormat: 'dd.MM.yyyy',
  TimeFormat: 'HH:mm',
  RegionCode: 'eu',
  OnboardingStatus: 2,
  Roles: ['Supervisor', 'Agent'],
  Permissions: ['boards.read', 'boards.write', 'inbox.reply', 'reports.read'],
  Modules: {
    Boards: { Enabled: true },
    Booking: { Enabled: false },
    CurrencyRates: { Enabled: true },
    EntitlementOperations: { Enabled: false },
    WorkInbox: { Enabled: true },
  },
};

const { AccessToken: _token, ...CONTEXT_DATA } = COMPLETED_DATA;

/** `me`: the login's Data without the token. */
export const CONTEXT_OK_EXAMPLE = { Data: CONTEXT_DATA, Errors: [], Warnings: [], Success: true };

export const LOGOUT_OK_EXAMPLE = { Data: null, Errors: [], Warnings: [], Success: true };

export const MEMBERSHIP_REMOVED_EXAMPLE = failure(
  error('WorkspaceAccessDenied', 'You no longer have access to this workspace.', 1, { Target: 'Workspace', Metadata: { Reason: 'NotAMember' } }),
);

export const LOGIN_OK_EXAMPLES = {
  completed: {
    summary: 'Default membership, onboarding completed',
    value: {
      Data: COMPLETED_DATA,
      Errors: [],
      Warnings: [],
      Success: true,
    },
  },
  withWarnings: {
    summary: 'Onboarding in progress, workspace without a time zone',
    value: {
      Data: { ...COMPLETED_DATA, TimeZone: 'UTC', OnboardingStatus: 1 },
      Errors: [],
      Warnings: [
        {
          Code: 'OnboardingIncomplete',
          Message: 'Onboarding in this workspace is not completed.',
          Target: 'Workspace',
          Field: 'OnboardingStatus',
          Metadata: { OnboardingStatus: '1' },
          Type: 1,
          Severity: 1,
        },
        {
          Code: 'TimeZoneDefaulted',
          Message: 'The workspace has no TimeZone; the default "UTC" is used.',
          Target: 'Workspace',
          Field: 'TimeZone',
          Metadata: { Default: 'UTC' },
          Type: 1,
          Severity: 1,
        },
      ],
      Success: true,
    },
  },
};

export const LOGIN_BAD_REQUEST_EXAMPLES = {
  required: {
    summary: 'Missing or empty field',
    value: failure(error('Required', 'UserNameOrEmail is required.', 0, { Field: 'UserNameOrEmail' })),
  },
  tooLong: {
    summary: 'Field too long',
    value: failure(
      error('TooLong', 'Password must be at most 1024 characters.', 0, { Field: 'Password', Metadata: { MaxLength: '1024' } }),
    ),
  },
  invalidJson: {
    summary: 'Malformed JSON',
    value: failure(error('InvalidJson', 'The request body is not valid JSON.', 0, { Field: 'Body' })),
  },
  invalidCredentials: {
    summary: 'Unknown user, wrong password or inactive user (indistinguishable)',
    value: failure(error('InvalidCredentials', 'Invalid user name, email or password.', 1)),
  },
  workspaceAccessDenied: {
    summary: 'Correct password, but not a member of the X-Workspace given (or the slug does not exist)',
    value: failure(
      error('WorkspaceAccessDenied', 'You do not have access to this workspace.', 1, {
        Target: 'Workspace',
        Metadata: { Reason: 'NotAMember' },
      }),
    ),
  },
};

export const TOO_MANY_ATTEMPTS_EXAMPLE = failure(error('TooManyAttempts', 'Too many failed attempts; try again later.', 1));

export const UNAVAILABLE_EXAMPLE = failure(
  error('IdentityProviderUnavailable', 'The identity provider is unavailable; try again shortly.', 2),
);

export const UNAUTHORIZED_EXAMPLE = failure(error('TokenInvalid', 'The access token is missing or invalid.', 1));
