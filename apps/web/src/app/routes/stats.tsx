import { StatsPanel } from '@/features/stats/components/stats-panel';

export function StatsRoute() {
  return <StatsPanel />;
}
