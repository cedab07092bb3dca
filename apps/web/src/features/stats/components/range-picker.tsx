import type { StatsRange } from '@keypool/shared';
import { ToggleButton, ToggleButtonGroup } from '@mui/material';

export type PresetRange = Exclude<StatsRange, 'custom'>;
const RANGES: Array<{ value: PresetRange; label: string }> = [
  { value: '1h', label: '1 hour' },
  { value: '24h', label: '24 hours' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
];

export function RangePicker({
  value,
  onChange,
}: {
  value: PresetRange;
  onChange: (value: PresetRange) => void;
}) {
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      color="primary"
      value={value}
      onChange={(_e, next: PresetRange | null) => next && onChange(next)}
      aria-label="Time range"
    >
      {RANGES.map((r) => (
        <ToggleButton key={r.value} value={r.value} aria-label={r.label}>
          {r.label}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
