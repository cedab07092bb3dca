import { timingSafeEqual, createHash } from 'node:crypto';

/** True when no token is configured or the Authorization header carries it as a Bearer token. */
export function metricsAuthorized(expected: string | undefined, authorization: string | undefined): boolean {
  if (!expected) {
    return true;
  }
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (!match) {
    return false;
  }
  // Compare fixed-length digests so neither content nor length leaks through timing.
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(match[1].trim()), digest(expected));
}
