import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ApiError, ERROR_MESSAGES, ErrorCode } from '@dxtrain/shared/contracts';
import type { HttpRequest } from '../http/http-types';
import { DomainException } from './domain.exception';
import { isInfrastructureError } from './infrastructure';

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.ValidationFailed,
  415: ErrorCode.ValidationFailed,
  503: ErrorCode.ServiceUnavailable,
};

function language(req: Pick<HttpRequest, 'headers'>): 'vi' | 'en' {
  const header = String(req.headers['accept-language'] ?? '').toLowerCase();
  return header.startsWith('en') ? 'en' : 'vi';
}

/** Turns every error into `{ statusCode, code, message, details? }`; message in the caller's language (vi by default). */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    // Fastify's reply (Express's response would do too): header(), status(), send().
    const res = ctx.getResponse<ErrorReply>();
    const req = ctx.getRequest<HttpRequest>();
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
      // Malformed JSON arrives here as a BadRequestException (Nest maps the parser's SyntaxError).
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
    if (body.statusCode === 503) res.header('Retry-After', '30');
    res.status(body.statusCode).send(body);
  }
}

interface ErrorReply {
  header(name: string, value: string): unknown;
  status(code: number): { send(body: unknown): unknown };
}

/**
 * An error of the HTTP layer before the route (Fastify's `FST_*` errors: body too large, unsupported media
 * type, bad content length, malformed multipart…; body-parser's `type` errors on Express): a 4xx with its status.
 */
function isBodyParserError(e: unknown): e is { status?: number; message: string } {
  if (typeof e !== 'object' || e === null || !(e instanceof Error || 'message' in e)) return false;
  const { statusCode, code, type, status } = e as { statusCode?: unknown; code?: unknown; type?: unknown; status?: unknown };
  if (typeof code === 'string' && code.startsWith('FST_') && typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    (e as { status?: number }).status = statusCode;
    return true;
  }
  return typeof type === 'string' && status !== undefined;
}
