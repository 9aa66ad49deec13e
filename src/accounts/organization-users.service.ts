import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiErrorCode } from '../platform/errors/api-error-code';
import { apiError } from '../platform/errors/api.exception';
import { AccessRole, fullNameOf, User } from '../identity/users/user.entity';
import { OrganizationUsersPageDto, OrganizationUsersQuery } from './organization-users.dto';

/** Who is asking: the bearer session's user. */
export interface DirectoryCaller {
  organizationId: string;
  accessRole: AccessRole;
}

@Injectable()
export class OrganizationUsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /**
   * The users of the caller's own organization, for an admin. Another organization's id
   * answers 404 like an unknown one, so ids of other tenants cannot be probed.
   */
  async list(caller: DirectoryCaller, organizationId: string, query: OrganizationUsersQuery): Promise<OrganizationUsersPageDto> {
    if (caller.accessRole !== AccessRole.ADMIN) throw apiError(ApiErrorCode.FORBIDDEN);
    if (caller.organizationId !== organizationId) throw apiError(ApiErrorCode.NOT_FOUND, 'Organization not found.');
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const [rows, total] = await this.users.findAndCount({
      where: { organizationId },
      order: { email: 'ASC' },
      take: limit,
      skip: offset,
      select: { id: true, email: true, firstName: true, lastName: true, accessRole: true, active: true },
    });
    return {
      items: rows.map((u) => ({ id: u.id, email: u.email, fullName: fullNameOf(u), accessRole: u.accessRole, active: u.active })),
      total,
      limit,
      offset,
    };
  }
}
