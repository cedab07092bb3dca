import { buildUrl } from './api-client';
import { authToken } from './auth-token';

export interface SseEvent {
  event: string;
  data: string;
}

/** Splits a Server-Sent Events text stream into events; keeps a partial frame between chunks. */
export function createSseParser(onEvent: (event: SseEvent) => void) {
  let buffer = '';
  return (chunk: string) => {
    buffer += chunk.replace(/\r\n/g, '\n');
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const frame = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) {
          event = line.slice(6).trim();
        } else if (line.startsWith('data:')) {
          data.push(line.slice(5).replace(/^ /, ''));
        }
      }
      if (data.length > 0) {
        onEvent({ event, data: data.join('\n') });
      }
      boundary = buffer.indexOf('\n\n');
    }
  };
}

/**
 * Reads an admin SSE endpoint with fetch (not EventSource) so the JWT goes in the Authorization header,
 * never in a URL. Resolves when the stream ends; rejects if it cannot be opened.
 */
export async function readAdminEventStream(
  path: string,
  onEvent: (event: SseEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const token = authToken.get();
  const response = await fetch(buildUrl(path), {
    headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    signal,
  });
  if (!response.ok || !response.body) {
    throw new Error(`Live stream unavailable (${response.status})`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parse = createSseParser(onEvent);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) {
      return;
    }
    parse(value);
  }
}
