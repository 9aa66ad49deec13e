/** The seed's `Type` of an error or warning: what kind of rule produced it. */
export enum MessageType {
  Validation = 0,
  BusinessRule = 1,
  System = 2,
}

/** The seed's `Severity`: every error is `Error`, every warning `Warning`. */
export enum MessageSeverity {
  Info = 0,
  Warning = 1,
  Error = 2,
}

/** One entry of `Errors` or `Warnings`. Every key is always present (null when it does not apply). */
export interface WorkspaceMessage {
  Code: string;
  Message: string;
  Target: string | null;
  Field: string | null;
  Metadata: Record<string, string> | null;
  Type: MessageType;
  Severity: MessageSeverity;
}

/** The `{ Data, Errors, Warnings, Success }` envelope of every `/api/workspace` answer. */
export interface WorkspaceEnvelope<T> {
  Data: T | null;
  Errors: WorkspaceMessage[];
  Warnings: WorkspaceMessage[];
  Success: boolean;
}

type MessageDetails = Partial<Pick<WorkspaceMessage, 'Target' | 'Field' | 'Metadata'>>;

export const errorMessage = (Code: string, Message: string, Type: MessageType, details: MessageDetails = {}): WorkspaceMessage => ({
  Code,
  Message,
  Target: details.Target ?? null,
  Field: details.Field ?? null,
  Metadata: details.Metadata ?? null,
  Type,
  Severity: MessageSeverity.Error,
});

export const warningMessage = (Code: string, Message: string, details: MessageDetails = {}): WorkspaceMessage => ({
  Code,
  Message,
  Target: details.Target ?? null,
  Field: details.Field ?? null,
  Metadata: details.Metadata ?? null,
  Type: MessageType.BusinessRule,
  Severity: MessageSeverity.Warning,
});

/**
 * What a workspace handler returns: the data and the warnings that go with it.
 * The interceptor turns it into the envelope; handlers never build one.
 */
export class WorkspaceAnswer<T> {
  constructor(
    readonly data: T,
    readonly warnings: WorkspaceMessage[] = [],
  ) {}
}
