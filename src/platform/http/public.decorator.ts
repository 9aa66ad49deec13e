import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const IS_PUBLIC = 'authgate:isPublic';

/** The operation extension that marks a public route in the generated document (see openapi-security.ts). */
export const PUBLIC_EXTENSION = 'x-public';

/**
 * Opens a route to unauthenticated callers. Everything else requires a bearer token.
 * The document says so too: the route's operation gets `security: []`.
 */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));
