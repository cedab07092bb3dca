import type { LiveStatus, LiveTick } from '@keypool/shared';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { buildUrl } from '@/lib/api-client';
import { authToken } from '@/lib/auth-token';
import { statsQueries } from './stats.queries';

export interface LiveState {
  /** Latest per-second tick; null until the stream delivers one (or when polling). */
  tick: LiveTick | null;
  status: LiveStatus | undefined;
  /** `live` = SSE stream; `polling` = fallback to `GET /api/stats/status`. */
  mode: 'connecting' | 'live' | 'polling';
  error: unknown;
}

/**
 * Live dashboard data: the `GET /api/stats/live` Server-Sent Events stream (token as `access_token`
 * because EventSource cannot send headers). If the stream cannot be opened, falls back to polling.
 */
export function useLiveTicks(): LiveState {
  const [tick, setTick] = useState<LiveTick | null>(null);
  const [mode, setMode] = useState<LiveState['mode']>(() =>
    typeof EventSource === 'undefined' ? 'polling' : 'connecting',
  );
  const polled = useQuery({ ...statsQueries.status(3_000), enabled: mode === 'polling' });

  useEffect(() => {
    if (typeof EventSource === 'undefined') {
      return;
    }
    const source = new EventSource(buildUrl('/stats/live', { access_token: authToken.get() }));
    let received = false;
    source.addEventListener('tick', (event: MessageEvent<string>) => {
      try {
        const data = JSON.parse(event.data) as LiveTick;
        received = true;
        setMode('live');
        setTick(data);
      } catch {
        // A malformed frame: keep the last good tick.
      }
    });
    source.onerror = () => {
      // Never connected (endpoint missing or refused the token): poll instead. After a good start,
      // EventSource reconnects on its own.
      if (!received) {
        source.close();
        setMode('polling');
      }
    };
    return () => source.close();
  }, []);

  return {
    tick,
    status: mode === 'live' ? (tick?.status ?? undefined) : polled.data,
    mode,
    error: polled.error,
  };
}
