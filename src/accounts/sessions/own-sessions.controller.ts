import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { Client, ClientContext } from '../../platform/http/client-context';
import { Authenticated } from '../../sessions/access/authenticated.decorator';
import { CurrentSession } from '../../sessions/current-session.decorator';
import type { SessionSnapshot } from '../../sessions/session-snapshot';
import { ApiErrors, bearerErrors } from '../api-docs';
import { OwnSessionsDto } from '../dto/own-session.dto';
import { OwnSessionsService } from './own-sessions.service';

const restricted = { code: ApiErrorCode.IMPERSONATION_RESTRICTED, message: "an impersonated session cannot end the user's sessions" };

@ApiTags('auth')
@Authenticated()
@Controller('auth/sessions')
export class OwnSessionsController {
  constructor(private readonly own: OwnSessionsService) {}

  @Get()
  @ApiOperation({ summary: 'Your live sessions, newest first; `current` marks this one.' })
  @ApiOkResponse({ type: OwnSessionsDto })
  @ApiErrors(bearerErrors)
  list(@CurrentSession() session: SessionSnapshot): Promise<OwnSessionsDto> {
    return this.own.list(session);
  }

  @Post('revoke-others')
  @HttpCode(204)
  @Authenticated({ impersonation: 'refuse' })
  @ApiOperation({ summary: 'End every session of yours but this one.' })
  @ApiNoContentResponse({ description: 'Only this session is left.' })
  @ApiErrors([...bearerErrors, restricted])
  revokeOthers(@CurrentSession() session: SessionSnapshot, @Client() client: ClientContext): Promise<void> {
    return this.own.endOthers(session, client);
  }

  @Delete(':sessionId')
  @HttpCode(204)
  @Authenticated({ impersonation: 'refuse' })
  @ApiOperation({ summary: 'End one of your sessions (this one too: then it is a logout).' })
  @ApiParam({ name: 'sessionId', description: 'The `id` of an item of GET /api/auth/sessions.' })
  @ApiNoContentResponse({ description: 'The session has ended.' })
  @ApiErrors([...bearerErrors, restricted, { code: ApiErrorCode.NOT_FOUND, message: "unknown, already ended, or someone else's" }])
  end(@CurrentSession() session: SessionSnapshot, @Param('sessionId') sessionId: string, @Client() client: ClientContext): Promise<void> {
    return this.own.end(session, sessionId, client);
  }
}
