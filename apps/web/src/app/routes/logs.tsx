import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { clientKeysQueries } from '@/features/client-keys/api/client-keys.queries';
import { keysQueries } from '@/features/keys/api/keys.queries';
import { LogsPanel } from '@/features/logs/components/logs-panel';
import { upstreamsQueries } from '@/features/upstreams/api/upstreams.queries';

export function LogsRoute() {
  const keys = useQuery(keysQueries.list());
  const upstreams = useQuery(upstreamsQueries.list());
  const clients = useQuery(clientKeysQueries.list());
  const lookups = useMemo(
    () => ({
      keys: (keys.data ?? []).map((k) => ({ id: k.id, name: k.name || k.maskedSecret })),
      upstreams: (upstreams.data ?? []).map((u) => ({ id: u.id, name: u.name })),
      clients: (clients.data ?? []).map((c) => ({ id: c.id, name: c.name })),
    }),
    [keys.data, upstreams.data, clients.data],
  );
  return <LogsPanel lookups={lookups} />;
}
