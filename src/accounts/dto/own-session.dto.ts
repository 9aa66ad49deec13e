import { ApiProperty } from '@nestjs/swagger';
import { SessionMethod } from '../../sessions/session.entity';

export class SessionImpersonatorDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: 'ops@acme.example' })
  email: string;
}

/** One of the caller's live sessions. */
export class OwnSessionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ enum: SessionMethod, enumName: 'SessionMethod', example: SessionMethod.Password })
  method: SessionMethod;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'Written at most once per activity window, so it may lag by a few seconds.' })
  lastActivityAt: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'The absolute limit: no refresh stretches the session past it.' })
  expiresAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the session dies of inactivity; null when the organization enforces no idle timeout.' })
  idleExpiresAt: string | null;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7' })
  ip: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Mozilla/5.0 (X11; Linux x86_64) …' })
  userAgent: string | null;
  @ApiProperty({ example: true, description: 'The session of this request.' })
  current: boolean;
  @ApiProperty({ type: SessionImpersonatorDto, nullable: true, description: 'The admin behind an impersonated session.' })
  impersonator: SessionImpersonatorDto | null;
}

export class OwnSessionsDto {
  @ApiProperty({ type: [OwnSessionDto], description: 'Newest first.' })
  items: OwnSessionDto[];
}
