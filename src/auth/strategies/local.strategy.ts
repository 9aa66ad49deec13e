import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { clientContextOf } from '../../platform/http/client-context';
import type { User } from '../../identity/users/user.entity';
import { UsersService } from '../../identity/users/users.service';
import { CredentialsService } from '../credentials/credentials.service';

/** email + password → the user, via passport-local. Throws the contract's error codes. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(
    private readonly users: UsersService,
    private readonly credentials: CredentialsService,
  ) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  async validate(request: FastifyRequest, email: string, password: string): Promise<User> {
    const user = await this.users.findByEmail(email);
    return this.credentials.verify(email, user, password, clientContextOf(request));
  }
}
