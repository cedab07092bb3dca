import {
  SELECTION_STRATEGIES,
  UPSTREAM_FORMATS,
  type KeyLimits,
  type ModelAlias,
  type SelectionStrategy,
  type SkippedKey,
  type UpstreamFormat,
} from '@keypool/shared';
import { maskSecret } from '../../../common/crypto/mask-secret';
import { secretProblem } from '../key-secret';

export type ImportFormat = 'keypool-export' | 'seed-json' | 'text' | 'weighted';

export interface ImportEntry extends Partial<KeyLimits> {
  secret: string;
  name?: string;
  weight?: number;
  tags?: string[];
  enabled?: boolean;
}

export interface ImportUpstreamSpec {
  name: string;
  baseUrl: string;
  format: UpstreamFormat;
  modelPatterns: string[];
  aliases: ModelAlias[];
  strategy: SelectionStrategy | null;
  timeoutMs: number | null;
  enabled: boolean;
}

/** Keys to add, grouped by target upstream. `upstream: null` targets the `?upstreamId=` of the request. */
export interface ImportGroup {
  upstream: ImportUpstreamSpec | null;
  entries: ImportEntry[];
}

export interface ParsedImport {
  format: ImportFormat;
  groups: ImportGroup[];
  invalid: SkippedKey[];
}

/** The file as a whole is unusable (not one of the accepted formats). */
export class ImportFormatError extends Error {}

const MAX_WEIGHT = 1000;

/**
 * Recognises the accepted import formats: our own export file, the seed load-balancer's JSON export
 * (an array of objects with a `key`), a plain list (one key per line) and `key:weight,key:weight`.
 * `body` is what the HTTP layer parsed: an object/array for JSON, a string for text.
 */
export function parseImport(body: unknown): ParsedImport {
  if (typeof body === 'string') {
    const text = body.replace(/^\uFEFF/, '').trim();
    if (text.startsWith('{') || text.startsWith('[')) {
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ImportFormatError('The file looks like JSON but does not parse');
      }
      return parseJson(json);
    }
    return parseText(text);
  }
  if (
    body &&
    typeof body === 'object' &&
    !Array.isArray(body) &&
    typeof (body as { content?: unknown }).content === 'string'
  ) {
    return parseImport((body as { content: string }).content);
  }
  return parseJson(body);
}

function parseJson(json: unknown): ParsedImport {
  if (Array.isArray(json)) {
    if (json.every((item) => typeof item === 'string')) {
      return parseText(json.join('\n'));
    }
    return parseSeedArray(json);
  }
  if (json && typeof json === 'object' && (json as { format?: unknown }).format === 'keypool-export') {
    return parseKeypoolExport(json as Record<string, unknown>);
  }
  throw new ImportFormatError(
    'Unrecognised import: expected a keypool export, a JSON array of {key, name} objects, a list of keys (one per line) or key:weight,key:weight',
  );
}

function parseText(text: string): ParsedImport {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const weighted = lines.some((line) => line.includes(',') || /:\s*-?\d+(\.\d+)?$/.test(line));
  const entries: ImportEntry[] = [];
  const invalid: SkippedKey[] = [];
  if (!weighted) {
    lines.forEach((line, index) => addSecret(entries, invalid, { secret: line }, `line ${index + 1}`));
    return { format: 'text', groups: [{ upstream: null, entries }], invalid };
  }
  const tokens = lines
    .flatMap((line) => line.split(','))
    .map((t) => t.trim())
    .filter(Boolean);
  tokens.forEach((token, index) => {
    const ref = `item ${index + 1}`;
    const match = /^(.+?):\s*(-?\d+(?:\.\d+)?)$/.exec(token);
    if (!match) {
      addSecret(entries, invalid, { secret: token }, ref);
      return;
    }
    const [, secret = '', weightText = ''] = match;
    const weight = Number(weightText);
    if (!Number.isInteger(weight) || weight < 1 || weight > MAX_WEIGHT) {
      invalid.push({ key: label(secret, ref), reason: `weight must be an integer from 1 to ${MAX_WEIGHT}` });
      return;
    }
    addSecret(entries, invalid, { secret, weight }, ref);
  });
  return { format: 'weighted', groups: [{ upstream: null, entries }], invalid };
}

function parseSeedArray(items: unknown[]): ParsedImport {
  const entries: ImportEntry[] = [];
  const invalid: SkippedKey[] = [];
  items.forEach((item, index) => {
    const ref = `item ${index + 1}`;
    if (!item || typeof item !== 'object' || typeof (item as { key?: unknown }).key !== 'string') {
      invalid.push({ key: ref, reason: 'must be an object with a string "key"' });
      return;
    }
    const record = item as Record<string, unknown>;
    const entry: ImportEntry = { secret: (record.key as string).trim() };
    if (typeof record.name === 'string' && record.name.trim()) {
      entry.name = record.name.trim().slice(0, 100);
    }
    if (typeof record.isActive === 'boolean') {
      entry.enabled = record.isActive;
    }
    if (isPositiveInt(record.dailyRateLimit)) {
      entry.dailyLimit = record.dailyRateLimit;
    }
    if (isPositiveInt(record.weight) && record.weight <= MAX_WEIGHT) {
      entry.weight = record.weight;
    }
    addSecret(entries, invalid, entry, ref);
  });
  return { format: 'seed-json', groups: [{ upstream: null, entries }], invalid };
}

