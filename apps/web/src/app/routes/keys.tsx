import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { paths } from '@/config/paths';
import { KeysPanel } from '@/features/keys/components/keys-panel';
import { useKeyUsage } from '@/features/stats/api/usage';
import { upstreamsQueries } from '@/features/upstreams/api/upstreams.queries';

export function KeysRoute() {
  const upstreams = useQuery(upstreamsQueries.list());
  const usage = useKeyUsage();
  const navigate = useNavigate();
  const options = useMemo(
    () => (upstreams.data ?? []).map((u) => ({ id: u.id, name: u.name })),
    [upstreams.data],
  );
  return (
    <KeysPanel
      upstreams={options}
      usage={usage}
      onAddUpstream={() => void navigate(`${paths.upstreams}?add=1`)}
    />
  );
}
