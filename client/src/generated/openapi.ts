// Generated from the OpenAPI document (GET /api/docs-json) by scripts/generate-client-types.ts. Do not edit.
// After an API change run `npm run client:types`; test/client/openapi-types.e2e.ts fails while this file is stale.

export type AccessRole = "ADMIN" | "MEMBER";

export type ApiErrorCode = "VALIDATION_FAILED" | "MALFORMED_JSON" | "UNSUPPORTED_MEDIA_TYPE" | "PAYLOAD_TOO_LARGE" | "INVALID_CREDENTIALS" | "TOKEN_INVALID" | "TOKEN_EXPIRED" | "SESSION_REVOKED" | "SESSION_IDLE_TIMEOUT" | "SESSION_EXPIRED" | "INVALID_REFRESH_TOKEN" | "REFRESH_TOKEN_REUSED" | "SILENT_RENEWAL_DISABLED" | "IMPERSONATION_TOKEN_INVALID" | "FORBIDDEN" | "IMPERSONATION_NESTED" | "IMPERSONATION_FORBIDDEN" | "IMPERSONATION_RESTRICTED" | "EMAIL_VERIFICATION_REQUIRED" | "MFA_REQUIRED" | "SSO_REQUIRED" | "USER_NOT_PROVISIONED" | "INVALID_STATE" | "INVALID_REDIRECT_URI" | "SSO_NOT_CONFIGURED" | "INVALID_SSO_CODE" | "SSO_FAILED" | "ADDITIONAL_VERIFICATION_REQUIRED" | "WORKSPACE_ACCESS_DENIED" | "USER_NOT_FOUND" | "NOT_FOUND" | "METHOD_NOT_ALLOWED" | "TOO_MANY_ATTEMPTS" | "IDENTITY_PROVIDER_UNAVAILABLE" | "SERVICE_UNAVAILABLE" | "INTERNAL_ERROR";

export interface ApiErrorDto {
  statusCode: number;
  code: ApiErrorCode;
  message: string;
  /** Present on VALIDATION_FAILED. */
  errors?: FieldErrorDto[];
}

export interface AuditUserDto {
  /** @format uuid */
  id: string;
  /** Null when the user no longer exists. */
  email: string | null;
}

/** What the SPA does when an SSO session cannot renew. */
export type FallbackBehavior = "redirect" | "logout";

export interface FieldErrorDto {
  field: string;
  message: string;
}

export interface ImpersonationEventDto {
  /**
   * The audit row id; null for an end computed from a session that expired unobserved (`recorded: false`).
   * @format uuid
   */
  id: string | null;
  type: ImpersonationEventType;
  /** @format date-time */
  occurredAt: string;
  /** Who acted: the issuing admin; the impersonating admin for redemptions and logouts; the ending admin for early ends. */
  actor: AuditUserDto | null;
  /** The impersonated user. */
  targetUser: AuditUserDto | null;
  /**
   * The impersonated session (redeemed and ended events).
   * @format uuid
   */
  sessionId: string | null;
  /** The reason the admin gave (issue, early end). */
  reason: string | null;
  /** Client IP of the request that caused the event. */
  ip: string | null;
  userAgent: string | null;
  /** issued: `jti`, `expiresAt`. redeemed: `jti`. rejected: `why` (malformed, unknown_key, bad_signature, wrong_algorithm, wrong_issuer, wrong_audience, not_impersonation, expired, email_mismatch, unknown_ticket, ticket_mismatch, already_redeemed, admin_not_allowed, target_not_allowed) and `jti` when known. ended: `endReason` (logout, revoked, expired, idle_timeout, user_deactivated, credentials_changed, refresh_reuse), `impersonatorId`, `endedBy` (`admin` for an early end). */
  details: {
    [key: string]: unknown;
  };
  /** False for the end of an impersonated session that reached its limit without anyone noticing yet: computed from the session row (occurredAt = its expiry) until a request or refresh records it. */
  recorded: boolean;
}

export type ImpersonationEventType = "impersonation.issued" | "impersonation.redeemed" | "impersonation.rejected" | "impersonation.ended";

