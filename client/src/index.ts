export { AuthClient } from './auth-client';
export type { ImpersonationTicket } from './auth-client';
export type { AuthClientOptions, ClientEvents } from './options';
export { AuthApiError } from './http';
export { LOGOUT_MESSAGES, silentRenewalAllowed, fallbackFor } from './policy';
export type * from './types';
export type {
  EmailVerificationRequired,
  LoginResult,
  MfaEnrolled,
  MfaEnrollmentRequired,
  MfaEvents,
  MfaRequired,
  PendingLoginStatus,
  SecondFactorRequired,
  SignedIn,
  StepUpRequired,
  TotpEnrollment,
} from './mfa-steps';
export type * as Api from './generated/openapi';
