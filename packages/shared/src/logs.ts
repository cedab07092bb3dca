import type { IsoDate } from './common';
import type { KeyEventType, OutcomeClass, StatusClass, UpstreamFormat } from './enums';

/** One upstream attempt of a request. */
export interface AttemptRecord {
  keyId: string;
  upstreamId: string;
  outcome: OutcomeClass;
  /** Upstream HTTP status, null for network errors and timeouts. */
  status: number | null;
  durationMs: number;
  error?: string;
}

export interface TokenUsage {
  promptTokens: number | null;
  completionTokens: number | null;
  totalTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
}

export interface RequestLogResponse extends TokenUsage {
  id: string;
  createdAt: IsoDate;
  requestId: string;
  clientKeyId: string | null;
  method: string;
  path: string;
  format: UpstreamFormat;
  modelRequested: string | null;
  modelResolved: string | null;
  upstreamId: string | null;
  keyId: string | null;
  attempts: AttemptRecord[];
  status: number;
  outcome: OutcomeClass;
  stream: boolean;
  latencyMs: number;
  ttfbMs: number | null;
  error: string | null;
  clientIp: string | null;
}

export interface RequestLogDetailResponse extends RequestLogResponse {
  requestBody: string | null;
  responseBody: string | null;
}

export interface LogListQuery {
  from?: IsoDate;
  to?: IsoDate;
  statusClass?: StatusClass;
  status?: number;
  keyId?: string;
  upstreamId?: string;
  model?: string;
  clientKeyId?: string;
  search?: string;
  cursor?: string;
  limit?: number;
}

export interface KeyEventResponse {
  id: string;
  createdAt: IsoDate;
  keyId: string;
  upstreamId: string | null;
  type: KeyEventType;
  message: string;
  details: Record<string, unknown> | null;
}

export interface KeyEventListQuery {
  from?: IsoDate;
  to?: IsoDate;
  keyId?: string;
  upstreamId?: string;
  type?: KeyEventType;
  cursor?: string;
  limit?: number;
}

export interface CleanupResponse {
  deletedLogs: number;
  deletedEvents: number;
}
