import { describe, expect, it } from 'vitest';
import { modelMatches } from './client-key-secret';
import { ClientRateLimiter } from './client-rate-limiter';

describe(ClientRateLimiter.name, () => {
  it('should allow `limit` requests per sliding minute, then say when to retry', async () => {
    let now = 1_000_000;
    const limiter = new ClientRateLimiter(() => now);
    for (let i = 0; i < 10; i++) {
      expect((await limiter.hit('c', 10)).allowed).toBe(true);
      now += 1000;
    }
    expect(await limiter.hit('c', 10)).toEqual({ allowed: false, retryAfterSeconds: 50 });
    now = 1_000_000 + 60_000;
    expect((await limiter.hit('c', 10)).allowed).toBe(true);
    expect((await limiter.hit('c', 10)).allowed).toBe(false);
  });

  it('should count clients separately and start over when the limit changes', async () => {
    const limiter = new ClientRateLimiter(() => 0);
    expect((await limiter.hit('a', 1)).allowed).toBe(true);
    expect((await limiter.hit('a', 1)).allowed).toBe(false);
    expect((await limiter.hit('b', 1)).allowed).toBe(true);
    expect((await limiter.hit('a', 2)).allowed).toBe(true);
  });
});

describe(modelMatches.name, () => {
  it.each([
    ['gpt-*', 'gpt-4o', true],
    ['gpt-*', 'o1', false],
    ['*', 'anything', true],
    ['claude-3-?-sonnet', 'claude-3-5-sonnet', true],
    ['models/gemini-*', 'models/gemini-2.0-flash', true],
    ['gpt-4o', 'GPT-4O', true],
    ['gpt.4', 'gpt-4', false],
  ])('should match %s against %s: %s', (pattern, model, expected) => {
    expect(modelMatches(pattern, model)).toBe(expected);
  });
});
