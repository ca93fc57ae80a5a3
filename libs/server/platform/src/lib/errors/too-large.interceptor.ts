import { CallHandler, ExecutionContext, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { ErrorCode } from '@dxtrain/shared/contracts';
import { DomainException } from './domain.exception';

/**
 * Turns the upload's "file too large" (PayloadTooLargeException from FileUpload) into a domain error code (413), so the web app can say which
 * limit was hit. Put it before the upload: `@UseInterceptors(tooLargeAs(code), FileUpload(…))`.
 */
export function tooLargeAs(code: ErrorCode): NestInterceptor {
  return {
    intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
      return next.handle().pipe(catchError((e: unknown) => throwError(() => (e instanceof PayloadTooLargeException ? new DomainException(code, 413) : e))));
    },
  };
}
