import { randomBytes } from 'node:crypto';

/** A new client key: `kp-` and 32 random bytes (base64url). */
export function generateClientSecret(): string {
  return `kp-${randomBytes(32).toString('base64url')}`;
}

/** Glob match (`*`, `?`), case-insensitive, over the whole model name. */
export function modelMatches(pattern: string, model: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    'i',
  );
  return regex.test(model);
}
