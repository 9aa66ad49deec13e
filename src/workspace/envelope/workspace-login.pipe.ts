import { createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { bodyShapeProblem } from '../../platform/http/api-validation.pipe';
import { FieldCode, WorkspaceLoginRequest } from '../dto/workspace-login.request';
import { WorkspaceValidationException } from './workspace-failure';
import { errorMessage, MessageType, WorkspaceMessage } from './workspace-message';

export const WORKSPACE_HEADER = 'x-workspace';
export const WORKSPACE_SLUG_MAX = 100;
const FIELD_NAME_ECHO_MAX = 100;

/** What the login handler gets once the request passed validation. */
export interface WorkspaceLoginCommand {
  userNameOrEmail: string;
  password: string;
  /** The `X-Workspace` slug; null when absent or blank (then the default membership decides). */
  workspaceSlug: string | null;
}

interface RawWorkspaceLogin {
  body: unknown;
  workspaceHeader: string | string[] | undefined;
}

/** Body and `X-Workspace` header together, so one answer lists every problem with the request. */
export const WorkspaceLoginInput = createParamDecorator((_: unknown, ctx: ExecutionContext): RawWorkspaceLogin => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  return { body: request.body, workspaceHeader: request.headers[WORKSPACE_HEADER] };
});

/**
 * When one field breaks several constraints, the client hears about the most
 * basic one: absent before not-a-string (42 is not "blank", it is the wrong type)
 * before empty before too long.
 */
const PRIORITY = ['isDefined', 'isString', 'matches', 'minLength', 'maxLength', 'notContains'];
const rank = (constraint: string): number => {
  const i = PRIORITY.indexOf(constraint);
  return i === -1 ? PRIORITY.length : i;
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

function fieldIssue(error: ValidationError): WorkspaceMessage {
  const field = error.property.slice(0, FIELD_NAME_ECHO_MAX);
  if (error.constraints?.whitelistValidation) {
    return errorMessage('UnknownField', `Unknown field: ${field}.`, MessageType.Validation, { Field: field });
  }
  const keys = Object.keys(error.constraints ?? {}).sort((a, b) => rank(a) - rank(b));
  const failed = keys.map((key) => {
    const context = error.contexts?.[key] as { code?: FieldCode; metadata?: Record<string, string> } | undefined;
    return { code: context?.code ?? 'InvalidType', metadata: context?.metadata, message: error.constraints?.[key] ?? `${field} is invalid.` };
  });
  const first = failed[0];
  return errorMessage(first.code, first.message, MessageType.Validation, { Field: field, Metadata: first.metadata });
}

function headerIssue(header: string | string[] | undefined): { slug: string | null; issue?: WorkspaceMessage } {
  if (header === undefined) return { slug: null };
  // Node joins a repeated header with ", "; such a value matches no slug and is refused after the password.
  const slug = (Array.isArray(header) ? header.join(', ') : header).trim();
  if (slug.length === 0) return { slug: null };
  if (slug.length > WORKSPACE_SLUG_MAX) {
    return {
      slug: null,
      issue: errorMessage('TooLong', `X-Workspace must be at most ${WORKSPACE_SLUG_MAX} characters.`, MessageType.Validation, {
        Field: 'X-Workspace',
        Metadata: { MaxLength: String(WORKSPACE_SLUG_MAX) },
      }),
    };
  }
  return { slug };
}

/**
 * Validation of the workspace login with per-field codes (`Required`, `TooLong`, …).
 * The global pipe's `/api/auth` errors carry no codes, so this module validates
 * its own body: same rules (unknown fields refused, no type coercion), its own shape.
 */
@Injectable()
export class WorkspaceLoginPipe implements PipeTransform<RawWorkspaceLogin, Promise<WorkspaceLoginCommand>> {
  async transform(raw: RawWorkspaceLogin): Promise<WorkspaceLoginCommand> {
    const issues: WorkspaceMessage[] = [];
    // No body at all is a request with every field missing; null, arrays and scalars are not objects.
    const body = raw.body === undefined ? {} : raw.body;
    let dto: WorkspaceLoginRequest | null = null;
    let problem: string | null;
    if (!isPlainObject(body)) {
      issues.push(errorMessage('InvalidType', 'The request body must be a JSON object.', MessageType.Validation, { Field: 'Body' }));
    } else if ((problem = bodyShapeProblem(body))) {
      // Too deep for class-transformer, or not well-formed Unicode: refused before it runs (was a 500).
      issues.push(errorMessage('InvalidType', `${problem.charAt(0).toUpperCase()}${problem.slice(1)}.`, MessageType.Validation, { Field: 'Body' }));
    } else {
      dto = plainToInstance(WorkspaceLoginRequest, body, { enableImplicitConversion: false });
      const errors = await validate(dto, {
        whitelist: true,
        forbidNonWhitelisted: true,
        forbidUnknownValues: true,
        validationError: { target: false, value: false },
      });
      // The fields the client got wrong first, then the ones it should not have sent.
      const unknown = (e: ValidationError) => (e.constraints?.whitelistValidation ? 1 : 0);
      issues.push(...errors.sort((a, b) => unknown(a) - unknown(b)).map(fieldIssue));
    }
    const header = headerIssue(raw.workspaceHeader);
    if (header.issue) issues.push(header.issue);
    if (issues.length > 0 || !dto) throw new WorkspaceValidationException(issues);
    return { userNameOrEmail: dto.UserNameOrEmail, password: dto.Password, workspaceSlug: header.slug };
  }
}
