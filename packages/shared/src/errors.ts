/** Stable error codes of the admin API envelope. The HTTP status is fixed per code. */
export const ErrorCode = {
  ValidationFailed: 'VALIDATION_FAILED',
  Unauthorized: 'UNAUTHORIZED',
  InvalidCredentials: 'INVALID_CREDENTIALS',
  TooManyRequests: 'TOO_MANY_REQUESTS',
  NotFound: 'NOT_FOUND',
  KeyNotFound: 'KEY_NOT_FOUND',
  UpstreamNotFound: 'UPSTREAM_NOT_FOUND',
  ClientKeyNotFound: 'CLIENT_KEY_NOT_FOUND',
  LogNotFound: 'LOG_NOT_FOUND',
  UpstreamHasKeys: 'UPSTREAM_HAS_KEYS',
  DuplicateResource: 'DUPLICATE_RESOURCE',
  UpstreamUrlRefused: 'UPSTREAM_URL_REFUSED',
  ImportInvalid: 'IMPORT_INVALID',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  NoActiveKeys: 'NO_ACTIVE_KEYS',
  InternalError: 'INTERNAL_ERROR',
  /** The admin password is set by ADMIN_PASSWORD and can only be changed there. */
  PasswordManagedByEnv: 'PASSWORD_MANAGED_BY_ENV',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The one error envelope of the admin API (`/api/*`).
 * For VALIDATION_FAILED, `details` maps each bad field (dotted path) to its messages.
 */
export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    details?: Record<string, unknown>;
  };
}
