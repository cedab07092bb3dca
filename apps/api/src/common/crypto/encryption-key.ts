import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ENCRYPTION_KEY_FILE = 'encryption.key';

/**
 * The key that encrypts secrets at rest: `ENCRYPTION_KEY` when set, else the one stored in
 * `DATA_DIR/encryption.key`, generated (mode 0600) on first start. Losing that file makes stored
 * secrets unreadable, which `created` lets the caller say loudly.
 */
export function resolveEncryptionKey(
  fromEnv: Buffer | undefined,
  dataDir: string,
): { key: Buffer; source: 'env' | 'file' | 'generated' } {
  if (fromEnv) {
    return { key: fromEnv, source: 'env' };
  }
  const path = join(dataDir, ENCRYPTION_KEY_FILE);
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8').trim();
    const key = Buffer.from(text, 'hex');
    if (key.length !== 32) {
      throw new Error(`${path} does not hold a 32-byte hex key`);
    }
    return { key, source: 'file' };
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { key, source: 'generated' };
}
