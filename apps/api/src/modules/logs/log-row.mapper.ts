import { BodyLogging, OutcomeClass, type Settings } from '@keypool/shared';
import { statusClassOf } from '../stats/rollups/status-class';
import type { RequestLogEntity } from './request-log.entity';
import type { RequestOutcome } from './request-outcome';

/** A request log row ready to insert (no id yet). */
export type RequestLogRow = Omit<RequestLogEntity, 'id'>;

/** Turns the proxy's outcome into the row we store, applying the body-logging setting. */
export function toRequestLogRow(
  outcome: RequestOutcome,
  settings: Pick<Settings, 'bodyLogging' | 'bodyLogMaxBytes'>,
): RequestLogRow {
  const keepBodies =
    settings.bodyLogging === BodyLogging.All ||
    (settings.bodyLogging === BodyLogging.Errors && outcome.outcome !== OutcomeClass.Success);
  return {
    ts: outcome.startedAt,
    requestId: storableText(outcome.requestId),
    clientKeyId: outcome.clientKeyId,
    method: outcome.method,
    path: storableText(outcome.path.slice(0, 500)),
    format: outcome.format,
    modelRequested: nullableText(outcome.modelRequested?.slice(0, 200)),
    modelResolved: nullableText(outcome.modelResolved?.slice(0, 200)),
    upstreamId: outcome.upstreamId,
    keyId: outcome.keyId,
    attempts: outcome.attempts,
    status: outcome.status,
    outcome: outcome.outcome,
    statusClass: statusClassOf(outcome.status, outcome.outcome),
    stream: outcome.stream,
    latencyMs: Math.max(0, Math.round(outcome.latencyMs)),
    ttfbMs: outcome.ttfbMs === null ? null : Math.max(0, Math.round(outcome.ttfbMs)),
    promptTokens: outcome.promptTokens,
    completionTokens: outcome.completionTokens,
    totalTokens: outcome.totalTokens ?? sumOrNull(outcome.promptTokens, outcome.completionTokens),
    cachedTokens: outcome.cachedTokens,
    reasoningTokens: outcome.reasoningTokens,
    error: outcome.error === null ? null : storableText(truncateUtf8(outcome.error, 2000)),
    clientIp: outcome.clientIp?.slice(0, 64) ?? null,
    requestBody:
      keepBodies && outcome.requestBody
        ? storableText(truncateUtf8(outcome.requestBody, settings.bodyLogMaxBytes))
        : null,
    responseBody:
      keepBodies && outcome.responseBody
        ? storableText(truncateUtf8(outcome.responseBody, settings.bodyLogMaxBytes))
        : null,
  };
}

/** NUL and unpaired surrogates: Postgres text cannot hold them, and JSON batches would carry them escaped. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text as every supported database stores it: NUL dropped, unpaired surrogates replaced by U+FFFD. */
export function storableText(text: string): string {
  UNSTORABLE.lastIndex = 0;
  if (!UNSTORABLE.test(text)) {
    return text;
  }
  return text.replace(UNSTORABLE, (match) => (match === '\u0000' ? '' : '\uFFFD'));
}

function nullableText(text: string | undefined): string | null {
  return text === undefined ? null : storableText(text);
}

function sumOrNull(a: number | null, b: number | null): number | null {
  return a === null && b === null ? null : (a ?? 0) + (b ?? 0);
}

/** Cuts a string to at most `maxBytes` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) {
    return text;
  }
  const cut = Buffer.from(text, 'utf8').subarray(0, Math.max(0, maxBytes));
  // Decoding drops a trailing partial sequence as U+FFFD; strip it.
  return cut.toString('utf8').replace(/\uFFFD$/, '');
}
