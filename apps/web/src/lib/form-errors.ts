import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError, errorMessage } from './api-client';

/**
 * Puts a VALIDATION_FAILED answer's per-field messages onto the form's fields.
 * Returns the message for anything that did not map to a field (shown above the form), or null.
 */
export function applyServerErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): string | null {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') {
    return errorMessage(error);
  }
  const unmatched: string[] = [];
  for (const [field, message] of Object.entries(error.fieldErrors())) {
    // Nested paths like `aliases.0.name` map to their top-level field when the form has no such path.
    const target = fields.find((f) => f === field) ?? fields.find((f) => field.startsWith(`${f}.`));
    if (target) {
      setError(target, { type: 'server', message });
    } else {
      unmatched.push(`${field}: ${message}`);
    }
  }
  if (unmatched.length > 0) {
    return unmatched.join(' ');
  }
  return Object.keys(error.details).length === 0 ? error.message : null;
}
