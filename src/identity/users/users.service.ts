import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { normalizeEmail, normalizeUserName } from './normalize';
import { User } from './user.entity';

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** With the organization joined: login needs its session policy. */
  findByEmail(email: string): Promise<User | null> {
    return this.users.findOne({ where: { email: normalizeEmail(email) }, relations: { organization: true } });
  }

  findByUserName(userName: string): Promise<User | null> {
    return this.users.findOne({ where: { userNameKey: normalizeUserName(userName) }, relations: { organization: true } });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOne({ where: { id }, relations: { organization: true } });
  }

  findByWorkosUserId(workosUserId: string): Promise<User | null> {
    return this.users.findOne({ where: { workosUserId }, relations: { organization: true } });
  }

  /**
   * Swaps the hash only if it is still `expected`: a rehash on login must never
   * write back a hash of the old password over a password changed meanwhile.
   */
  async replacePasswordHash(userId: string, expected: string, passwordHash: string): Promise<boolean> {
    const result = await this.users.update({ id: userId, passwordHash: expected }, { passwordHash });
    return (result.affected ?? 0) > 0;
  }
}
