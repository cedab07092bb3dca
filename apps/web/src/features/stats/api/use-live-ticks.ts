import type { LiveStatus, LiveTick } from '@keypool/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { readAdminEventStream } from '@/lib/sse';
import { statsQueries } from './stats.queries';

export interface LiveState {
  /** Latest per-second tick; null until the stream delivers one (or when polling). */
  tick: LiveTick | null;
  status: LiveStatus | undefined;
  /** `live` = SSE stream; `polling` = fallback to `GET /api/stats/status`. */
  mode: 'connecting' | 'live' | 'polling';
  error: unknown;
}

const MAX_RECONNECTS = 5;

/**
 * Live dashboard data from the `GET /api/stats/live` Server-Sent Events stream (`tick` events).
 * If the stream cannot be opened, or keeps dropping, it falls back to polling the status endpoint.
 */
export function useLiveTicks(): LiveState {
  const [tick, setTick] = useState<LiveTick | null>(null);
  const [mode, setMode] = useState<LiveState['mode']>(() =>
    typeof TextDecoderStream === 'undefined' ? 'polling' : 'connecting',
  );
  // Polls until the first tick arrives (so the page has numbers at once) and whenever the stream is down.
  const polled = useQuery({ ...statsQueries.status(3_000), enabled: mode !== 'live' });

  useEffect(() => {
    if (typeof TextDecoderStream === 'undefined') {
      return;
    }
    const controller = new AbortController();
    const run = async () => {
      for (let attempt = 0; attempt < MAX_RECONNECTS && !controller.signal.aborted; attempt++) {
        try {
          await readAdminEventStream(
            '/stats/live',
            (event) => {
              if (event.event !== 'tick') {
                return;
              }
              try {
                setTick(JSON.parse(event.data) as LiveTick);
                setMode('live');
                attempt = 0;
              } catch {
                // A malformed frame: keep the last good tick.
              }
            },
            controller.signal,
          );
        } catch {
          if (controller.signal.aborted) {
            return;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
      }
      if (!controller.signal.aborted) {
        setMode('polling');
      }
    };
    void run();
    return () => controller.abort();
  }, []);

  return {
    tick,
    status: mode === 'live' && tick ? tick.status : (polled.data ?? tick?.status),
    mode,
    error: polled.error,
  };
}
