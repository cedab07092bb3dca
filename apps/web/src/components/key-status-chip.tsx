import { Chip, Tooltip } from '@mui/material';
import type { KeyStatus } from '@keypool/shared';
import { formatDuration } from '@/lib/format';
import { useNow } from '@/lib/use-now';

const LABELS: Record<
  KeyStatus,
  { label: string; color: 'success' | 'warning' | 'error' | 'default' | 'info' }
> = {
  active: { label: 'Active', color: 'success' },
  cooling_down: { label: 'Cooling down', color: 'warning' },
  quota_exhausted: { label: 'Quota used up', color: 'warning' },
  circuit_open: { label: 'Circuit open', color: 'warning' },
  disabled: { label: 'Disabled', color: 'default' },
  invalid: { label: 'Invalid', color: 'error' },
};

export function keyStatusLabel(status: KeyStatus): string {
  return LABELS[status].label;
}

/** A key's state, with a live countdown while it waits out a cooldown. */
export function KeyStatusChip({ status, until }: { status: KeyStatus; until?: string | null }) {
  const now = useNow();
  const { label, color } = LABELS[status] ?? { label: status, color: 'default' };
  const remaining = until ? new Date(until).getTime() - now : 0;
  const text = remaining > 0 ? `${label} · ${formatDuration(remaining)}` : label;
  const chip = (
    <Chip size="small" color={color} variant={color === 'default' ? 'outlined' : 'filled'} label={text} />
  );
  return until && remaining > 0 ? (
    <Tooltip title={`Usable again at ${new Date(until).toLocaleTimeString()}`}>{chip}</Tooltip>
  ) : (
    chip
  );
}
