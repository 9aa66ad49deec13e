import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '../identity/users/user.entity';
import { OrganizationUsersController } from './organization-users.controller';
import { OrganizationUsersService } from './organization-users.service';

/** GET /api/organizations/{orgId}/users: the admin's view of their organization's users. */
@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [OrganizationUsersController],
  providers: [OrganizationUsersService],
})
export class OrganizationUsersModule {}
