import { ErrorCode } from '@keypool/shared';

/** Base of every error a service throws on purpose. The global filter maps it to the admin envelope. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export class NotFoundError extends AppError {
  constructor(code: ErrorCode, message: string) {
    super(404, code, message);
  }
}

export class ConflictError extends AppError {
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(409, code, message, details);
  }
}

export class ValidationError extends AppError {
  /** `fields` maps each bad field (dotted path) to its messages. */
  constructor(message: string, fields: Record<string, string[]>) {
    super(400, ErrorCode.ValidationFailed, message, fields);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required', code: ErrorCode = ErrorCode.Unauthorized) {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(code: ErrorCode, message: string) {
    super(403, code, message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, ErrorCode.TooManyRequests, message, { retryAfterSeconds });
  }
}
