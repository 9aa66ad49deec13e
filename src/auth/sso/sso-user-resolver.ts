import { Injectable, Logger } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { ApiException, apiError } from '../../platform/errors/api.exception';
import type { Organization } from '../../identity/organizations/organization.entity';
import { normalizeEmail } from '../../identity/users/normalize';
import type { User } from '../../identity/users/user.entity';
import { UsersService } from '../../identity/users/users.service';
import { WorkosAccountsService } from '../../identity/users/workos-accounts.service';
import type { IdentityProviderUser } from '../identity-provider/identity-provider';

const UNIQUE_VIOLATION = '23505';

/**
 * Which local user a WorkOS identity signs in as:
 *
 * 1. the user already linked to that WorkOS user id; otherwise
 * 2. the user whose stored email equals WorkOS's email after the one
 *    normalisation (normalize.ts: trim, ASCII-only lower-casing) — only when WorkOS says the
 *    email is verified. The comparison is exact: a Kelvin sign (U+212A), a
 *    fullwidth letter or a trailing dot is a different address, never its
 *    look-alike. That user is then linked to the WorkOS user id.
 *
 * Either way the user must be active and belong to the organization the
 * sign-in was started for. Every refusal is the same 403 USER_NOT_PROVISIONED,
 * so the answer does not tell which accounts exist; the reason goes to the log.
 */
@Injectable()
export class SsoUserResolver {
  private readonly logger = new Logger(SsoUserResolver.name);

  constructor(
    private readonly users: UsersService,
    private readonly accounts: WorkosAccountsService,
  ) {}

  notProvisioned(): ApiException {
    return apiError(ApiErrorCode.USER_NOT_PROVISIONED, 'No active account here matches this sign-in; ask an administrator to provision it.');
  }

  async resolve(identity: IdentityProviderUser, org: Organization): Promise<User> {
    const linked = await this.users.findByWorkosUserId(identity.id);
    if (linked) return this.usable(linked, org, 'linked user');
    if (!identity.emailVerified) return this.refuse(`WorkOS user ${identity.id}: email not verified`);
    const candidate = await this.users.findByEmail(normalizeEmail(identity.email));
    if (!candidate) return this.refuse(`WorkOS user ${identity.id}: no local user with that email`);
    if (candidate.workosUserId !== null) return this.refuse(`WorkOS user ${identity.id}: local user ${candidate.id} is linked to another WorkOS user`);
    const user = this.usable(candidate, org, 'user found by email');
    if (!(await this.link(user.id, identity.id))) {
      return this.refuse(`WorkOS user ${identity.id}: local user ${user.id} was linked concurrently`);
    }
    this.logger.log(`linked local user ${user.id} to WorkOS user ${identity.id} (verified email)`);
    user.workosUserId = identity.id;
    return user;
  }

  /** False when another request linked this user, or this WorkOS user to someone else, first. */
  private async link(userId: string, workosUserId: string): Promise<boolean> {
    try {
      return await this.accounts.linkIfUnlinked(userId, workosUserId);
    } catch (err) {
      if (err instanceof QueryFailedError && (err.driverError as { code?: unknown } | undefined)?.code === UNIQUE_VIOLATION) return false;
      throw err;
    }
  }

  private usable(user: User, org: Organization, what: string): User {
    if (!user.active) return this.refuse(`${what} ${user.id} is inactive`);
    if (user.organizationId !== org.id) return this.refuse(`${what} ${user.id} belongs to another organization than ${org.id}`);
    return user;
  }

  private refuse(reason: string): never {
    this.logger.log(`SSO refused: ${reason}`);
    throw this.notProvisioned();
  }
}
