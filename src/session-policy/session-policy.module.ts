import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Organization } from '../organizations/organization.entity';

/**
 * Per-organization session policy: resolution (`resolveSessionPolicy`), the
 * server-side rules (`session-rules.ts`) and the admin API.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Organization])],
})
export class SessionPolicyModule {}
