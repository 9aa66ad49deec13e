import type { MetricsService } from '../../platform/metrics/metrics.service';
import { Logger } from '@nestjs/common';
import { BadRequestException, NotFoundException, WorkOS } from '@workos-inc/node';
import type { AuthenticationResponse, User as WorkosUser } from '@workos-inc/node';
import {
  AuthorizationUrlRequest,
  CodeAuthenticationRequest,
  EmailVerificationRequest,
  IdentityProvider,
  IdentityProviderAuthentication,
  ImportUserRequest,
  PasswordAuthenticationRequest,
  PasswordHashUpdate,
  ProviderUserRecord,
  TotpAuthenticationRequest,
} from './identity-provider';
import { EmailNotAvailable, IdentityProviderUnavailable } from './identity-provider.errors';
import { describeWorkosError, mapWorkosError, RetryAfterTooLong, WorkosCall } from './workos-errors';

export interface WorkosClientOptions {
  /** Where each HTTP call to WorkOS is timed and counted (authgate_workos_request_duration_seconds). */
  metrics?: MetricsService;
  apiKey: string;
  clientId: string;
  hostname: string;
  port?: number;
  https: boolean;
  /** Per attempt; the SDK's default (60 s) is far too long for a login. */
  timeoutMs: number;
  /** The SDK's own retries on 408/429/5xx/network errors. */
  maxRetries: number;
  /**
   * The longest Retry-After the SDK may sleep before a retry. Longer ones end the
   * call at once (503 with that Retry-After) instead of holding a login open: the
   * SDK alone would honour up to 60 s. `null`: no limit (the migration waits itself).
   */
  maxRetryAfterSeconds: number | null;
}

/** Statuses the SDK retries (notes §3); only for those does a Retry-After make it sleep. */
const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** `Retry-After` in seconds (delta or HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(value: string | null, nowMs = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

function fetchOption(options: WorkosClientOptions): { fetchFn?: typeof fetch } {
  const bounded = options.maxRetryAfterSeconds !== null ? boundedRetryAfterFetch(options.maxRetryAfterSeconds) : undefined;
  if (!options.metrics) return bounded ? { fetchFn: bounded } : {};
  return { fetchFn: timedFetch(options.metrics, bounded ?? ((input, init) => fetch(input, init))) };
}

/** A fetch that refuses to let the SDK sleep longer than `maxSeconds` on a Retry-After. */
function boundedRetryAfterFetch(maxSeconds: number): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (RETRIED_STATUSES.has(res.status)) {
      const wait = retryAfterSeconds(res.headers.get('retry-after'));
      if (wait !== null && wait > maxSeconds) {
        await res.body?.cancel();
        throw new RetryAfterTooLong(res.status, wait);
      }
    }
    return res;
  };
}

const toRecord = (u: WorkosUser): ProviderUserRecord => ({
  id: u.id,
  email: u.email,
  emailVerified: u.emailVerified === true,
  firstName: u.firstName ?? null,
  lastName: u.lastName ?? null,
  externalId: u.externalId ?? null,
});

/** `/user_management/users/user_01H…` → `/user_management/users/:id`: the operation label, with no ids in it. */
export const workosOperationOf = (url: string): string =>
  new URL(url)
    .pathname.split('/')
    .map((part) => (/\d/.test(part) ? ':id' : part))
    .join('/');

/** Every HTTP call the SDK makes (retries included), timed and counted: ok (2xx/3xx), rejected (4xx), error (5xx, network, timeout). */
function timedFetch(metrics: MetricsService, inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const started = performance.now();
    const operation = `${init?.method ?? 'GET'} ${workosOperationOf(url)}`;
    try {
      const res = await inner(input, init);
      metrics.workosRequest(operation, res.status >= 500 ? 'error' : res.status >= 400 ? 'rejected' : 'ok', (performance.now() - started) / 1000);
      return res;
    } catch (err) {
      metrics.workosRequest(operation, 'error', (performance.now() - started) / 1000);
      throw err;
    }
  };
}

/** A success the SDK let through must still look like one before we trust it. */
function toAuthentication(res: AuthenticationResponse): IdentityProviderAuthentication {
  const user = res?.user as WorkosUser | undefined;
  if (!user || typeof user.id !== 'string' || user.id === '' || typeof user.email !== 'string') {
    throw new IdentityProviderUnavailable('malformed_response');
  }
  const { externalId: _externalId, ...identity } = toRecord(user);
  return { user: identity, organizationId: typeof res.organizationId === 'string' ? res.organizationId : null };
}

const isEmailNotAvailable = (err: unknown): boolean =>
  err instanceof BadRequestException &&
  Array.isArray(err.errors) &&
  err.errors.some((e) => (e as { code?: unknown } | null)?.code === 'email_not_available');

/**
 * The identity-provider port on the real `@workos-inc/node` v11 client. WorkOS
 * alone verifies a migrated user's password: nothing here ever looks at a local hash.
 */
