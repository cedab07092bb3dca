import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkUpstreamUrl,
  normaliseIp,
  policyLookup,
  RefusedUpstreamAddressError,
} from './upstream-url-policy';

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

describe(policyLookup.name, () => {
  /** A resolver that answers every name with `addresses`, as dns.lookup does with and without `all`. */
  const resolvingTo =
    (...addresses: string[]): LookupFunction =>
    (_host, options, callback) => {
      if (options.all) {
        callback(
          null,
          addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
        );
      } else {
        callback(null, addresses[0], addresses[0].includes(':') ? 6 : 4);
      }
    };
  const resolve = (lookup: LookupFunction, all: boolean) =>
    new Promise<unknown>((done, fail) =>
      lookup('upstream.example', { all }, (error, address) => (error ? fail(error) : done(address))),
    );

  it.each([false, true])(
    'should refuse a name that now resolves to a metadata endpoint (all: %s)',
    async (all) => {
      await expect(resolve(policyLookup(true, resolvingTo('169.254.169.254')), all)).rejects.toThrow(
        /upstream\.example resolves to 169\.254\.169\.254, which is a cloud metadata endpoint/,
      );
    },
  );

  it('should refuse a name when any of its addresses is refused', async () => {
    const lookup = policyLookup(true, resolvingTo('8.8.8.8', '169.254.169.254'));
    await expect(resolve(lookup, true)).rejects.toThrow(RefusedUpstreamAddressError);
  });

  it('should refuse private addresses only when they are forbidden', async () => {
    await expect(resolve(policyLookup(true, resolvingTo('10.1.2.3')), false)).resolves.toBe('10.1.2.3');
    await expect(resolve(policyLookup(false, resolvingTo('10.1.2.3')), false)).rejects.toThrow(
      /private or loopback/,
    );
    await expect(resolve(policyLookup(false, resolvingTo('93.184.216.34')), true)).resolves.toEqual([
      { address: '93.184.216.34', family: 4 },
    ]);
  });

  describe('on a real connection through undici', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((_req, res) => res.end('ok'));
      await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    it('should connect to a loopback name only when private upstreams are allowed', async () => {
      const allowed = new Agent({ connect: { lookup: policyLookup(true) } });
      const forbidden = new Agent({ connect: { lookup: policyLookup(false) } });
      try {
        const response = await request(`http://localhost:${port}/`, { dispatcher: allowed });
        expect(await response.body.text()).toBe('ok');
        await expect(request(`http://localhost:${port}/`, { dispatcher: forbidden })).rejects.toThrow(
          RefusedUpstreamAddressError,
        );
      } finally {
        await allowed.close();
        await forbidden.close();
      }
    });
  });
});
