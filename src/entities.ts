import { AccountToken } from './accounts/tokens/account-token.entity';
import { MfaFactor } from './mfa/mfa-factor.entity';
import { MfaLoginChallenge } from './mfa/mfa-login-challenge.entity';
import { MfaRecoveryCode } from './mfa/mfa-recovery-code.entity';
import { AuditEvent } from './audit/audit-event.entity';
import { RefreshToken } from './sessions/refresh-token.entity';
import { Session } from './sessions/session.entity';
import { ConsumedNonce } from './auth/sso/consumed-nonce.entity';
import { ImpersonationTicket } from './impersonation/impersonation-ticket.entity';
import { Organization } from './identity/organizations/organization.entity';
import { ThrottleCounter } from './throttle/throttle-counter.entity';
import { User } from './identity/users/user.entity';
import { WorkspaceMembership } from './workspace/workspace-membership.entity';
import { Workspace } from './workspace/workspace.entity';

export const ENTITIES = [
  Organization,
  User,
  Workspace,
  WorkspaceMembership,
  Session,
  RefreshToken,
  ImpersonationTicket,
  AuditEvent,
  ThrottleCounter,
  ConsumedNonce,
  AccountToken,
  MfaFactor,
  MfaRecoveryCode,
  MfaLoginChallenge,
];
