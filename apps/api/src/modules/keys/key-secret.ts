export const SECRET_MAX_LENGTH = 1024;

/** Why a string can't be an upstream key (it must travel in an HTTP header), or null when it can. */
export function secretProblem(secret: string): string | null {
  if (secret.length === 0) {
    return 'is empty';
  }
  if (/\s/.test(secret)) {
    return 'contains whitespace';
  }
  if (secret.length > SECRET_MAX_LENGTH) {
    return `is longer than ${SECRET_MAX_LENGTH} characters`;
  }
  if (!/^[\x21-\x7e]+$/.test(secret)) {
    return 'contains characters that are not allowed in an HTTP header';
  }
  return null;
}
