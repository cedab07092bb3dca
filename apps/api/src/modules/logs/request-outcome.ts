import type { AttemptRecord, KeyEventType, OutcomeClass, TokenUsage, UpstreamFormat } from '@keypool/shared';

/** What the proxy hands to the logs module once per finished client request. */
export interface RequestOutcome extends TokenUsage {
  /** Request start, epoch ms. */
  startedAt: number;
  requestId: string;
  clientKeyId: string | null;
  method: string;
  path: string;
  format: UpstreamFormat;
  modelRequested: string | null;
  modelResolved: string | null;
  upstreamId: string | null;
  /** The key of the final attempt. */
  keyId: string | null;
  attempts: AttemptRecord[];
  /** Status sent to the client (499 for a client cancel). */
  status: number;
  outcome: OutcomeClass;
  stream: boolean;
  latencyMs: number;
  ttfbMs: number | null;
  error: string | null;
  clientIp: string | null;
  /** Present only when body logging asks for it; the writer truncates. */
  requestBody?: string | null;
  responseBody?: string | null;
}

export interface KeyEventInput {
  keyId: string;
  upstreamId: string | null;
  type: KeyEventType;
  message: string;
  details?: Record<string, unknown> | null;
  /** Epoch ms; defaults to now. */
  at?: number;
}