export interface ImpersonationEventsPageDto {
  /** Newest first. */
  items: ImpersonationEventDto[];
  limit: number;
  offset: number;
  /** The offset of the next page; null on the last page. */
  nextOffset: number | null;
}

export interface ImpersonationReasonDto {
  /** Why the admin acts as this user; stored in the audit trail and listed by GET /api/auth/impersonations. */
  reason?: string;
}

export interface ImpersonationTicketDto {
  /** Single-use JWT (HS256, audience `<JWT_AUDIENCE>:impersonation`, `isImpersonation: true`, the target `sub` and `email`, the admin id in `adm`, a unique `jti`). Redeem it with POST /api/auth/login `{ email, impersonationToken }`. Never accepted as a bearer token. */
  impersonationToken: string;
  /**
   * When the token stops being redeemable.
   * @format date-time
   */
  expiresAt: string;
  /** The user to be impersonated (the login body must carry this email). */
  user: UserPayload;
}

export interface ImpersonatorDto {
  /** @format uuid */
  id: string;
  email: string;
}

export interface LoginDto {
  /**
   * Login email; used to look up the user before credential check.
   * @format email
   */
  email: string;
  /** Plain-text password; verified via WorkOS when the user is migrated, otherwise via the local bcrypt hash. Mutually exclusive with impersonationToken. */
  password?: string;
  /** Single-use JWT issued by /api/auth/impersonate/{userId}; must carry the isImpersonation flag and match email. Mutually exclusive with password. */
  impersonationToken?: string;
}

export interface LoginResponseDto {
  /** JWT access token. */
  token: string;
  /** `rt_` + 32 hex characters; single use, rotated on refresh. */
  refreshToken: string;
  sessionConfig: SessionConfigDto;
  /** Compact User payload returned with auth tokens. */
  user: UserPayload;
  session: SessionInfoDto;
}

export interface MeResponseDto {
  user: UserPayload;
  sessionConfig: SessionConfigDto;
  session: SessionInfoDto;
  /** The admin behind an impersonated session; null otherwise. */
  impersonator?: ImpersonatorDto | null;
}

/** The user's onboarding in this workspace: 0 = not started, 1 = in progress, 2 = completed. Below 2, the answer carries an OnboardingIncomplete warning. */
export type OnboardingStatus = 0 | 1 | 2;

export interface OrganizationUserDto {
  /** @format uuid */
  id: string;
  email: string;
  fullName: string;
  accessRole: AccessRole;
  /** Inactive users cannot sign in (nor be impersonated). */
  active: boolean;
}

export interface OrganizationUsersPageDto {
  items: OrganizationUserDto[];
  /** Users of the organization in all. */
  total: number;
  limit: number;
  offset: number;
}

export interface RefreshDto {
  /** The refresh token from the last login or refresh. */
  refreshToken: string;
}

export interface SessionConfigDto {
  /** Whether the policy is enforced (by the SPA and by the server). */
  enabled: boolean;
  /** Minutes without activity after which the session ends. */
  idleTimeoutMinutes: number;
  /** Lifetime of an access token, in hours. */
  tokenExpiryHours: number;
  /** Minutes before the idle deadline at which the SPA warns. */
  warningTimeMinutes: number;
  /** Whether the SPA tracks user input for idleness. */
  idleTrackingEnabled: boolean;
  /** Whether SSO sessions may refresh silently. */
  ssoSilentRenewalEnabled: boolean;
  /** What the SPA does when an SSO session cannot renew. */
  ssoFallbackBehavior: "redirect" | "logout";
  /** Whether password sessions may refresh silently. */
  passwordSilentRenewalEnabled: boolean;
  /** What the SPA does when a password session cannot renew. */
  passwordFallbackBehavior: "redirect" | "logout";
}

export interface SessionInfoDto {
  /** @format uuid */
  id: string;
  /** How the session was opened. */
  method: SessionMethod;
  /** @format date-time */
  createdAt: string;
  /**
   * Absolute limit; refresh never extends a session past it.
   * @format date-time
   */
  expiresAt: string;
  /**
   * Idle deadline as of this response; null when the policy is disabled.
   * @format date-time
   */
  idleExpiresAt: string | null;
  /**
   * When the access token expires: the one in this response (login, refresh), or the one the request carried (me).
   * @format date-time
   */
  accessTokenExpiresAt: string;
}

