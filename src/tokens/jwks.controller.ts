import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../platform/http/public.decorator';
import { JwksResponse } from './jwks.response';
import { KeyRing } from './key-ring';

/** Where the JWKS is served: outside the `/api` prefix, where resource servers' libraries look for it. */
export const JWKS_PATH = '.well-known/jwks.json';

/**
 * The public keys that may have signed a live token, for resource servers
 * (docs/resource-servers.md). Five minutes of caching: a key is published at least
 * that long before it signs (the rotation steps), so a cached set never misses one.
 */
@ApiTags('tokens')
@Public()
@Controller()
export class JwksController {
  private readonly body: JwksResponse;

  constructor(keys: KeyRing) {
    this.body = { keys: [...keys.publicJwks] };
  }

  @Get(JWKS_PATH)
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'The JSON Web Key Set of the token signing keys.',
    description:
      'Every public key that may have signed a live access token (`kid`, `kty`, `alg`, `use: "sig"`, the public members only). ' +
      'Empty with `JWT_ALGORITHM=HS256`: an HMAC secret is never published. Cacheable for 5 minutes.',
  })
  @ApiOkResponse({ type: JwksResponse, description: 'The key set; `Cache-Control: public, max-age=300`.' })
  jwks(): JwksResponse {
    return this.body;
  }
}