export class WorkosIdentityProvider extends IdentityProvider {
  readonly configured = true;
  private readonly client: WorkOS;
  private readonly logger = new Logger('WorkOS');

  constructor(options: WorkosClientOptions) {
    super();
    this.client = new WorkOS(options.apiKey, {
      clientId: options.clientId,
      apiHostname: options.hostname,
      port: options.port,
      https: options.https,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      ...fetchOption(options),
    });
  }

  async authenticateWithPassword(req: PasswordAuthenticationRequest): Promise<IdentityProviderAuthentication> {
    const res = await this.call('password', () =>
      this.client.userManagement.authenticateWithPassword({
        email: req.email,
        password: req.password,
        ipAddress: req.ipAddress,
        userAgent: req.userAgent,
      }),
    );
    return toAuthentication(res);
  }

  async authenticateWithCode(req: CodeAuthenticationRequest): Promise<IdentityProviderAuthentication> {
    const res = await this.call('code', () =>
      this.client.userManagement.authenticateWithCode({ code: req.code, ipAddress: req.ipAddress, userAgent: req.userAgent }),
    );
    return toAuthentication(res);
  }

  async challengeFactor(factorId: string): Promise<{ challengeId: string }> {
    const challenge = await this.call('second_step', () => this.client.multiFactorAuth.challengeFactor({ authenticationFactorId: factorId }));
    if (typeof challenge?.id !== 'string' || challenge.id === '') throw new IdentityProviderUnavailable('malformed_response');
    return { challengeId: challenge.id };
  }

  async authenticateWithTotp(req: TotpAuthenticationRequest): Promise<IdentityProviderAuthentication> {
    const res = await this.call('second_step', () =>
      this.client.userManagement.authenticateWithTotp({
        pendingAuthenticationToken: req.pendingAuthenticationToken,
        authenticationChallengeId: req.authenticationChallengeId,
        code: req.code,
        ipAddress: req.ipAddress,
        userAgent: req.userAgent,
      }),
    );
    return toAuthentication(res);
  }

  async authenticateWithEmailVerification(req: EmailVerificationRequest): Promise<IdentityProviderAuthentication> {
    const res = await this.call('second_step', () =>
      this.client.userManagement.authenticateWithEmailVerification({
        pendingAuthenticationToken: req.pendingAuthenticationToken,
        code: req.code,
        ipAddress: req.ipAddress,
        userAgent: req.userAgent,
      }),
    );
    return toAuthentication(res);
  }

  /** Builds the URL locally (no request); `clientId` comes from the constructor. */
  getAuthorizationUrl(req: AuthorizationUrlRequest): string {
    return this.client.userManagement.getAuthorizationUrl({
      organizationId: req.providerOrganizationId,
      redirectUri: req.redirectUri,
      state: req.state,
      loginHint: req.loginHint,
    });
  }

  async importUser(req: ImportUserRequest): Promise<ProviderUserRecord> {
    try {
      const created = await this.client.userManagement.createUser({
        email: req.email,
        passwordHash: req.passwordHash,
        passwordHashType: 'bcrypt',
        // Imported users proved their address with us; unverified ones would get
        // 403 email_verification_required at their first WorkOS password login.
        emailVerified: true,
        firstName: req.firstName || undefined,
        lastName: req.lastName || undefined,
        externalId: req.externalId,
      });
      return toRecord(created);
    } catch (err) {
      if (isEmailNotAvailable(err)) throw new EmailNotAvailable();
      throw this.failure(err, 'users');
    }
  }

  async getUser(id: string): Promise<ProviderUserRecord | null> {
    try {
      return toRecord(await this.client.userManagement.getUser(id));
    } catch (err) {
      if (err instanceof NotFoundException) return null;
      throw this.failure(err, 'users');
    }
  }

  async findUsersByEmail(email: string): Promise<ProviderUserRecord[]> {
    const page = await this.call('users', () => this.client.userManagement.listUsers({ email, limit: 10 }));
    return page.data.map(toRecord);
  }

  async setPasswordHash(id: string, update: PasswordHashUpdate): Promise<ProviderUserRecord | null> {
    try {
      const updated = await this.client.userManagement.updateUser({
        userId: id,
        passwordHash: update.passwordHash,
        passwordHashType: 'bcrypt',
        externalId: update.externalId,
      });
      return toRecord(updated);
    } catch (err) {
      if (err instanceof NotFoundException) return null;
      throw this.failure(err, 'users');
    }
  }

  private async call<T>(kind: WorkosCall, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw this.failure(err, kind);
    }
  }

  private failure(err: unknown, kind: WorkosCall): Error {
    const mapped = mapWorkosError(err, kind);
    if (mapped instanceof IdentityProviderUnavailable) {
      const line = `WorkOS ${kind} call failed (${mapped.reason}): ${describeWorkosError(err)}`;
      if (mapped.reason === 'misconfigured' || mapped.reason === 'malformed_response') this.logger.error(line);
      else this.logger.warn(line);
    }
    return mapped;
  }
}
