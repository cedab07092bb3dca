import { describe, expect, it } from 'vitest';
import { checkUpstreamUrl, normaliseIp } from './upstream-url-policy';

describe(checkUpstreamUrl.name, () => {
  it.each([
    ['https://api.openai.com/v1/', 'https://api.openai.com/v1'],
    ['http://127.0.0.1:11434/v1', 'http://127.0.0.1:11434/v1'],
    ['http://10.0.0.5/v1', 'http://10.0.0.5/v1'],
    ['http://localhost:8080/v1', 'http://localhost:8080/v1'],
  ])('should accept %s (private allowed)', (input, normalised) => {
    expect(checkUpstreamUrl(input, true)).toEqual({ ok: true, url: normalised });
  });

  it.each([
    'http://169.254.169.254/latest',
    'http://2852039166/',
    'http://0xa9fea9fe/',
    'http://[::ffff:169.254.169.254]/',
    'http://[fd00:ec2::254]/',
    'http://metadata.google.internal/computeMetadata/v1',
    'http://METADATA.GOOGLE.INTERNAL./',
    'http://100.100.100.200/',
  ])('should always refuse the metadata endpoint %s', (input) => {
    const verdict = checkUpstreamUrl(input, true);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(/metadata/);
  });

  it.each([
    'http://127.0.0.1/v1',
    'http://localhost/v1',
    'http://api.localhost/v1',
    'http://10.1.2.3/',
    'http://172.16.0.1/',
    'http://192.168.1.1/',
    'http://[::1]/',
    'http://[fc00::1]/',
    'http://[fe80::1]/',
    'http://0.0.0.0/',
    'http://[::ffff:127.0.0.1]/',
  ])('should refuse %s when private upstreams are not allowed', (input) => {
    const verdict = checkUpstreamUrl(input, false);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(/ALLOW_PRIVATE_UPSTREAMS/);
  });

  it('should accept a public address when private upstreams are not allowed', () => {
    expect(checkUpstreamUrl('https://8.8.8.8/v1', false).ok).toBe(true);
    expect(checkUpstreamUrl('http://172.32.0.1/', false).ok).toBe(true);
  });

  it.each([
    ['not a url', /valid absolute URL/],
    ['ftp://example.com/', /http or https/],
    ['file:///etc/passwd', /http or https/],
    ['https://user:pass@example.com/', /credentials/],
    ['https://example.com/#x', /fragment/],
  ])('should refuse %s', (input, reason) => {
    const verdict = checkUpstreamUrl(input, true);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(reason);
  });
});

describe(normaliseIp.name, () => {
  it.each([
    ['::ffff:a9fe:a9fe', '169.254.169.254'],
    ['fd00:ec2:0:0:0:0:0:254', 'fd00:ec2::254'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1.2.3.4', '1.2.3.4'],
    ['example.com', null],
  ])('should normalise %s to %s', (input, output) => {
    expect(normaliseIp(input)).toBe(output);
  });
});
