import { ArgumentsHost, BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { ErrorCode } from '@dxtrain/shared/contracts';
import { DomainException } from './domain.exception';
import { AllExceptionsFilter } from './http-exception.filter';
import { isInfrastructureError } from './infrastructure';

function run(exception: unknown, acceptLanguage?: string) {
  const res = {
    statusCode: 0,
    body: undefined as unknown,
    headers: {} as Record<string, string>,
    status(code: number) { this.statusCode = code; return this; },
    send(body: unknown) { this.body = body; },
    header(name: string, value: string) { this.headers[name] = value; return this; },
  };
  const req = { method: 'GET', url: '/api/me', headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} };
  const host = { switchToHttp: () => ({ getResponse: () => res, getRequest: () => req }) } as unknown as ArgumentsHost;
  new AllExceptionsFilter().catch(exception, host);
  return res;
}

describe('AllExceptionsFilter', () => {
  it('answers domain errors with their code and a Vietnamese message by default', () => {
    const res = run(DomainException.conflict(ErrorCode.StaffCodeTaken, [{ field: 'staffCode', message: 'taken' }]));
    expect(res.statusCode).toBe(409);
    expect(res.body).toEqual({ statusCode: 409, code: 'PERSON_STAFF_CODE_TAKEN', message: 'Mã cán bộ đã tồn tại trong tỉnh.', details: [{ field: 'staffCode', message: 'taken' }] });
  });

  it('answers in English when asked', () => {
    expect(run(DomainException.notFound(ErrorCode.PersonNotFound), 'en-GB,en;q=0.8').body).toMatchObject({ message: 'Person not found.' });
  });

  it('maps framework HTTP errors to generic codes', () => {
    expect(run(new NotFoundException('Cannot GET /api/nope')).body).toMatchObject({ statusCode: 404, code: ErrorCode.NotFound });
    expect(run(new BadRequestException('Validation failed (uuid is expected)')).body).toMatchObject({
      statusCode: 400,
      code: ErrorCode.ValidationFailed,
      details: [{ field: '', message: 'Validation failed (uuid is expected)' }],
    });
  });

  it('answers 503 SERVICE_UNAVAILABLE (with Retry-After) when PostgreSQL or Redis cannot be reached', () => {
    const warned = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const res = run(refused, 'en');
    expect(res.statusCode).toBe(503);
    expect(res.body).toEqual({ statusCode: 503, code: ErrorCode.ServiceUnavailable, message: 'The service is temporarily unavailable. Please try again in a minute.' });
    expect(res.headers['Retry-After']).toBe('30');
    expect(run(new Error("Stream isn't writeable and enableOfflineQueue options is false")).body).toMatchObject({
      code: ErrorCode.ServiceUnavailable,
      message: 'Dịch vụ tạm thời gián đoạn, vui lòng thử lại sau ít phút.',
    });
    expect(run(DomainException.serviceUnavailable()).statusCode).toBe(503);
    warned.mockRestore();
  });

  it('hides internal errors behind a generic 500', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const res = run(new Error('connection string with a password'));
    expect(res.statusCode).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('password');
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
});

describe('isInfrastructureError', () => {
  const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

  it('recognises unreachable or refusing PostgreSQL and Redis, however wrapped', () => {
    expect(isInfrastructureError(coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(true);
    expect(isInfrastructureError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isInfrastructureError(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isInfrastructureError(coded('the database system is starting up', '57P03'))).toBe(true);
    expect(isInfrastructureError(coded('sorry, too many clients already', '53300'))).toBe(true);
    expect(isInfrastructureError(Object.assign(new Error('Query failed'), { driverError: coded('terminating connection due to administrator command', '57P01') }))).toBe(true);
    expect(isInfrastructureError(new AggregateError([coded('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], ''))).toBe(true);
    expect(isInfrastructureError(new Error('wrapped', { cause: coded('getaddrinfo EAI_AGAIN db', 'EAI_AGAIN') }))).toBe(true);
    expect(isInfrastructureError(Object.assign(new Error('Reached the max retries per request limit (which is 2).'), { name: 'MaxRetriesPerRequestError' }))).toBe(true);
  });

  it('leaves request and programming errors alone', () => {
    expect(isInfrastructureError(coded('duplicate key value violates unique constraint', '23505'))).toBe(false);
    expect(isInfrastructureError(coded('invalid input syntax for type uuid', '22P02'))).toBe(false);
    expect(isInfrastructureError(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isInfrastructureError(null)).toBe(false);
    const loop: { cause?: unknown } = {};
    loop.cause = loop;
    expect(isInfrastructureError(loop)).toBe(false);
  });
});
