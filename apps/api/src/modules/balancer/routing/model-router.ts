import type { UpstreamFormat } from '@keypool/shared';
import type { CatalogUpstream, PoolSnapshot } from '../../keys/pool-catalog.types';
import { NoKeysConfiguredError, UnknownModelError } from '../balancer.types';

/** One upstream serving the request, and the model name to send it. */
export interface RouteEntry {
  upstream: CatalogUpstream;
  upstreamModel: string | null;
}

/** Tiers in priority order: tier n+1 is used only when tier n has no usable key. */
export interface Route {
  tiers: RouteEntry[][];
}

/**
 * Which upstreams of the route's format serve `model`: an alias defined on one or more upstreams forms
 * an ordered fallback chain by tier; otherwise the upstreams whose glob patterns match (no patterns = any).
 */
export function resolveRoute(snapshot: PoolSnapshot, format: UpstreamFormat, model: string | null): Route {
  const upstreams = snapshot.upstreams.filter((u) => u.enabled && u.format === format);
  if (upstreams.length === 0 || upstreams.every((u) => u.keys.length === 0)) {
    throw new NoKeysConfiguredError(
      `No API keys are configured for ${format} upstreams. Add an upstream and keys in the admin UI (/ui) or API.`,
    );
  }
  if (model === null) {
    return { tiers: [upstreams.map((upstream) => ({ upstream, upstreamModel: null }))] };
  }
  const name = model.startsWith('models/') ? model.slice('models/'.length) : model;

  const byTier = new Map<number, RouteEntry[]>();
  for (const upstream of upstreams) {
    for (const alias of upstream.aliases) {
      if (alias.name === name) {
        const tier = byTier.get(alias.tier) ?? [];
        tier.push({ upstream, upstreamModel: alias.model });
        byTier.set(alias.tier, tier);
      }
    }
  }
  if (byTier.size > 0) {
    return { tiers: [...byTier.entries()].sort((a, b) => a[0] - b[0]).map(([, entries]) => entries) };
  }

  const matching = upstreams.filter(
    (u) => u.modelPatterns.length === 0 || u.modelPatterns.some((p) => globMatch(p, name)),
  );
  if (matching.length === 0) {
    throw new UnknownModelError(name, availableModels(upstreams));
  }
  return { tiers: [matching.map((upstream) => ({ upstream, upstreamModel: name }))] };
}

/** What the upstreams of a format say they serve: their patterns and alias names. */
export function availableModels(upstreams: readonly CatalogUpstream[]): string[] {
  const names = new Set<string>();
  for (const u of upstreams) {
    u.modelPatterns.forEach((p) => names.add(p));
    u.aliases.forEach((a) => names.add(a.name));
  }
  return [...names].sort();
}

const globCache = new Map<string, RegExp>();

/** `*` = any run of characters, `?` = one; case-insensitive. */
export function globMatch(pattern: string, value: string): boolean {
  let re = globCache.get(pattern);
  if (!re) {
    const source = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${source}$`, 'i');
    if (globCache.size > 1000) {
      globCache.clear();
    }
    globCache.set(pattern, re);
  }
  return re.test(value);
}
