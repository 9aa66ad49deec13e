import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { OnboardingStatus, WorkspaceUserType } from '../workspace-membership.entity';

const MODULE_STATE = 'Availability state for one workspace module in the authenticated user context.';

export class WorkspaceModuleStateDto {
  @ApiProperty({ example: true, description: 'Whether the module is enabled in this workspace.' })
  Enabled: boolean;
}

/** All five modules are always present; a module the workspace does not list is `Enabled: false`. */
export class WorkspaceModulesDto {
  @ApiProperty({ type: WorkspaceModuleStateDto, description: MODULE_STATE })
  Boards: WorkspaceModuleStateDto;
  @ApiProperty({ type: WorkspaceModuleStateDto, description: MODULE_STATE })
  Booking: WorkspaceModuleStateDto;
  @ApiProperty({ type: WorkspaceModuleStateDto, description: MODULE_STATE })
  CurrencyRates: WorkspaceModuleStateDto;
  @ApiProperty({ type: WorkspaceModuleStateDto, description: MODULE_STATE })
  EntitlementOperations: WorkspaceModuleStateDto;
  @ApiProperty({ type: WorkspaceModuleStateDto, description: MODULE_STATE })
  WorkInbox: WorkspaceModuleStateDto;
}

/** Workspace authentication response with access token and user profile. */
export class WorkspaceAuthResponseDto {
  @ApiProperty({
    description:
      'Access token for the workspace session. A JWT with claim `wsp` (the workspace slug) and the workspace audience. ' +
      'Its lifetime is the organization\'s `tokenExpiryHours`; there is no refresh token. Accepted by /api/workspace bearer routes only.',
    example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…',
  })
  AccessToken: string;

  @ApiProperty({ description: 'Workspace user identifier.', example: '3f6c1a52-9a43-4c1e-8d0e-2b9f1f0c7a11' })
  UserId: string;

  @ApiProperty({ type: String, nullable: true, description: 'User login name. Null when the user has none (they sign in by email).', example: 'ops.admin' })
  UserName: string | null;

  @ApiPropertyOptional({ description: 'User email address.', example: 'ops@acme.example' })
  Email: string;

  @ApiPropertyOptional({ description: 'User first name.', example: 'Olga' })
  FirstName: string;

  @ApiPropertyOptional({ description: 'User last name.', example: 'Ops' })
  LastName: string;

  @ApiProperty({
    enum: [0, 1, 2],
    enumName: 'WorkspaceUserType',
    type: 'integer',
    description: 'The user\'s type in this workspace: 0 = standard, 1 = administrator, 2 = guest.',
    example: WorkspaceUserType.Administrator,
  })
  UserType: WorkspaceUserType;

  @ApiProperty({ description: 'Workspace slug identifier.', example: 'acme-eu' })
  WorkspaceName: string;

  @ApiProperty({ description: 'Workspace locale code. When the workspace has none: `en-US`, with a LocaleDefaulted warning.', example: 'de-DE' })
  Locale: string;

  @ApiProperty({ description: 'Workspace time zone identifier. IANA; when the workspace has none: `UTC`, with a TimeZoneDefaulted warning.', example: 'Europe/Berlin' })
  TimeZone: string;

  @ApiProperty({ description: 'Workspace date-time format pattern. When the workspace has none: `yyyy-MM-dd HH:mm`, with a FormatDefaulted warning.', example: 'dd.MM.yyyy HH:mm' })
  DateTimeFormat: string;

  @ApiProperty({ description: 'Workspace date format pattern. When the workspace has none: `yyyy-MM-dd`, with a FormatDefaulted warning.', example: 'dd.MM.yyyy' })
  DateFormat: string;

  @ApiProperty({ description: 'Workspace time format pattern. When the workspace has none: `HH:mm`, with a FormatDefaulted warning.', example: 'HH:mm' })
  TimeFormat: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Workspace routing region code. Null when the workspace has none.', example: 'eu' })
  RegionCode: string | null;

  @ApiProperty({
    enum: [0, 1, 2],
    enumName: 'OnboardingStatus',
    type: 'integer',
    description: 'The user\'s onboarding in this workspace: 0 = not started, 1 = in progress, 2 = completed. Below 2, the answer carries an OnboardingIncomplete warning.',
    example: OnboardingStatus.Completed,
  })
  OnboardingStatus: OnboardingStatus;

  @ApiProperty({ type: [String], description: 'Role names assigned to the user.', example: ['Supervisor', 'Agent'] })
  Roles: string[];

  @ApiProperty({
    type: [String],
    description: 'Permission keys assigned to the user. The union of the permissions of their roles, sorted, without duplicates.',
    example: ['boards.read', 'boards.write', 'inbox.reply', 'reports.read'],
  })
  Permissions: string[];

  @ApiProperty({ type: WorkspaceModulesDto, description: 'Typed module availability snapshot included in the authenticated user context.' })
  Modules: WorkspaceModulesDto;
}

/** The authenticated user's workspace context: the login's `Data` without the token. */
export class WorkspaceUserContextDto extends OmitType(WorkspaceAuthResponseDto, ['AccessToken'] as const) {}
