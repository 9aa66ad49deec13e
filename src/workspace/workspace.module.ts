import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../identity/users/users.module';
import { MfaModule } from '../mfa/mfa.module';
import { WorkspaceAccessService } from './workspace-access.service';
import { WorkspaceAuthController } from './workspace-auth.controller';
import { WorkspaceAuthService } from './workspace-auth.service';
import { WorkspaceMembership } from './workspace-membership.entity';
import { Workspace } from './workspace.entity';

/**
 * The workspace login API (seed 003): PascalCase, the `{ Data, Errors, Warnings,
 * Success }` envelope on every answer, workspace-scoped sessions and tokens.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Workspace, WorkspaceMembership]), UsersModule, AuthModule, MfaModule],
  controllers: [WorkspaceAuthController],
  providers: [WorkspaceAuthService, WorkspaceAccessService],
})
export class WorkspaceModule {}
