import { CallHandler, ExecutionContext, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import { catchError, Observable, throwError } from 'rxjs';
import { ErrorCode } from '@dxtrain/shared/contracts';
import { DomainException } from './domain.exception';

/**
 * Turns multer's "file too large" into a domain error code (413), so the web app can say which
 * limit was hit. Put it before the FileInterceptor: `@UseInterceptors(tooLargeAs(code), FileInterceptor(…))`.
 */
export function tooLargeAs(code: ErrorCode): NestInterceptor {
  return {
    intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
      return next.handle().pipe(catchError((e: unknown) => throwError(() => (e instanceof PayloadTooLargeException ? new DomainException(code, 413) : e))));
    },
  };
}
