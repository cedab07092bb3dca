import { useSearchParams } from 'react-router-dom';
import { UpstreamsPanel } from '@/features/upstreams/components/upstreams-panel';

export function UpstreamsRoute() {
  const [params] = useSearchParams();
  return <UpstreamsPanel startAdding={params.get('add') === '1'} />;
}
