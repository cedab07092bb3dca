import { ValidationPipe, type ValidationError as ClassValidatorError } from '@nestjs/common';
import { ValidationError } from '../errors/app-error';

/** Flattens class-validator errors into `{ "aliases.0.tier": ["tier must be ..."] }`. */
export function fieldErrors(errors: ClassValidatorError[], prefix = ''): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const error of errors) {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) {
      fields[path] = Object.values(error.constraints).map(humanise);
    }
    if (error.children?.length) {
      Object.assign(fields, fieldErrors(error.children, path));
    }
  }
  return fields;
}

/** class-validator's whitelist message names the property; make it read like the others. */
function humanise(message: string): string {
  return /^property .+ should not exist$/.test(message) ? 'is not an allowed field' : message;
}

/** Strict validation for admin DTOs: unknown fields rejected, every bad field reported. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = fieldErrors(errors);
      return new ValidationError(`Invalid request: ${Object.keys(fields).join(', ')}`, fields);
    },
  });
}
