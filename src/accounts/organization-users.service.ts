import { Injectable } from '@nestjs/common';
import { OrganizationUsersPageDto, OrganizationUsersQuery } from './organization-users.dto';
import { AccountUsersRepository } from './users/account-users.repository';
import { AdminViews } from './users/admin-views';

@Injectable()
export class OrganizationUsersService {
  constructor(
    private readonly users: AccountUsersRepository,
    private readonly views: AdminViews,
  ) {}

  /** The users of an organization, as admin views; who may ask is the route's access rule (its own ADMIN). */
  async list(organizationId: string, query: OrganizationUsersQuery): Promise<OrganizationUsersPageDto> {
    const limit = query.limit ?? 50;
    const offset = query.offset ?? 0;
    const q = query.q?.trim();
    const { rows, total } = await this.users.list(organizationId, { status: query.status, q: q ? q : undefined, limit, offset });
    return { items: await this.views.of(rows), total, limit, offset };
  }
}
