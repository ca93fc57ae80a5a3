import { normaliseName } from '@dxtrain/shared/vietnamese';
import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ErrorCode } from '@dxtrain/shared/contracts';
import { DomainException, ErrorDetail } from './domain.exception';

function flatten(errors: ValidationError[], prefix = ''): ErrorDetail[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** The one global pipe: unknown fields are refused, types are converted, every failure is listed. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => DomainException.badRequest(ErrorCode.ValidationFailed, flatten(errors)),
  });
}

/**
 * `@Transform(normalisedText)` for free-text fields of request bodies: NFC, runs of white space folded,
 * trimmed (names and titles are stored the way they are compared).
 */
export const normalisedText = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? normaliseName(value) : value);
