import { SELECTION_STRATEGIES, type Settings } from '@keypool/shared';
import { STRATEGY_INFO } from '@/lib/strategy-labels';

type NumberKey = { [K in keyof Settings]: Settings[K] extends number ? K : never }[keyof Settings];

export type FieldSpec =
  | {
      kind: 'number';
      name: NumberKey;
      label: string;
      help: string;
      min: number;
      max?: number;
      step?: number;
      unit?: string;
      integer?: boolean;
    }
  | {
      kind: 'select';
      name: 'strategy' | 'bodyLogging';
      label: string;
      help: string;
      options: Array<{ value: string; label: string }>;
    }
  | { kind: 'switch'; name: 'affinityEnabled'; label: string; help: string }
  | { kind: 'text'; name: 'affinityHeader'; label: string; help: string }
  | { kind: 'statuses'; name: 'retryableStatuses'; label: string; help: string };

export interface FieldGroup {
  id: string;
  title: string;
  description: string;
  fields: FieldSpec[];
}

/** Every runtime setting, grouped and explained. Order here is the order on screen. */
export const SETTINGS_GROUPS: FieldGroup[] = [
  {
    id: 'balancing',
    title: 'Balancing',
    description: 'How keypool picks the key for each request.',
    fields: [
      {
        kind: 'select',
        name: 'strategy',
        label: 'Strategy',
        help: 'The default for every upstream; an upstream may override it.',
        options: SELECTION_STRATEGIES.map((s) => ({ value: s, label: STRATEGY_INFO[s].label })),
      },
      {
        kind: 'number',
        name: 'rotationN',
        label: 'Rotate every N requests',
        help: 'For the rotate-every-n strategy.',
        min: 1,
        integer: true,
      },
      {
        kind: 'switch',
        name: 'affinityEnabled',
        label: 'Key affinity',
        help: 'Pin a conversation to the same key (helps provider-side prompt caching).',
      },
      {
        kind: 'text',
        name: 'affinityHeader',
        label: 'Affinity header',
        help: 'Header whose value pins requests to one key; empty uses the body’s `user` field.',
      },
    ],
  },
  {
    id: 'failures',
    title: 'Failure handling',
    description: 'Retries, cooldowns after rate limits, and circuit breakers for failing keys.',
    fields: [
      {
        kind: 'number',
        name: 'maxAttempts',
        label: 'Max attempts',
        help: 'Attempts per request, each on a different key.',
        min: 1,
        max: 20,
        integer: true,
      },
      {
        kind: 'statuses',
        name: 'retryableStatuses',
        label: 'Retry on',
        help: 'HTTP statuses (and network, timeout) that fail over to another key.',
      },
      {
        kind: 'number',
        name: 'defaultCooldownMs',
        label: 'Default cooldown',
        help: 'Rest after a 429 that does not say when to retry.',
        min: 0,
        unit: 'ms',
        integer: true,
      },
      {
        kind: 'number',
        name: 'maxFailures',
        label: 'Failures to open breaker',
        help: 'Consecutive failures that take a key out of rotation.',
        min: 1,
        integer: true,
      },
      {
        kind: 'number',
        name: 'failureRateThreshold',
        label: 'Failure-rate threshold',
        help: 'Share of failures (0–1) in the window that opens the breaker.',
        min: 0,
        max: 1,
        step: 0.05,
      },
      {
        kind: 'number',
        name: 'failureRateWindowMs',
        label: 'Failure-rate window',
        help: 'Window for the failure rate.',
        min: 1000,
        unit: 'ms',
        integer: true,
      },
      {
        kind: 'number',
        name: 'breakerCooldownMs',
        label: 'Breaker open time',
        help: 'First rest of a tripped key; doubles on repeats.',
        min: 0,
        unit: 'ms',
        integer: true,
      },
      {
        kind: 'number',
        name: 'breakerMaxCooldownMs',
        label: 'Breaker max open time',
        help: 'Cap for the doubling.',
        min: 0,
        unit: 'ms',
        integer: true,
      },
      {
        kind: 'number',
        name: 'maxEjectionRatio',
        label: 'Max ejected share',
        help: 'At most this share (0–1) of an upstream’s keys is benched for faults at once.',
        min: 0,
        max: 1,
        step: 0.05,
      },
      {
        kind: 'number',
        name: 'retryBudgetRatio',
        label: 'Retry budget',
        help: 'Retries allowed as a share of requests in flight, to avoid retry storms.',
        min: 0,
        max: 10,
        step: 0.1,
      },
      {
        kind: 'number',
        name: 'retryBudgetMin',
        label: 'Minimum retry budget',
        help: 'Retries always allowed regardless of load.',
        min: 0,
        integer: true,
      },
    ],
  },
  {
    id: 'limits',
    title: 'Timeouts and limits',
    description: 'How long to wait for upstreams and for a free key, and how big requests may be.',
    fields: [
      {
        kind: 'number',
        name: 'requestTimeoutMs',
        label: 'Request timeout',
        help: 'Whole request, unless the upstream sets its own.',
        min: 1000,
        unit: 'ms',
        integer: true,
      },
      {
        kind: 'number',
        name: 'ttfbTimeoutMs',
        label: 'First-byte timeout',
        help: 'Time allowed until the upstream starts answering.',
        min: 100,
        unit: 'ms',
        integer: true,
      },
      {
        kind: 'number',
        name: 'idleTimeoutMs',
        label: 'Stream idle timeout',
        help: 'Silence allowed between two chunks of a stream.',
        min: 100,
        unit: 'ms',
        integer: true,
      },
      {
        kind: 'number',
        name: 'queueTimeoutMs',
        label: 'Queue timeout',
        help: 'How long a request waits for a usable key; 0 fails fast with 503.',
        min: 0,
        unit: 'ms',
        integer: true,
      },
      {
        kind: 'number',
        name: 'bodyLimitBytes',
        label: 'Body limit',
        help: 'Largest request body accepted.',
        min: 1024,
        unit: 'bytes',
        integer: true,
      },
      {
        kind: 'number',
        name: 'modelsCacheTtlMs',
        label: 'Models cache',
        help: 'How long /v1/models answers are cached.',
        min: 0,
        unit: 'ms',
        integer: true,
      },
      {
        kind: 'number',
        name: 'dayBoundaryUtcOffsetHours',
        label: 'Daily quota boundary',
        help: 'Hours from UTC midnight when daily limits reset (e.g. -8 for Pacific).',
        min: -12,
        max: 14,
        unit: 'h',
        integer: true,
      },
    ],
  },
  {
    id: 'logging',
    title: 'Logging',
    description: 'What is kept about each request, and for how long.',
    fields: [
      {
        kind: 'number',
        name: 'logRetentionDays',
        label: 'Keep logs for',
        help: 'Older request logs and key events are deleted daily.',
        min: 1,
        unit: 'days',
        integer: true,
      },
      {
        kind: 'select',
        name: 'bodyLogging',
        label: 'Body logging',
        help: 'Store request and response bodies: never, only for failed requests, or always.',
        options: [
          { value: 'off', label: 'Off' },
          { value: 'errors', label: 'Failed requests only' },
          { value: 'all', label: 'All requests' },
        ],
      },
      {
        kind: 'number',
        name: 'bodyLogMaxBytes',
        label: 'Max logged body size',
        help: 'Longer bodies are truncated.',
        min: 0,
        unit: 'bytes',
        integer: true,
      },
    ],
  },
];

/** Parses the retryable statuses text (`429, 500-504, network, timeout`). Returns an error message or the list. */
export function parseStatuses(text: string): Settings['retryableStatuses'] | string {
  const out: Settings['retryableStatuses'] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    if (part === 'network' || part === 'timeout') {
      out.push(part);
      continue;
    }
    const range = /^(\d{3})-(\d{3})$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (from > to || from < 100 || to > 599) {
        return `${part} is not a valid status range`;
      }
      for (let s = from; s <= to; s++) {
        out.push(s);
      }
      continue;
    }
    const n = Number(part);
    if (!Number.isInteger(n) || n < 100 || n > 599) {
      return `${part} is not an HTTP status (100–599), network or timeout`;
    }
    out.push(n);
  }
  return [...new Set(out)];
}

export function formatStatuses(statuses: Settings['retryableStatuses']): string {
  return statuses.join(', ');
}
