import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CryptoService, DecryptionError, hexDigestsEqual, sha256Hex } from './crypto.service';
import { maskSecret } from './mask-secret';

describe(CryptoService.name, () => {
  const crypto = new CryptoService(randomBytes(32));

  it('should round-trip a secret through v1 AES-256-GCM', () => {
    const sealed = crypto.encrypt('sk-live-1234567890');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('1234567890');
    expect(crypto.decrypt(sealed)).toBe('sk-live-1234567890');
  });

  it('should use a fresh IV each time', () => {
    expect(crypto.encrypt('same')).not.toBe(crypto.encrypt('same'));
  });

  it('should refuse a tampered ciphertext', () => {
    const [v, iv, tag, data] = crypto.encrypt('sk-abc').split('.') as [string, string, string, string];
    const flipped = Buffer.from(data, 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => crypto.decrypt([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow(
      DecryptionError,
    );
  });

  it('should refuse a ciphertext sealed with another key', () => {
    const other = new CryptoService(randomBytes(32));
    expect(() => other.decrypt(crypto.encrypt('sk-abc'))).toThrow(DecryptionError);
  });

  it('should refuse an unknown format', () => {
    expect(() => crypto.decrypt('plaintext')).toThrow(DecryptionError);
  });

  it('should hash equal secrets equally and differently per key', () => {
    expect(crypto.secretHash('sk-a')).toBe(crypto.secretHash('sk-a'));
    expect(crypto.secretHash('sk-a')).not.toBe(crypto.secretHash('sk-b'));
    expect(new CryptoService(randomBytes(32)).secretHash('sk-a')).not.toBe(crypto.secretHash('sk-a'));
  });

  it('should reject keys that are not 32 bytes', () => {
    expect(() => new CryptoService(randomBytes(16))).toThrow();
  });

  it('should compare hex digests in constant time helpers', () => {
    expect(hexDigestsEqual(sha256Hex('a'), sha256Hex('a'))).toBe(true);
    expect(hexDigestsEqual(sha256Hex('a'), sha256Hex('b'))).toBe(false);
    expect(hexDigestsEqual('', '')).toBe(false);
  });
});

describe(maskSecret.name, () => {
  it.each([
    ['sk-1234567890abcdef', 'sk-…cdef'],
    ['sk-proj-aaaaaaaaaaaaaaaa9876', 'sk-proj-…9876'],
    ['sk-ant-api03-xxxxxxxxxxxxwxyz', 'sk-ant-…wxyz'],
    ['AIzaSyA1234567890abcdEFGH', 'AIza…EFGH'],
    ['gsk_abcdefghijklmnop1234', 'gsk_…1234'],
    ['plainsecretvalue1234', '…1234'],
    ['short', '…'],
  ])('should mask %s as %s', (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });
});
