import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'authgate:isPublic';

/** Opens a route to unauthenticated callers. Everything else requires a bearer token. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
