import type { OpenAPIObject } from '@nestjs/swagger';
import { ApiErrorCode } from '../errors/api-error-code';
import { DEFAULT_MESSAGES } from '../errors/api.exception';

type Json = Record<string, unknown>;

interface Operation {
  parameters?: { in: string }[];
  requestBody?: unknown;
  responses: Record<string, Json>;
}

const ERROR_SCHEMA = { $ref: '#/components/schemas/ApiErrorDto' };

/** Messages of the answers Fastify gives before any controller runs (see to-api-exception.ts). */
const TRANSPORT: Record<string, { code: ApiErrorCode; description: string; message: string; workspace: { Code: string; Field: string } }> = {
  '413': {
    code: ApiErrorCode.PAYLOAD_TOO_LARGE,
    description: 'PAYLOAD_TOO_LARGE: the body is over 16 KiB.',
    message: 'The request body is larger than 16 KiB.',
    workspace: { Code: 'PayloadTooLarge', Field: 'Body' },
  },
  '415': {
    code: ApiErrorCode.UNSUPPORTED_MEDIA_TYPE,
    description: 'UNSUPPORTED_MEDIA_TYPE: the body is not sent as `Content-Type: application/json`.',
    message: 'Send the body as JSON with Content-Type: application/json.',
    workspace: { Code: 'InvalidContentType', Field: 'Content-Type' },
  },
};

const apiErrorResponse = (status: string, description: string, code: ApiErrorCode, message: string): Json => ({
  description,
  content: { 'application/json': { schema: ERROR_SCHEMA, examples: { [code]: { summary: code, value: { statusCode: Number(status), code, message } } } } },
});

/** The seed's envelope, as the workspace API answers every refusal (its schema taken from the operation's own 400). */
function envelopeResponse(operation: Operation, description: string, entry: { Code: string; Field: string }, message: string): Json | null {
  const schema = (operation.responses['400']?.content as { 'application/json'?: { schema?: unknown } } | undefined)?.['application/json']?.schema;
  if (!schema) return null;
  const value = {
    Data: null,
    Errors: [{ Code: entry.Code, Message: message, Target: null, Field: entry.Field, Metadata: null, Type: 0, Severity: 2 }],
    Warnings: [],
    Success: false,
  };
  return { description, content: { 'application/json': { schema, examples: { [entry.Code]: { summary: entry.Code, value } } } } };
}

/**
 * The statuses every operation of a kind can answer, whatever its controller says:
 * a body can be too large (413) or not JSON (415; the workspace API answers that 400, its
 * one refusal status), and any body or query parameter invalid (400 VALIDATION_FAILED).
 * (A path parameter over the router's 200 characters names nothing that exists: 404,
 * which every operation with one documents.) Added where the operation does not document
 * them itself, so a new endpoint is documented for them from its first line
 * (test/openapi/responses.e2e.ts sends each).
 */
export function addTransportErrors(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    const workspace = path.startsWith('/api/workspace/');
    for (const operation of Object.values(item as Record<string, Operation>)) {
      if (!operation || typeof operation !== 'object' || !operation.responses) continue;
      const hasBody = operation.requestBody !== undefined;
      const hasQuery = (operation.parameters ?? []).some((p) => p.in === 'query');
      const wanted = [...(hasBody ? ['413'] : []), ...(hasBody && !workspace ? ['415'] : [])];
      for (const status of wanted) {
        if (operation.responses[status]) continue;
        const t = TRANSPORT[status];
        const response = workspace ? envelopeResponse(operation, t.description, t.workspace, t.message) : apiErrorResponse(status, t.description, t.code, t.message);
        if (response) operation.responses[status] = response;
      }
      // (An unknown or malformed path id is a 404: no such resource.)
      if ((hasBody || hasQuery) && !operation.responses['400'] && !workspace) {
        operation.responses['400'] = apiErrorResponse(
          '400',
          `VALIDATION_FAILED (each invalid or unknown ${hasBody ? 'field' : 'parameter'} named in \`errors\`)${hasBody ? ', MALFORMED_JSON' : ''}`,
          ApiErrorCode.VALIDATION_FAILED,
          DEFAULT_MESSAGES[ApiErrorCode.VALIDATION_FAILED] ?? 'Invalid request.',
        );
      }
      operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)));
    }
  }
  return document;
}
