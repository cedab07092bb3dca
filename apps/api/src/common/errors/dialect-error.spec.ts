import { describe, expect, it } from 'vitest';
import { dialectErrorBody, dialectStreamError } from './dialect-error';

describe('dialect errors', () => {
  it('should shape an OpenAI error', () => {
    expect(
      JSON.parse(dialectErrorBody('openai', { status: 401, message: 'no', code: 'invalid_api_key' })),
    ).toEqual({
      error: { message: 'no', type: 'authentication_error', param: null, code: 'invalid_api_key' },
    });
  });

  it('should shape an Anthropic error', () => {
    expect(JSON.parse(dialectErrorBody('anthropic', { status: 503, message: 'busy' }))).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'busy' },
    });
  });

  it('should shape a Google error', () => {
    expect(JSON.parse(dialectErrorBody('gemini', { status: 429, message: 'slow down' }))).toEqual({
      error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' },
    });
  });

  it('should end streams with the provider event', () => {
    expect(dialectStreamError('anthropic', { status: 504, message: 'stalled' })).toBe(
      'event: error\ndata: {"type":"error","error":{"type":"timeout_error","message":"stalled"}}\n\n',
    );
    expect(dialectStreamError('openai', { status: 502, message: 'x' })).toMatch(/^data: \{"error":/);
    expect(dialectStreamError('gemini', { status: 504, message: 'x' }, false)).toMatch(/^,\n\{"error".*\]$/s);
  });
});
