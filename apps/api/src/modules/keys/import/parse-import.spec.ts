import { describe, expect, it } from 'vitest';
import { ImportFormatError, parseImport } from './parse-import';

const secrets = (body: unknown) => parseImport(body).groups.flatMap((g) => g.entries.map((e) => e.secret));

describe(parseImport.name, () => {
  it('should read a plain list, one key per line, ignoring blanks and comments', () => {
    const parsed = parseImport('sk-aaaaaaaaaaaa1111\n\n# comment\r\nsk-bbbbbbbbbbbb2222  \n');
    expect(parsed.format).toBe('text');
    expect(parsed.groups[0]?.entries.map((e) => e.secret)).toEqual([
      'sk-aaaaaaaaaaaa1111',
      'sk-bbbbbbbbbbbb2222',
    ]);
    expect(parsed.groups[0]?.upstream).toBeNull();
  });

  it('should read key:weight,key:weight', () => {
    const parsed = parseImport('sk-aaaaaaaaaaaa1111:1,sk-bbbbbbbbbbbb2222:3, sk-cccccccccccc3333');
    expect(parsed.format).toBe('weighted');
    expect(parsed.groups[0]?.entries).toEqual([
      { secret: 'sk-aaaaaaaaaaaa1111', weight: 1 },
      { secret: 'sk-bbbbbbbbbbbb2222', weight: 3 },
      { secret: 'sk-cccccccccccc3333' },
    ]);
  });

  it('should report bad weights without echoing the secret', () => {
    const parsed = parseImport('sk-aaaaaaaaaaaa1111:0,sk-bbbbbbbbbbbb2222:-2,sk-cccccccccccc3333:1.5');
    expect(parsed.groups[0]?.entries).toEqual([]);
    expect(parsed.invalid).toHaveLength(3);
    expect(JSON.stringify(parsed.invalid)).not.toContain('aaaaaaaaaaaa');
    expect(parsed.invalid[0]).toEqual({
      key: 'item 1 (sk-…1111)',
      reason: 'weight must be an integer from 1 to 1000',
    });
  });

  it('should read the seed load-balancer export (array of {key, name, isActive, dailyRateLimit})', () => {
    const parsed = parseImport([
      { _id: '1', key: 'AIzaSyAAAAAAAAAAAAAAAA1', name: 'one', isActive: true, dailyRateLimit: 500 },
      { key: 'AIzaSyBBBBBBBBBBBBBBBB2', isActive: false, failureCount: 3 },
      { name: 'no key' },
    ]);
    expect(parsed.format).toBe('seed-json');
    expect(parsed.groups[0]?.entries).toEqual([
      { secret: 'AIzaSyAAAAAAAAAAAAAAAA1', name: 'one', enabled: true, dailyLimit: 500 },
      { secret: 'AIzaSyBBBBBBBBBBBBBBBB2', enabled: false },
    ]);
    expect(parsed.invalid).toEqual([{ key: 'item 3', reason: 'must be an object with a string "key"' }]);
  });

  it('should read a keypool export with its upstreams', () => {
    const parsed = parseImport({
      format: 'keypool-export',
      version: 1,
      exportedAt: '2026-11-21T00:00:00.000Z',
      upstreams: [
        {
          name: 'openai',
          baseUrl: 'https://api.openai.com/v1',
          format: 'openai',
          modelPatterns: ['gpt-*'],
          keys: [
            {
              plaintextSecret: 'sk-aaaaaaaaaaaa1111',
              name: 'a',
              weight: 2,
              tags: ['t'],
              enabled: false,
              rpmLimit: 10,
              tpmLimit: null,
              dailyLimit: null,
            },
            { plaintextSecret: 'sk-bbbbbbbbbbbb2222', weight: -1 },
          ],
        },
        { name: 'broken' },
      ],
    });
    expect(parsed.format).toBe('keypool-export');
    expect(parsed.groups).toHaveLength(1);
    expect(parsed.groups[0]?.upstream).toEqual({
      name: 'openai',
      baseUrl: 'https://api.openai.com/v1',
      format: 'openai',
      modelPatterns: ['gpt-*'],
      // An export without upstream settings (older files) imports with the defaults.
      aliases: [],
      strategy: null,
      timeoutMs: null,
      enabled: true,
    });
    expect(parsed.groups[0]?.entries[0]).toMatchObject({
      secret: 'sk-aaaaaaaaaaaa1111',
      weight: 2,
      enabled: false,
      rpmLimit: 10,
    });
    expect(parsed.invalid.map((i) => i.key)).toEqual(['upstreams[0].keys[1] (sk-…2222)', 'upstreams[1]']);
  });

  it('should accept JSON sent as text and text wrapped in {content}', () => {
    expect(secrets('[{"key":"sk-aaaaaaaaaaaa1111"}]')).toEqual(['sk-aaaaaaaaaaaa1111']);
    expect(secrets({ content: 'sk-aaaaaaaaaaaa1111\nsk-bbbbbbbbbbbb2222' })).toHaveLength(2);
    expect(secrets(['sk-aaaaaaaaaaaa1111'])).toEqual(['sk-aaaaaaaaaaaa1111']);
  });

  it('should mark keys that cannot travel in a header as invalid', () => {
    const parsed = parseImport([{ key: 'has space inside' }, { key: 'ключ-не-ascii-1234' }]);
    expect(parsed.invalid.map((i) => i.reason)).toEqual([
      'key contains whitespace',
      'key contains characters that are not allowed in an HTTP header',
    ]);
  });

  it.each([
    [{ hello: 'world' }],
    [42],
    [null],
    ['{not json'],
    [{ format: 'keypool-export', version: 2, upstreams: [] }],
  ])('should refuse %j as a whole', (body) => {
    expect(() => parseImport(body)).toThrow(ImportFormatError);
  });
});
