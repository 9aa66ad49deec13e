import { ApiExtension, type OpenAPIObject } from '@nestjs/swagger';

/** @nestjs/swagger has decorators for path, query and header parameters, none for a cookie: an extension carries it to the document step below. */
const COOKIE_EXTENSION = 'x-cookie-parameter';

export interface CookieParameter {
  name: string;
  description: string;
}

/** A cookie the operation reads (OpenAPI `in: cookie`), never required. */
export const ApiCookieParameter = (parameter: CookieParameter) => ApiExtension(COOKIE_EXTENSION, parameter);

type Operation = { parameters?: object[]; [COOKIE_EXTENSION]?: CookieParameter };

export function addCookieParameters(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Operation[]) {
      const cookie = operation?.[COOKIE_EXTENSION];
      if (!cookie) continue;
      delete operation[COOKIE_EXTENSION];
      operation.parameters = [...(operation.parameters ?? []), { in: 'cookie', name: cookie.name, required: false, description: cookie.description, schema: { type: 'string' } }];
    }
  }
  return document;
}
