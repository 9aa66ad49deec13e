/**
 * The pure half of the client's second factor: reading the server's "one more step"
 * answers. A correct password of a user with a second factor (or whom the organization's
 * policy requires to have one, or whose WorkOS account wants its email verified) is not a
 * failure but a step of the login, so it becomes a typed result rather than an error.
 */
import { AuthApiError } from './http';
import type { TotpEnrollmentDto } from './generated/openapi';
import type { AuthSnapshot } from './types';

/** What `POST /api/auth/mfa/totp` (or, during login, `/api/auth/login/mfa/enroll`) answers: show `otpauthUri` as a QR code. */
export type TotpEnrollment = TotpEnrollmentDto;

/** The login's extra steps, by the 403 code that asks for them. */
export const PENDING_LOGIN_CODES = {
  MFA_REQUIRED: 'mfa-required',
  MFA_ENROLLMENT_REQUIRED: 'mfa-enrollment-required',
  EMAIL_VERIFICATION_REQUIRED: 'email-verification-required',
} as const;

export type PendingLoginStatus = (typeof PENDING_LOGIN_CODES)[keyof typeof PENDING_LOGIN_CODES];

/** A 403 of the login that asks for one more step: its single-use token (5 minutes) and what it accepts. */
export interface PendingLoginAnswer {
  status: PendingLoginStatus;
  message: string;
  /** The credential of the next step; kept inside the client, never shown. */
  token: string;
  /** `["totp"]` for the second factor; empty for the email verification. */
  factors: string[];
  /** ISO 8601, by the server's clock. */
  expiresAt: string;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The pending step an error of `POST /api/auth/login` stands for, or null when it is a
 * real refusal. The token sits in `mfa` (second factor, enrollment) or `verification`
 * (email verification); an answer without a usable token is treated as a refusal.
 */
export function pendingLoginOf(err: unknown): PendingLoginAnswer | null {
  if (!(err instanceof AuthApiError) || err.status !== 403 || !err.code || !Object.prototype.hasOwnProperty.call(PENDING_LOGIN_CODES, err.code)) return null;
  const status = PENDING_LOGIN_CODES[err.code as keyof typeof PENDING_LOGIN_CODES];
  const body = isRecord(err.body) ? err.body : {};
  const pending = status === 'email-verification-required' ? body.verification : body.mfa;
  if (!isRecord(pending) || typeof pending.token !== 'string' || pending.token === '' || typeof pending.expiresAt !== 'string') return null;
  const factors = Array.isArray(pending.factors) ? pending.factors.filter((f): f is string => typeof f === 'string') : [];
  return { status, message: err.message, token: pending.token, factors, expiresAt: pending.expiresAt };
}

/** A code the server refused without ending the step: the same step may be tried again. */
export const isCodeRefusal = (err: unknown): err is AuthApiError => err instanceof AuthApiError && err.code === 'MFA_CODE_INVALID';

/** The server wants a fresh second factor on this session before the action. */
export const isStepUpRefusal = (err: unknown): err is AuthApiError => err instanceof AuthApiError && err.code === 'STEP_UP_REQUIRED';

interface PendingStep {
  readonly message: string;
  /** When the step's token dies (ISO 8601, server clock); sign in with the password again after it. */
  readonly expiresAt: string;
  /**
   * Why the previous try of this step was refused (`MFA_CODE_INVALID`), null on the first.
   * A dead token (`MFA_TOKEN_INVALID`: expired, used, or killed by the fifth wrong code)
   * is thrown instead: the login starts again with the password.
   */
  readonly error: AuthApiError | null;
}

/** 403 MFA_REQUIRED: a code of the authenticator app, or one of the recovery codes. */
export interface MfaRequired extends PendingStep {
  readonly status: 'mfa-required';
  readonly factors: readonly string[];
  submitCode(code: string): Promise<LoginResult>;
  /** Each recovery code works once. */
  submitRecoveryCode(recoveryCode: string): Promise<LoginResult>;
}

/** 403 MFA_ENROLLMENT_REQUIRED: the policy requires a factor this user has not set up yet. */
export interface MfaEnrollmentRequired extends PendingStep {
  readonly status: 'mfa-enrollment-required';
  /** The secret and otpauth URI of a new authenticator entry (a new call replaces it). */
  enroll(): Promise<TotpEnrollment>;
  /** The first code of the new entry: activates the factor and signs in (`mfa-enrolled`, with the recovery codes). */
  submitCode(code: string): Promise<LoginResult>;
}

/** 403 EMAIL_VERIFICATION_REQUIRED (a migrated user): the code WorkOS emailed. */
export interface EmailVerificationRequired extends PendingStep {
  readonly status: 'email-verification-required';
  submitCode(code: string): Promise<LoginResult>;
}

export type SecondFactorRequired = MfaRequired | MfaEnrollmentRequired | EmailVerificationRequired;

/** The snapshot right after a login: signed in. */
export type SignedIn = AuthSnapshot & { readonly status: 'signed-in' };

/** Signed in by finishing an enrollment during login: show the recovery codes now, they are not shown again. */
export interface MfaEnrolled {
  readonly status: 'mfa-enrolled';
  readonly snapshot: SignedIn;
  readonly recoveryCodes: readonly string[];
}

/**
 * What a login (or one of its steps) ends in: signed in (the snapshot), one more step
 * to take, or signed in after enrolling. Switch on `status`.
 */
export type LoginResult = SignedIn | SecondFactorRequired | MfaEnrolled;

/**
 * 403 STEP_UP_REQUIRED: the action needs a second factor proved on this session within
 * the last 15 minutes. `prove(code)` proves it and runs the action again.
 */
export interface StepUpRequired<T> {
  readonly status: 'step-up-required';
  readonly message: string;
  /** Why the previous proof was refused (`MFA_CODE_INVALID`), null on the first. */
  readonly error: AuthApiError | null;
  /** A current code of the authenticator app or a recovery code; then the action again. */
  prove(code: string): Promise<T | StepUpRequired<T>>;
}

/** Events of the second factor, on the client's emitter. They never carry a secret, a code or a token. */
export interface MfaEvents {
  /** A correct password, and the login waits for one more step. */
  'second-factor-required': { status: PendingLoginStatus; expiresAt: string };
  /** A factor became active: from the settings (`confirmTotp`) or during login. */
  'mfa-enrolled': { during: 'settings' | 'login' };
  'mfa-disabled': void;
  'recovery-codes-regenerated': void;
  /** The server refused an action until the session proves a fresh second factor. */
  'step-up-required': { message: string };
  /** The session proved a second factor now (`session.mfaAt`, server clock). */
  'stepped-up': { mfaAt: string | null };
}
