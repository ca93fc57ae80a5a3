import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiError, ERROR_MESSAGES, ErrorCode } from '@dxtrain/shared/contracts';
import { DomainException } from './domain.exception';
import { isInfrastructureError } from './infrastructure';

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.ValidationFailed,
  503: ErrorCode.ServiceUnavailable,
};

function language(req: Request): 'vi' | 'en' {
  const header = String(req.headers['accept-language'] ?? '').toLowerCase();
  return header.startsWith('en') ? 'en' : 'vi';
}

/** Turns every error into `{ statusCode, code, message, details? }`; message in the caller's language (vi by default). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();
    const lang = language(req);
    let body: ApiError;
    if (exception instanceof DomainException) {
      const messages = exception.overrideMessage ?? ERROR_MESSAGES[exception.code];
      body = {
        statusCode: exception.getStatus(),
        code: exception.code,
        message: messages?.[lang] ?? exception.message,
        ...(exception.details ? { details: exception.details } : {}),
      };
    } else if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code = STATUS_CODES[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.ValidationFailed);
      // Body-parser errors (malformed JSON, too large) arrive here as HttpExceptions.
      body = { statusCode: status, code, message: ERROR_MESSAGES[code][lang] };
      const raw = exception.getResponse();
      const detail = typeof raw === 'object' && raw && 'message' in raw ? (raw as { message: unknown }).message : raw;
      if (typeof detail === 'string' && status < 500) body.details = [{ field: '', message: detail }];
    } else if (isBodyParserError(exception)) {
      const status = exception.status ?? HttpStatus.BAD_REQUEST;
      body = {
        statusCode: status,
        code: ErrorCode.ValidationFailed,
        message: ERROR_MESSAGES[ErrorCode.ValidationFailed][lang],
        details: [{ field: '', message: exception.message }],
      };
    } else if (isInfrastructureError(exception)) {
      // PostgreSQL or Redis unreachable: an outage, not the caller's fault, and not worth a stack per request.
      this.logger.warn(`Service unavailable on ${req.method} ${req.url}: ${exception instanceof Error ? exception.message : String(exception)}`);
      body = { statusCode: 503, code: ErrorCode.ServiceUnavailable, message: ERROR_MESSAGES[ErrorCode.ServiceUnavailable][lang] };
    } else {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
      body = { statusCode: 500, code: ErrorCode.Internal, message: ERROR_MESSAGES[ErrorCode.Internal][lang] };
    }
    if (body.statusCode === 503) res.setHeader('Retry-After', '30');
    res.status(body.statusCode).json(body);
  }
}

function isBodyParserError(e: unknown): e is { status?: number; message: string; type: string } {
  return typeof e === 'object' && e !== null && 'type' in e && typeof (e as { type: unknown }).type === 'string' && 'status' in e;
}