/** How the session was opened. */
export type SessionMethod = "password" | "sso" | "impersonation";

export interface SessionPolicyDto {
  /** Whether the policy is enforced, by the SPA and by the server. */
  enabled: boolean;
  /** Minutes without a request or refresh after which the session ends (SESSION_IDLE_TIMEOUT). */
  idleTimeoutMinutes: number;
  /** Lifetime of an access token, in hours. */
  tokenExpiryHours: number;
  /** Minutes before the idle deadline at which the SPA warns; strictly smaller than idleTimeoutMinutes. */
  warningTimeMinutes: number;
  /** Whether the SPA tracks user input (mouse, keys) to detect idleness. */
  idleTrackingEnabled: boolean;
  /** Whether SSO sessions may refresh silently (else 401 SILENT_RENEWAL_DISABLED). */
  ssoSilentRenewalEnabled: boolean;
  /** What the SPA does when an SSO session cannot renew. */
  ssoFallbackBehavior: FallbackBehavior;
  /** Whether password sessions may refresh silently (else 401 SILENT_RENEWAL_DISABLED). */
  passwordSilentRenewalEnabled: boolean;
  /** What the SPA does when a password session cannot renew. */
  passwordFallbackBehavior: FallbackBehavior;
}

export interface SsoAuthorizeResponseDto {
  /** Send the browser here. WorkOS redirects back to redirectUri with `code` and `state` (or `error`). */
  url: string;
  /** The signed state inside `url` (also returned here): keep it in sessionStorage and post a callback only when the state WorkOS returns equals it. */
  state: string;
  /** The state expires after 10 minutes; it can be used once. */
  expiresAt: string;
}

export interface SsoCallbackDto {
  /** The authorization code (success). Exactly one of code or error. */
  code?: string;
  /** The state from the authorize answer, as WorkOS returned it. */
  state: string;
  /** WorkOS's error code when the sign-in did not succeed. */
  error?: string;
  /** WorkOS's description of the error (not echoed back). */
  error_description?: string;
}

export interface UpdateSessionPolicyRequest {
  /** Whether the policy is enforced, by the SPA and by the server. */
  enabled: boolean;
  /** Minutes without a request or refresh after which the session ends (SESSION_IDLE_TIMEOUT). */
  idleTimeoutMinutes: number;
  /** Lifetime of an access token, in hours. */
  tokenExpiryHours: number;
  /** Minutes before the idle deadline at which the SPA warns; strictly smaller than idleTimeoutMinutes. */
  warningTimeMinutes: number;
  /** Whether the SPA tracks user input (mouse, keys) to detect idleness. */
  idleTrackingEnabled: boolean;
  /** Whether SSO sessions may refresh silently (else 401 SILENT_RENEWAL_DISABLED). */
  ssoSilentRenewalEnabled: boolean;
  /** What the SPA does when an SSO session cannot renew. */
  ssoFallbackBehavior: FallbackBehavior;
  /** Whether password sessions may refresh silently (else 401 SILENT_RENEWAL_DISABLED). */
  passwordSilentRenewalEnabled: boolean;
  /** What the SPA does when a password session cannot renew. */
  passwordFallbackBehavior: FallbackBehavior;
}

export interface UserPayload {
  /** User id (opaque). */
  id: string;
  email: string;
  /** First and last name joined. */
  fullName: string;
  /** Organization id (opaque). */
  organizationId: string;
  accessRole: AccessRole;
  conversationOpenPreference: string;
}

