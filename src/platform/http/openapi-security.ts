import type { OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_EXTENSION } from './public.decorator';

interface Operation {
  security?: Record<string, string[]>[];
  [PUBLIC_EXTENSION]?: boolean;
}

/**
 * Each operation's security as the one guard applies it: `security: []` on a `@Public()`
 * route (@nestjs/swagger drops an empty list, so it is written here), and each bearer
 * requirement once (a class-wide and a route's own `@Authenticated()` would list it twice).
 * An operation with neither is a route the document says nothing about: the linters refuse
 * it (`security-defined`).
 */
export function documentSecurity(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Operation[]) {
      if (!operation || typeof operation !== 'object') continue;
      if (operation[PUBLIC_EXTENSION]) {
        delete operation[PUBLIC_EXTENSION];
        operation.security = [];
        continue;
      }
      if (operation.security) {
        const seen = new Set<string>();
        operation.security = operation.security.filter((requirement) => {
          const key = JSON.stringify(requirement);
          return seen.has(key) ? false : (seen.add(key), true);
        });
      }
    }
  }
  return document;
}
