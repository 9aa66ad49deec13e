import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { MessageSeverity, MessageType } from '../envelope/workspace-message';
import { WorkspaceAuthResponseDto, WorkspaceUserContextDto } from './workspace-auth.response';

/** One error or warning of the envelope. */
export class WorkspaceMessageDto {
  @ApiProperty({ description: 'Stable, machine-readable code (PascalCase), e.g. InvalidCredentials, Required, OnboardingIncomplete.', example: 'Required' })
  Code: string;

  @ApiProperty({ description: 'Human-readable explanation.', example: 'UserNameOrEmail is required.' })
  Message: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'What the message is about (e.g. `Workspace`); null when not applicable.', example: null })
  Target: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The request field (UserNameOrEmail, Password, an unknown field\'s name, X-Workspace, Body, Content-Type) or the Data field a warning is about.',
    example: 'UserNameOrEmail',
  })
  Field: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', nullable: true },
    nullable: true,
    description: 'Extra facts as strings, e.g. { "MaxLength": "254" } or { "Default": "UTC" }.',
    example: null,
  })
  Metadata: Record<string, string> | null;

  @ApiProperty({
    enum: [0, 1, 2],
    enumName: 'WorkspaceMessageType',
    type: 'integer',
    description: 'Kind of rule: 0 = validation (the request\'s shape), 1 = business rule (credentials, access, throttling, warnings), 2 = system (identity provider or service unavailable, unexpected errors).',
    example: MessageType.Validation,
  })
  Type: MessageType;

  @ApiProperty({
    enum: [0, 1, 2],
    enumName: 'WorkspaceMessageSeverity',
    type: 'integer',
    description: '0 = info, 1 = warning, 2 = error. Every entry of Errors is 2, every entry of Warnings is 1.',
    example: MessageSeverity.Error,
  })
  Severity: MessageSeverity;
}

type Envelope<T> = { Data: T | null; Errors: WorkspaceMessageDto[]; Warnings: WorkspaceMessageDto[]; Success: boolean };

/** One envelope schema per Data type, with the seed's key order (Data first). */
function envelopeSchema<T>(name: string, data: ApiPropertyOptions): new () => Envelope<T> {
  class EnvelopeSchema {}
  const property = (key: string, options: ApiPropertyOptions) => ApiProperty(options)(EnvelopeSchema.prototype, key);
  property('Data', { nullable: true, ...data });
  property('Errors', { type: [WorkspaceMessageDto], description: 'Empty on success; at least one entry on failure.' });
  property('Warnings', { type: [WorkspaceMessageDto], description: 'Non-blocking notices (Severity 1), e.g. OnboardingIncomplete.' });
  property('Success', { type: Boolean, description: 'True exactly when Errors is empty.', example: true });
  Object.defineProperty(EnvelopeSchema, 'name', { value: name });
  return EnvelopeSchema as new () => Envelope<T>;
}

export const WorkspaceLoginEnvelopeDto = envelopeSchema<WorkspaceAuthResponseDto>('WorkspaceLoginEnvelope', {
  type: WorkspaceAuthResponseDto,
  description: 'Workspace authentication response with access token and user profile; null on failure.',
});

export const WorkspaceContextEnvelopeDto = envelopeSchema<WorkspaceUserContextDto>('WorkspaceContextEnvelope', {
  type: WorkspaceUserContextDto,
  description: "The session's workspace context; null on failure.",
});

export const WorkspaceEmptyEnvelopeDto = envelopeSchema<null>('WorkspaceEmptyEnvelope', {
  type: 'object',
  properties: {},
  description: 'Always null.',
  example: null,
});
