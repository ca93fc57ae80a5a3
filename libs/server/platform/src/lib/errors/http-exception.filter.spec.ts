import { ArgumentsHost, BadRequestException, Logger, NotFoundException } from '@nestjs/common';
import { ErrorCode } from '@dxtrain/shared/contracts';
import { DomainException } from './domain.exception';
import { AllExceptionsFilter } from './http-exception.filter';

function run(exception: unknown, acceptLanguage?: string) {
  const res = { statusCode: 0, body: undefined as unknown, status(code: number) { this.statusCode = code; return this; }, json(body: unknown) { this.body = body; } };
  const req = { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} };
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

  it('hides internal errors behind a generic 500', () => {
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const res = run(new Error('connection string with a password'));
    expect(res.statusCode).toBe(500);
    expect(JSON.stringify(res.body)).not.toContain('password');
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
  });
});
