import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { fullNameOf, User } from '../identity/users/user.entity';
import { OrganizationUsersPageDto, OrganizationUsersQuery } from './organization-users.dto';

@Injectable()
export class OrganizationUsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  /** The users of an organization; who may ask is the route's access rule (its own ADMIN). */
  async list(organizationId: string, query: OrganizationUsersQuery): Promise<OrganizationUsersPageDto> {
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