export interface WorkspaceAuthResponseDto {
  /** Access token for the workspace session. A JWT with claim `wsp` (the workspace slug) and the workspace audience. Its lifetime is the organization's `tokenExpiryHours`; there is no refresh token. Accepted by /api/workspace bearer routes only. */
  AccessToken: string;
  /** Workspace user identifier. */
  UserId: string;
  /** User login name. Null when the user has none (they sign in by email). */
  UserName: string | null;
  /** User email address. */
  Email?: string;
  /** User first name. */
  FirstName?: string;
  /** User last name. */
  LastName?: string;
  /**
   * The user's type in this workspace: 0 = standard, 1 = administrator, 2 = guest.
   * @format int32
   */
  UserType: WorkspaceUserType;
  /** Workspace slug identifier. */
  WorkspaceName: string;
  /** Workspace locale code. When the workspace has none: `en-US`, with a LocaleDefaulted warning. */
  Locale: string;
  /** Workspace time zone identifier. IANA; when the workspace has none: `UTC`, with a TimeZoneDefaulted warning. */
  TimeZone: string;
  /** Workspace date-time format pattern. When the workspace has none: `yyyy-MM-dd HH:mm`, with a FormatDefaulted warning. */
  DateTimeFormat: string;
  /** Workspace date format pattern. When the workspace has none: `yyyy-MM-dd`, with a FormatDefaulted warning. */
  DateFormat: string;
  /** Workspace time format pattern. When the workspace has none: `HH:mm`, with a FormatDefaulted warning. */
  TimeFormat: string;
  /** Workspace routing region code. Null when the workspace has none. */
  RegionCode?: string | null;
  /**
   * The user's onboarding in this workspace: 0 = not started, 1 = in progress, 2 = completed. Below 2, the answer carries an OnboardingIncomplete warning.
   * @format int32
   */
  OnboardingStatus: OnboardingStatus;
  /** Role names assigned to the user. */
  Roles: string[];
  /** Permission keys assigned to the user. The union of the permissions of their roles, sorted, without duplicates. */
  Permissions: string[];
  /** Typed module availability snapshot included in the authenticated user context. */
  Modules: WorkspaceModulesDto;
}

export interface WorkspaceContextEnvelope {
  /** The session's workspace context; null on failure. */
  Data: WorkspaceUserContextDto | null;
  /** Empty on success; at least one entry on failure. */
  Errors: WorkspaceMessageDto[];
  /** Non-blocking notices (Severity 1), e.g. OnboardingIncomplete. */
  Warnings: WorkspaceMessageDto[];
  /** True exactly when Errors is empty. */
  Success: boolean;
}

export interface WorkspaceEmptyEnvelope {
  /** Always null. */
  Data: Record<string, unknown> | null;
  /** Empty on success; at least one entry on failure. */
  Errors: WorkspaceMessageDto[];
  /** Non-blocking notices (Severity 1), e.g. OnboardingIncomplete. */
  Warnings: WorkspaceMessageDto[];
  /** True exactly when Errors is empty. */
  Success: boolean;
}

export interface WorkspaceLoginEnvelope {
  /** Workspace authentication response with access token and user profile; null on failure. */
  Data: WorkspaceAuthResponseDto | null;
  /** Empty on success; at least one entry on failure. */
  Errors: WorkspaceMessageDto[];
  /** Non-blocking notices (Severity 1), e.g. OnboardingIncomplete. */
  Warnings: WorkspaceMessageDto[];
  /** True exactly when Errors is empty. */
  Success: boolean;
}

export interface WorkspaceLoginRequest {
  /** Workspace user name or email address. Containing `@`: matched against emails only; otherwise against user names only. Case-insensitive. */
  UserNameOrEmail: string;
  /** Account password. */
  Password: string;
}

export interface WorkspaceMessageDto {
  /** Stable, machine-readable code (PascalCase), e.g. InvalidCredentials, Required, OnboardingIncomplete. */
  Code: string;
  /** Human-readable explanation. */
  Message: string;
  /** What the message is about (e.g. `Workspace`); null when not applicable. */
  Target?: string | null;
  /** The request field (UserNameOrEmail, Password, an unknown field's name, X-Workspace, Body, Content-Type) or the Data field a warning is about. */
  Field?: string | null;
  /** Extra facts as strings, e.g. { "MaxLength": "254" } or { "Default": "UTC" }. */
  Metadata?: {
    [key: string]: string | null;
  } | null;
  /**
   * Kind of rule: 0 = validation (the request's shape), 1 = business rule (credentials, access, throttling, warnings), 2 = system (identity provider or service unavailable, unexpected errors).
   * @format int32
   */
  Type: WorkspaceMessageType;
  /**
   * 0 = info, 1 = warning, 2 = error. Every entry of Errors is 2, every entry of Warnings is 1.
   * @format int32
   */
  Severity: WorkspaceMessageSeverity;
}

