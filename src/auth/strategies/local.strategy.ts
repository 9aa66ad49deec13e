import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { clientContextOf } from '../../platform/http/client-context';
import type { User } from '../../identity/users/user.entity';
import { UsersService } from '../../identity/users/users.service';
import { CredentialsService } from '../credentials/credentials.service';
import { ProviderPendingStep } from '../identity-provider/pending-step';
import { SecondStep } from '../second-step/second-step.service';

/** email + password → the user, via passport-local. Refuses with the API's error codes (ApiErrorCode), never Passport's bare 401. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(
    private readonly users: UsersService,
    private readonly credentials: CredentialsService,
    private readonly secondStep: SecondStep,
  ) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  async validate(request: FastifyRequest, email: string, password: string): Promise<User> {
    const user = await this.users.findByEmail(email);
    try {
      return await this.credentials.verify(email, user, password, clientContextOf(request));
    } catch (err) {
      // WorkOS accepted a migrated user's password and asks for MFA or email verification: continue through our API.
      if (err instanceof ProviderPendingStep && user) return this.secondStep.afterProviderStep(user, err);
      throw err;
    }
  }
}