function parseKeypoolExport(file: Record<string, unknown>): ParsedImport {
  if (file.version !== 1 || !Array.isArray(file.upstreams)) {
    throw new ImportFormatError('Unsupported keypool export: expected version 1 with an "upstreams" array');
  }
  const groups: ImportGroup[] = [];
  const invalid: SkippedKey[] = [];
  (file.upstreams as unknown[]).forEach((raw, u) => {
    const ref = `upstreams[${u}]`;
    const upstream = raw as Record<string, unknown> | null;
    if (
      !upstream ||
      typeof upstream.name !== 'string' ||
      !upstream.name.trim() ||
      typeof upstream.baseUrl !== 'string' ||
      !UPSTREAM_FORMATS.includes(upstream.format as UpstreamFormat) ||
      !Array.isArray(upstream.keys)
    ) {
      invalid.push({
        key: ref,
        reason: 'needs a name, a baseUrl, a format (openai|anthropic|gemini) and a keys array',
      });
      return;
    }
    const patterns = Array.isArray(upstream.modelPatterns)
      ? upstream.modelPatterns.filter((p): p is string => typeof p === 'string')
      : ['*'];
    const entries: ImportEntry[] = [];
    (upstream.keys as unknown[]).forEach((rawKey, k) => {
      const keyRef = `${ref}.keys[${k}]`;
      const key = rawKey as Record<string, unknown> | null;
      if (!key || typeof key.plaintextSecret !== 'string') {
        invalid.push({ key: keyRef, reason: 'must have a string plaintextSecret' });
        return;
      }
      const problem = limitProblem(key);
      if (problem) {
        invalid.push({ key: label(key.plaintextSecret, keyRef), reason: problem });
        return;
      }
      addSecret(
        entries,
        invalid,
        {
          secret: key.plaintextSecret.trim(),
          name: typeof key.name === 'string' ? key.name.slice(0, 100) : undefined,
          weight: typeof key.weight === 'number' ? key.weight : undefined,
          tags: Array.isArray(key.tags)
            ? key.tags.filter((t): t is string => typeof t === 'string')
            : undefined,
          enabled: typeof key.enabled === 'boolean' ? key.enabled : undefined,
          rpmLimit: nullableInt(key.rpmLimit),
          tpmLimit: nullableInt(key.tpmLimit),
          dailyLimit: nullableInt(key.dailyLimit),
        },
        keyRef,
      );
    });
    groups.push({
      upstream: {
        name: upstream.name.trim(),
        baseUrl: upstream.baseUrl,
        format: upstream.format as UpstreamFormat,
        modelPatterns: patterns.length > 0 ? patterns : ['*'],
        aliases: parseAliases(upstream.aliases),
        strategy: SELECTION_STRATEGIES.includes(upstream.strategy as SelectionStrategy)
          ? (upstream.strategy as SelectionStrategy)
          : null,
        timeoutMs: isPositiveInt(upstream.timeoutMs) ? upstream.timeoutMs : null,
        enabled: typeof upstream.enabled === 'boolean' ? upstream.enabled : true,
      },
      entries,
    });
  });
  return { format: 'keypool-export', groups, invalid };
}

/** Keeps the well-formed aliases of an exported upstream; anything else is dropped. */
function parseAliases(value: unknown): ModelAlias[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap((raw: unknown) => {
    const alias = raw as Partial<ModelAlias> | null;
    return alias &&
      typeof alias.name === 'string' &&
      typeof alias.model === 'string' &&
      isPositiveInt(alias.tier)
      ? [{ name: alias.name, model: alias.model, tier: alias.tier }]
      : [];
  });
}

function limitProblem(key: Record<string, unknown>): string | null {
  if (key.weight !== undefined && !(isPositiveInt(key.weight) && key.weight <= MAX_WEIGHT)) {
    return `weight must be an integer from 1 to ${MAX_WEIGHT}`;
  }
  for (const field of ['rpmLimit', 'tpmLimit', 'dailyLimit'] as const) {
    const value = key[field];
    if (value !== undefined && value !== null && !isPositiveInt(value)) {
      return `${field} must be a positive integer or null`;
    }
  }
  return null;
}

function addSecret(entries: ImportEntry[], invalid: SkippedKey[], entry: ImportEntry, ref: string): void {
  const problem = secretProblem(entry.secret);
  if (problem) {
    invalid.push({ key: label(entry.secret, ref), reason: `key ${problem}` });
    return;
  }
  entries.push(entry);
}

/** A reference that never contains the clear secret. */
function label(secret: string, ref: string): string {
  const masked = maskSecret(secret);
  return masked === '…' ? ref : `${ref} (${masked})`;
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function nullableInt(value: unknown): number | null | undefined {
  return value === null ? null : isPositiveInt(value) ? value : undefined;
}
