import type { KeyEventResponse, RequestLogDetailResponse, RequestLogResponse } from '@keypool/shared';
import type { KeyEventEntity } from './key-event.entity';
import type { RequestLogEntity } from './request-log.entity';

export function toRequestLogResponse(e: RequestLogEntity): RequestLogResponse {
  return {
    id: String(e.id),
    createdAt: new Date(e.ts).toISOString(),
    requestId: e.requestId,
    clientKeyId: e.clientKeyId,
    method: e.method,
    path: e.path,
    format: e.format,
    modelRequested: e.modelRequested,
    modelResolved: e.modelResolved,
    upstreamId: e.upstreamId,
    keyId: e.keyId,
    attempts: e.attempts,
    status: e.status,
    outcome: e.outcome,
    stream: Boolean(e.stream),
    latencyMs: e.latencyMs,
    ttfbMs: e.ttfbMs,
    promptTokens: e.promptTokens,
    completionTokens: e.completionTokens,
    totalTokens: e.totalTokens,
    cachedTokens: e.cachedTokens,
    reasoningTokens: e.reasoningTokens,
    error: e.error,
    clientIp: e.clientIp,
  };
}

export function toRequestLogDetail(e: RequestLogEntity): RequestLogDetailResponse {
  return { ...toRequestLogResponse(e), requestBody: e.requestBody, responseBody: e.responseBody };
}

export function toKeyEventResponse(e: KeyEventEntity): KeyEventResponse {
  return {
    id: String(e.id),
    createdAt: new Date(e.ts).toISOString(),
    keyId: e.keyId,
    upstreamId: e.upstreamId,
    type: e.type,
    message: e.message,
    details: e.details,
  };
}
