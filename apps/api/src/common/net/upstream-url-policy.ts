import { lookup as lookupCallback } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';

export type UrlVerdict = { ok: true; url: string } | { ok: false; reason: string };

/** Instance metadata services: reaching them from a gateway leaks cloud credentials. Always refused. */
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data']);
const METADATA_IPS = new Set(['169.254.169.254', '169.254.170.2', '100.100.100.200', '168.63.129.16']);
const METADATA_IPV6 = new Set(['fd00:ec2::254']);

/**
 * Checks an upstream base URL. Loopback and private networks are allowed unless `allowPrivate` is false
 * (local model servers are a core use); cloud metadata endpoints are refused always. Returns the URL
 * without trailing slash.
 */
export function checkUpstreamUrl(raw: string, allowPrivate: boolean): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'must be a valid absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, reason: 'must use http or https' };
  }
  if (url.username || url.password) {
    return { ok: false, reason: 'must not contain credentials; add them as keys instead' };
  }
  if (url.hash) {
    return { ok: false, reason: 'must not contain a #fragment' };
  }
  const verdict = checkHost(url.hostname, allowPrivate);
  if (!verdict.ok) {
    return verdict;
  }
  const text = url.toString().replace(/\/+$/, '');
  return { ok: true, url: text };
}

/** Same rules for the addresses a host name resolves to (so a DNS name can't smuggle in a refused IP). */
export async function checkResolvedAddresses(raw: string, allowPrivate: boolean): Promise<UrlVerdict> {
  const first = checkUpstreamUrl(raw, allowPrivate);
  if (!first.ok) {
    return first;
  }
  const host = new URL(first.url).hostname;
  if (isIP(stripBrackets(host))) {
    return first;
  }
  let addresses: Array<{ address: string }>;
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    // Unresolvable now (offline, split DNS): the literal checks passed, and every connection checks the
    // addresses it resolves (`policyLookup`), so accept rather than block configuration.
    return first;
  }
  const refused = refusedAddress(addresses, allowPrivate);
  return refused ? { ok: false, reason: refused } : first;
}

/** "resolves to <address>, which <reason>" for the first address the rules refuse; null when none is. */
function refusedAddress(addresses: ReadonlyArray<{ address: string }>, allowPrivate: boolean): string | null {
  for (const { address } of addresses) {
    const verdict = checkHost(address, allowPrivate);
    if (!verdict.ok) {
      return `resolves to ${address}, which ${verdict.reason}`;
    }
  }
  return null;
}

/** Raised by `policyLookup` when a name resolves to an address the policy refuses. */
export class RefusedUpstreamAddressError extends Error {
  readonly code = 'EUPSTREAMREFUSED';
}

/**
 * A socket `lookup` that applies the address rules at every connection, not only when an upstream is
 * saved: a name that resolved to an allowed address then cannot lead to a refused one later (DNS
 * rebinding onto a metadata endpoint, or a private address when those are forbidden).
 */
export function policyLookup(
  allowPrivate: boolean,
  resolve: LookupFunction = lookupCallback,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, options, (error, address, family) => {
      if (error) {
        callback(error, address, family);
        return;
      }
      const refused = refusedAddress(Array.isArray(address) ? address : [{ address }], allowPrivate);
      if (refused) {
        callback(new RefusedUpstreamAddressError(`${hostname} ${refused}`), address, family);
        return;
      }
      callback(null, address, family);
    });
  };
}

function checkHost(hostname: string, allowPrivate: boolean): UrlVerdict {
  const host = stripBrackets(hostname.toLowerCase()).replace(/\.$/, '');
  if (METADATA_HOSTS.has(host)) {
    return { ok: false, reason: 'is a cloud metadata endpoint, which is never allowed' };
  }
  const ip = normaliseIp(host);
  if (ip && (METADATA_IPS.has(ip) || METADATA_IPV6.has(ip))) {
    return { ok: false, reason: 'is a cloud metadata endpoint, which is never allowed' };
  }
  if (!allowPrivate) {
    if (host === 'localhost' || host.endsWith('.localhost') || (ip !== null && isPrivateIp(ip))) {
      return {
        ok: false,
        reason: 'points to a private or loopback address, which ALLOW_PRIVATE_UPSTREAMS=false forbids',
      };
    }
  }
  return { ok: true, url: hostname };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Canonical text of an IP (IPv4-mapped IPv6 becomes IPv4; IPv6 fully compressed), or null. */
export function normaliseIp(host: string): string | null {
  const family = isIP(host);
  if (family === 4) {
    return host;
  }
  if (family !== 6) {
    return null;
  }
  const groups = expandIpv6(host);
  if (!groups) {
    return null;
  }
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const hi = groups[6] ?? 0;
    const lo = groups[7] ?? 0;
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return compressIpv6(groups);
}

function expandIpv6(host: string): number[] | null {
  let text = host.split('%')[0] ?? '';
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const [a, b, c, d] = v4[1].split('.').map(Number) as [number, number, number, number];
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (tail === undefined && left.length !== 8) {
    return null;
  }
  const parts = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  return parts.length === 8 ? parts.map((p) => parseInt(p || '0', 16)) : null;
}

function compressIpv6(groups: number[]): string {
  const hex = groups.map((g) => g.toString(16));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) {
      j++;
    }
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) {
    return hex.join(':');
  }
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function isPrivateIp(ip: string): boolean {
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  const first = parseInt(ip.split(':')[0] || '0', 16);
  return ip === '::1' || ip === '::' || (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}