/** 0 = info, 1 = warning, 2 = error. Every entry of Errors is 2, every entry of Warnings is 1. */
export type WorkspaceMessageSeverity = 0 | 1 | 2;

/** Kind of rule: 0 = validation (the request's shape), 1 = business rule (credentials, access, throttling, warnings), 2 = system (identity provider or service unavailable, unexpected errors). */
export type WorkspaceMessageType = 0 | 1 | 2;

export interface WorkspaceModuleStateDto {
  /** Whether the module is enabled in this workspace. */
  Enabled: boolean;
}

export interface WorkspaceModulesDto {
  /** Availability state for one workspace module in the authenticated user context. */
  Boards: WorkspaceModuleStateDto;
  /** Availability state for one workspace module in the authenticated user context. */
  Booking: WorkspaceModuleStateDto;
  /** Availability state for one workspace module in the authenticated user context. */
  CurrencyRates: WorkspaceModuleStateDto;
  /** Availability state for one workspace module in the authenticated user context. */
  EntitlementOperations: WorkspaceModuleStateDto;
  /** Availability state for one workspace module in the authenticated user context. */
  WorkInbox: WorkspaceModuleStateDto;
}

export interface WorkspaceUserContextDto {
  /** Workspace user identifier. */
  UserId: string;
  /** User login name. Null when the user has none (they sign in by email). */
  UserName: string | null;
  /** User email address. */
  Email?: string;
  /** User first name. */
  FirstName?: string;
  /** User last name. */
  LastName?: string;
  /**
   * The user's type in this workspace: 0 = standard, 1 = administrator, 2 = guest.
   * @format int32
   */
  UserType: WorkspaceUserType;
  /** Workspace slug identifier. */
  WorkspaceName: string;
  /** Workspace locale code. When the workspace has none: `en-US`, with a LocaleDefaulted warning. */
  Locale: string;
  /** Workspace time zone identifier. IANA; when the workspace has none: `UTC`, with a TimeZoneDefaulted warning. */
  TimeZone: string;
  /** Workspace date-time format pattern. When the workspace has none: `yyyy-MM-dd HH:mm`, with a FormatDefaulted warning. */
  DateTimeFormat: string;
  /** Workspace date format pattern. When the workspace has none: `yyyy-MM-dd`, with a FormatDefaulted warning. */
  DateFormat: string;
  /** Workspace time format pattern. When the workspace has none: `HH:mm`, with a FormatDefaulted warning. */
  TimeFormat: string;
  /** Workspace routing region code. Null when the workspace has none. */
  RegionCode?: string | null;
  /**
   * The user's onboarding in this workspace: 0 = not started, 1 = in progress, 2 = completed. Below 2, the answer carries an OnboardingIncomplete warning.
   * @format int32
   */
  OnboardingStatus: OnboardingStatus;
  /** Role names assigned to the user. */
  Roles: string[];
  /** Permission keys assigned to the user. The union of the permissions of their roles, sorted, without duplicates. */
  Permissions: string[];
  /** Typed module availability snapshot included in the authenticated user context. */
  Modules: WorkspaceModulesDto;
}

/** The user's type in this workspace: 0 = standard, 1 = administrator, 2 = guest. */
export type WorkspaceUserType = 0 | 1 | 2;

