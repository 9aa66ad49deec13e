import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from './user.entity';
import { UsersService } from './users.service';
import { WorkosAccountsService } from './workos-accounts.service';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  providers: [UsersService, WorkosAccountsService],
  exports: [UsersService, WorkosAccountsService],
})
export class UsersModule {}
