import { HttpException } from '@nestjs/common';
import { ERROR_MESSAGES, ErrorCode } from '@dxtrain/shared/contracts';

export interface ErrorDetail {
  field: string;
  message: string;
}

/**
 * The one exception domains throw: an error code (shared with the web app), the HTTP status
 * and optional per-field details. The message is looked up per language by the filter.
 */
export class DomainException extends HttpException {
  constructor(
    readonly code: ErrorCode,
    status: number,
    readonly details?: ErrorDetail[],
    readonly overrideMessage?: { vi: string; en: string },
  ) {
    super(overrideMessage?.en ?? ERROR_MESSAGES[code]?.en ?? code, status);
  }

  static notFound(code: ErrorCode = ErrorCode.NotFound): DomainException {
    return new DomainException(code, 404);
  }
  static forbidden(code: ErrorCode = ErrorCode.Forbidden): DomainException {
    return new DomainException(code, 403);
  }
  static conflict(code: ErrorCode, details?: ErrorDetail[]): DomainException {
    return new DomainException(code, 409, details);
  }
  static badRequest(code: ErrorCode, details?: ErrorDetail[]): DomainException {
    return new DomainException(code, 400, details);
  }
  /** A backing service (PostgreSQL, Redis) is unreachable: the caller should retry, and keep their session. */
  static serviceUnavailable(): DomainException {
    return new DomainException(ErrorCode.ServiceUnavailable, 503);
  }
}
