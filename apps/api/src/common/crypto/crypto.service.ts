import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

/** Raised when a ciphertext cannot be decrypted (wrong key, tampered or malformed value). */
export class DecryptionError extends Error {}

/**
 * Encrypts provider secrets at rest (AES-256-GCM, `v1.<iv>.<tag>.<data>` in base64url) and derives the
 * keyed hash used to find duplicates without decrypting. One 32-byte key drives both (HKDF-separated).
 */
export class CryptoService {
  private readonly encKey: Buffer;
  private readonly hmacKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) {
      throw new Error('The encryption key must be 32 bytes');
    }
    this.encKey = derive(masterKey, 'keypool:aes-256-gcm');
    this.hmacKey = derive(masterKey, 'keypool:secret-hash');
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join(
      '.',
    );
  }

  decrypt(value: string): string {
    const parts = value.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new DecryptionError('Unsupported ciphertext format');
    }
    const [, iv, tag, data] = parts as [string, string, string, string];
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new DecryptionError('Ciphertext could not be decrypted (wrong ENCRYPTION_KEY or tampered data)');
    }
  }

  /** Keyed hash of a secret (hex): equal secrets hash equal, but the hash alone reveals nothing. */
  secretHash(secret: string): string {
    return createHmac('sha256', this.hmacKey).update(secret, 'utf8').digest('hex');
  }
}

/** Unkeyed SHA-256 (hex); for client keys, which are long random values. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * Constant-time equality of two hex digests of the same algorithm: every character is compared, without
 * decoding into buffers (this runs for every proxied request).
 */
export function hexDigestsEqual(a: string, b: string): boolean {
  if (a.length !== b.length || a.length === 0) {
    return false;
  }
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  }
  return diff === 0;
}

function derive(key: Buffer, info: string): Buffer {
  return createHmac('sha256', key).update(info).digest();
}