/** Every operation of the API by "METHOD /path": its parameters, JSON body, success body and error statuses. */
export interface Operations {
  /** Issue a single-use impersonation token for a user of your organization (ADMIN). */
  "POST /api/auth/impersonate/{userId}": {
    path: { userId: string };
    body?: ImpersonationReasonDto;
    response: ImpersonationTicketDto;
    errorStatus: 400 | 401 | 403 | 404;
  };
  /** The impersonation audit trail of your organization (ADMIN), newest first. */
  "GET /api/auth/impersonations": {
    query: { adminId?: string; limit?: number; offset?: number; targetUserId?: string; type?: ImpersonationEventType };
    response: ImpersonationEventsPageDto;
    errorStatus: 400 | 401 | 403;
  };
  /** End an impersonated session of your organization early (ADMIN). */
  "POST /api/auth/impersonations/{sessionId}/end": {
    path: { sessionId: string };
    body?: ImpersonationReasonDto;
    response: void;
    errorStatus: 400 | 401 | 403 | 404;
  };
  /** Login with password or impersonation token */
  "POST /api/auth/login": {
    body: LoginDto;
    response: LoginResponseDto;
    errorStatus: 400 | 401 | 429 | 503;
  };
  /** End the current session: its access and refresh tokens stop working at once. */
  "POST /api/auth/logout": {
    response: void;
    errorStatus: 401;
  };
  /** The current user, session policy and deadlines; the impersonator on impersonated sessions. */
  "GET /api/auth/me": {
    response: MeResponseDto;
    errorStatus: 401;
  };
  /** Exchange a refresh token for new tokens */
  "POST /api/auth/refresh": {
    body: RefreshDto;
    response: LoginResponseDto;
    errorStatus: 401;
  };
  /** Start an SSO sign-in through WorkOS */
  "GET /api/auth/workos/authorize": {
    query: { organizationId: string; redirectUri: string };
    response: SsoAuthorizeResponseDto;
    errorStatus: 400 | 404 | 503;
  };
  /** Finish an SSO sign-in: exchange the WorkOS code for a session */
  "POST /api/auth/workos/callback": {
    body: SsoCallbackDto;
    response: LoginResponseDto;
    errorStatus: 400 | 401 | 403 | 503;
  };
  /** Liveness: the process is up. */
  "GET /api/health": {
    response: unknown;
  };
  /** Readiness: the database answers. */
  "GET /api/health/ready": {
    response: {
      status?: "ok" | "degraded";
      info?: {
        [key: string]: {
        status: "up" | "degraded" | "down";
        /** Time the health indicator took to respond, in ms */
        responseTime?: number;
        [key: string]: unknown;
      };
      } | null;
      error?: {
        [key: string]: {
        status: "up" | "degraded" | "down";
        /** Time the health indicator took to respond, in ms */
        responseTime?: number;
        [key: string]: unknown;
      };
      } | null;
      details?: {
        [key: string]: {
        status: "up" | "degraded" | "down";
        /** Time the health indicator took to respond, in ms */
        responseTime?: number;
        [key: string]: unknown;
      };
      };
    };
    errorStatus: 503;
  };
  /** The organization's session policy, resolved (ADMIN of that organization only). */
  "GET /api/organizations/{orgId}/session-policy": {
    path: { orgId: string };
    response: SessionPolicyDto;
    errorStatus: 401 | 403 | 404;
  };
  /** Replace the organization's session policy (ADMIN of that organization only). */
  "PUT /api/organizations/{orgId}/session-policy": {
    path: { orgId: string };
    body: UpdateSessionPolicyRequest;
    response: SessionPolicyDto;
    errorStatus: 400 | 401 | 403 | 404;
  };
  /** The users of an organization (ADMIN of that organization only). */
  "GET /api/organizations/{orgId}/users": {
    path: { orgId: string };
    query: { limit?: number; offset?: number };
    response: OrganizationUsersPageDto;
    errorStatus: 401 | 403 | 404;
  };
  /** Authenticate a workspace user by user name or email. */
  "POST /api/workspace/auth/login": {
    header: { "X-Workspace"?: string };
    body: WorkspaceLoginRequest;
    response: WorkspaceLoginEnvelope;
    errorStatus: 400 | 429 | 503;
  };
  /** End the current workspace session: its access token stops working at once. */
  "POST /api/workspace/auth/logout": {
    response: WorkspaceEmptyEnvelope;
    errorStatus: 401;
  };
  /** The workspace context of the current workspace session (the login's Data without AccessToken). */
  "GET /api/workspace/auth/me": {
    response: WorkspaceContextEnvelope;
    errorStatus: 400 | 401;
  };
}

export type OperationKey = keyof Operations;
