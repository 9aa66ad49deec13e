import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiErrorCode } from '../../platform/errors/api-error-code';
import { apiError, ApiException } from '../../platform/errors/api.exception';
import { SecurityEvents } from '../../platform/logging/security-events';
import type { ClientContext } from '../../platform/http/client-context';
import { validationFailed } from '../../platform/http/api-validation.pipe';
import { AppConfig, InjectConfig } from '../../platform/config/app-config';
import { Organization } from '../../identity/organizations/organization.entity';
import { IdentityProvider } from '../identity-provider/identity-provider';
import { SessionMethod } from '../../sessions/session.entity';
import { LoginResult, SessionIssuer } from '../../sessions/session-issuer.service';
import { SsoAuthorizeQueryDto, SsoAuthorizeResponseDto, SsoCallbackDto } from './dto/sso.dto';
import { isAllowedRedirectUri } from './redirect-uri';
import { SsoStateService } from './sso-state.service';
import { SsoUserResolver } from './sso-user-resolver';
import { isUuid } from '../../platform/uuid';

/** WorkOS error codes are snake_case words; anything else is not repeated back. */
const PROVIDER_ERROR = /^[a-z][a-z0-9_]{0,63}$/;

/** SSO through WorkOS: the authorize URL with a signed state, and the callback that opens an SSO session. */
@Injectable()
export class SsoService {
  private readonly logger = new Logger(SsoService.name);

  constructor(
    @InjectRepository(Organization) private readonly organizations: Repository<Organization>,
    private readonly provider: IdentityProvider,
    private readonly states: SsoStateService,
    private readonly resolver: SsoUserResolver,
    private readonly issuer: SessionIssuer,
    @InjectConfig() private readonly config: AppConfig,
    private readonly events: SecurityEvents,
  ) {}

  async authorize(query: SsoAuthorizeQueryDto): Promise<SsoAuthorizeResponseDto> {
    if (!isAllowedRedirectUri(query.redirectUri, this.config.ssoRedirectUris)) {
      throw apiError(ApiErrorCode.INVALID_REDIRECT_URI, 'redirectUri is not on the allow-list (SSO_REDIRECT_URIS).');
    }
    const org = isUuid(query.organizationId) ? await this.organizations.findOneBy({ id: query.organizationId }) : null;
    if (!org) throw apiError(ApiErrorCode.NOT_FOUND, 'No such organization.');
    if (!org.workosOrganizationId) throw apiError(ApiErrorCode.SSO_NOT_CONFIGURED, 'This organization has no WorkOS organization for single sign-on.');
    const { state, expiresAt } = this.states.issue(org.id, query.browserNonce);
    const url = this.provider.getAuthorizationUrl({ providerOrganizationId: org.workosOrganizationId, redirectUri: query.redirectUri, state });
    return { url, state, expiresAt: expiresAt.toISOString() };
  }

  async callback(dto: SsoCallbackDto, client: ClientContext): Promise<LoginResult> {
    if ((dto.code === undefined) === (dto.error === undefined)) {
      throw validationFailed([{ field: 'code', message: 'provide exactly one of code or error' }]);
    }
    if (dto.error !== undefined) {
      // WorkOS sent the browser back without a code: nothing to exchange, WorkOS is not called.
      const shown = PROVIDER_ERROR.test(dto.error) ? dto.error : 'unknown_error';
      throw apiError(ApiErrorCode.SSO_FAILED, `The identity provider did not sign the user in (${shown}); start the sign-in again.`);
    }
    const state = await this.states.consume(dto.state, dto.browserNonce).catch((err: unknown) => {
      if (err instanceof ApiException && err.code === ApiErrorCode.SSO_BROWSER_MISMATCH) {
        this.events.record('sso.browser_mismatch', client.requestId, { ip: client.ip, nonce: dto.browserNonce === undefined ? 'missing' : 'other' });
      }
      throw err;
    });
    const org = await this.organizations.findOneBy({ id: state.organizationId });
    if (!org?.workosOrganizationId) throw apiError(ApiErrorCode.SSO_NOT_CONFIGURED, 'This organization no longer has single sign-on.');
    const auth = await this.provider.authenticateWithCode({
      code: dto.code as string,
      ipAddress: client.ip,
      userAgent: client.userAgent ?? undefined,
    });
    if (auth.organizationId !== null && auth.organizationId !== org.workosOrganizationId) {
      this.logger.warn(`SSO for org ${org.id} came back from WorkOS organization ${auth.organizationId}`);
      throw this.resolver.notProvisioned();
    }
    const user = await this.resolver.resolve(auth.user, org);
    return this.issuer.login({ user, method: SessionMethod.Sso, client });
  }
}
