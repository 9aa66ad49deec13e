import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiErrorCode } from '../errors/api-error-code';
import { DEFAULT_MESSAGES } from '../errors/api.exception';

const ERROR_SCHEMA = '#/components/schemas/ApiErrorDto';
const KNOWN_CODES = new Set<string>(Object.values(ApiErrorCode));

/**
 * Every error answer documented with `ApiErrorDto` lists its codes in its description;
 * give each listed code its own example, so Swagger UI shows the right body for the
 * route (a /me 401 is SESSION_REVOKED, not the DTO's generic INVALID_CREDENTIALS).
 */
export function addErrorExamples(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const operation of Object.values(path)) {
      const responses = (operation as { responses?: Record<string, { description?: string; content?: Record<string, { schema?: { $ref?: string }; example?: unknown; examples?: object }> }> }).responses;
      for (const [status, response] of Object.entries(responses ?? {})) {
        const json = response.content?.['application/json'];
        // A hand-written example stands (OpenAPI allows `example` or `examples`, not both).
        if (json?.schema?.$ref !== ERROR_SCHEMA || json.examples || json.example !== undefined) continue;
        const codes = [...new Set(response.description?.match(/\b[A-Z][A-Z_]+[A-Z]\b/g) ?? [])].filter((c) => KNOWN_CODES.has(c));
        if (codes.length === 0) continue;
        json.examples = Object.fromEntries(
          codes.map((code) => [
            code,
            { summary: code, value: { statusCode: Number(status), code, message: DEFAULT_MESSAGES[code as ApiErrorCode] ?? code } },
          ]),
        );
      }
    }
  }
  return document;
}

export function setupSwagger(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('authgate')
      .setDescription(
        'Authentication backend for SPAs: password and SSO login, refresh-token rotation, admin impersonation, ' +
          'the workspace login API, and per-organization session policy enforced by the server.',
      )
      .setVersion('1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('api/docs', app, addErrorExamples(document), {
    jsonDocumentUrl: 'api/docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}
