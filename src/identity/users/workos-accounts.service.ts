import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { FindOptionsSelect, In, IsNull, Not, Repository } from 'typeorm';
import { User } from './user.entity';

/** What the migration needs to know about a local user; never leaves the service. */
export type MigrationCandidate = Pick<
  User,
  'id' | 'organizationId' | 'email' | 'firstName' | 'lastName' | 'active' | 'passwordHash' | 'workosUserId' | 'migratedAt'
>;

const CANDIDATE_COLUMNS: FindOptionsSelect<User> = {
  id: true,
  organizationId: true,
  email: true,
  firstName: true,
  lastName: true,
  active: true,
  passwordHash: true,
  workosUserId: true,
  migratedAt: true,
};

/**
 * The link between a local user and a WorkOS user, and the one-way move of a
 * password to WorkOS. Every change is a conditional UPDATE, so two runs (or a
 * run and a lazy import) racing on one user cannot both win, and a user never
 * loses the local hash unless WorkOS holds the very hash being cleared.
 */
@Injectable()
export class WorkosAccountsService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** Users of these organizations still verified locally, oldest first (a stable order for progress). */
  migrationCandidates(organizationIds: string[]): Promise<MigrationCandidate[]> {
    return this.users.find({
      select: CANDIDATE_COLUMNS,
      where: { organizationId: In(organizationIds), migratedAt: IsNull(), passwordHash: Not(IsNull()) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  findCandidate(userId: string): Promise<MigrationCandidate | null> {
    return this.users.findOne({ select: CANDIDATE_COLUMNS, where: { id: userId } });
  }

  /** Links only an unlinked user. False when someone else linked it first. */
  async linkIfUnlinked(userId: string, workosUserId: string): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update(User)
      .set({ workosUserId })
      .where('id = :userId AND workos_user_id IS NULL AND migrated_at IS NULL', { userId })
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  /** Forgets a link to a WorkOS user that no longer exists, so the user can be imported afresh. */
  async unlink(userId: string, workosUserId: string): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update(User)
      .set({ workosUserId: null })
      .where('id = :userId AND workos_user_id = :workosUserId AND migrated_at IS NULL', { userId, workosUserId })
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length === 1;
  }

  /**
   * The last step: WorkOS confirmed it holds `importedHash` for `workosUserId`, so
   * WorkOS alone verifies from now on and the local hash goes. False when the user
   * changed meanwhile (new password, other link): nothing is cleared.
   */
  async markMigrated(userId: string, workosUserId: string, importedHash: string, at: Date): Promise<boolean> {
    const result = await this.users
      .createQueryBuilder()
      .update(User)
      .set({ migratedAt: at, passwordHash: null })
      .where('id = :userId AND workos_user_id = :workosUserId AND migrated_at IS NULL AND password_hash = :importedHash', {
        userId,
        workosUserId,
        importedHash,
      })
      .returning('id')
      .execute();
    return (result.raw as unknown[]).length === 1;
  }
}
