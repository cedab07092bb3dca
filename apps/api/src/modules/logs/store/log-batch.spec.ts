import { describe, expect, it } from 'vitest';
import { OutcomeClass } from '@keypool/shared';
import type { RequestLogRow } from '../log-row.mapper';
import { LOG_COLUMNS, requestRowValues } from './log-batch';

describe(requestRowValues.name, () => {
  it('should give each column the row field of the same name', () => {
    const row: RequestLogRow = {
      ts: 1,
      requestId: 'req',
      clientKeyId: 'client',
      method: 'POST',
      path: '/v1/chat/completions',
      format: 'openai',
      modelRequested: 'alias',
      modelResolved: 'model',
      upstreamId: 'upstream',
      keyId: 'key',
      attempts: [
        { keyId: 'key', upstreamId: 'upstream', outcome: OutcomeClass.Success, status: 200, durationMs: 3 },
      ],
      status: 200,
      outcome: OutcomeClass.Success,
      statusClass: '2xx',
      stream: true,
      latencyMs: 4,
      ttfbMs: 5,
      promptTokens: 6,
      completionTokens: 7,
      totalTokens: 13,
      cachedTokens: 8,
      reasoningTokens: 9,
      error: 'err',
      clientIp: '127.0.0.1',
      requestBody: '{"a":1}',
      responseBody: '{"b":2}',
    };
    const values = requestRowValues(row);
    expect(values).toHaveLength(LOG_COLUMNS.length);
    LOG_COLUMNS.forEach((column, i) => {
      const field = column.name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()) as keyof RequestLogRow;
      expect([column.name, values[i]]).toEqual([
        column.name,
        field === 'attempts' ? JSON.stringify(row.attempts) : row[field],
      ]);
    });
  });
});
