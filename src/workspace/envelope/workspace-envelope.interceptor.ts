import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { WorkspaceAnswer, WorkspaceEnvelope } from './workspace-message';

/** Every success under `/api/workspace` as the seed's envelope; handlers return data (and warnings) only. */
@Injectable()
export class WorkspaceEnvelopeInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<WorkspaceEnvelope<unknown>> {
    return next.handle().pipe(
      map((value: unknown) => {
        const answer: WorkspaceAnswer<unknown> = value instanceof WorkspaceAnswer ? (value as WorkspaceAnswer<unknown>) : new WorkspaceAnswer(value ?? null);
        return { Data: answer.data ?? null, Errors: [], Warnings: answer.warnings, Success: true };
      }),
    );
  }
}
