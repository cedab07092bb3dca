import { useQuery } from '@tanstack/react-query';
import { ClientKeysPanel } from '@/features/client-keys/components/client-keys-panel';
import { statsQueries } from '@/features/stats/api/stats.queries';
import { useClientUsage } from '@/features/stats/api/usage';

export function ClientKeysRoute() {
  const usage = useClientUsage();
  const status = useQuery(statsQueries.status(false));
  return <ClientKeysPanel usage={usage} proxyOpen={status.data?.proxyOpen ?? false} />;
}
