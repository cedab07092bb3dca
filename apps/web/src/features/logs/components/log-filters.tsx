import { STATUS_CLASSES, type LogListQuery, type StatusClass } from '@keypool/shared';
import SearchIcon from '@mui/icons-material/Search';
import { Button, Grid, InputAdornment, MenuItem, TextField } from '@mui/material';
import type { LogLookups } from './types';

export type LogFilters = Omit<LogListQuery, 'cursor' | 'limit'> & { window?: string };

const WINDOWS: Array<{ value: string; label: string; ms: number }> = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
];

const STATUS_LABELS: Record<StatusClass, string> = {
  '2xx': 'Success (2xx)',
  '4xx': 'Client errors (4xx)',
  '429': 'Rate limited (429)',
  '5xx': 'Server errors (5xx)',
  cancelled: 'Cancelled by client',
};

interface LogFiltersProps {
  value: LogFilters;
  onChange: (value: LogFilters) => void;
  lookups: LogLookups;
}

export function LogFiltersBar({ value, onChange, lookups }: LogFiltersProps) {
  const set = (patch: Partial<LogFilters>) => onChange({ ...value, ...patch });
  const setWindow = (choice: string) => {
    const ms = WINDOWS.find((w) => w.value === choice)?.ms;
    // `from` is fixed when chosen so the query key stays stable between renders.
    set({ window: choice || undefined, from: ms ? new Date(Date.now() - ms).toISOString() : undefined });
  };
  const select = (
    label: string,
    field: 'keyId' | 'upstreamId' | 'clientKeyId',
    options: LogLookups['keys'],
    all: string,
  ) => (
    <Grid size={{ xs: 6, md: 3, lg: 1.5 }}>
      <TextField
        select
        label={label}
        value={value[field] ?? ''}
        onChange={(e) => set({ [field]: e.target.value || undefined })}
      >
        <MenuItem value="">{all}</MenuItem>
        {options.map((o) => (
          <MenuItem key={o.id} value={o.id}>
            {o.name}
          </MenuItem>
        ))}
      </TextField>
    </Grid>
  );
  const active = Object.values(value).some((v) => v !== undefined && v !== '');

  return (
    <Grid container spacing={1.5} sx={{ mb: 2, alignItems: 'center' }}>
      <Grid size={{ xs: 12, md: 6, lg: 2.5 }}>
        <TextField
          label="Search"
          placeholder="Path, model or error text"
          value={value.search ?? ''}
          onChange={(e) => set({ search: e.target.value || undefined })}
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon fontSize="small" />
                </InputAdornment>
              ),
            },
          }}
        />
      </Grid>
      <Grid size={{ xs: 6, md: 3, lg: 1.5 }}>
        <TextField select label="Time" value={value.window ?? ''} onChange={(e) => setWindow(e.target.value)}>
          <MenuItem value="">Any time</MenuItem>
          {WINDOWS.map((w) => (
            <MenuItem key={w.value} value={w.value}>
              {w.label}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid size={{ xs: 6, md: 3, lg: 1.5 }}>
        <TextField
          select
          label="Status"
          value={value.statusClass ?? ''}
          onChange={(e) => set({ statusClass: (e.target.value || undefined) as StatusClass | undefined })}
        >
          <MenuItem value="">Any status</MenuItem>
          {STATUS_CLASSES.map((s) => (
            <MenuItem key={s} value={s}>
              {STATUS_LABELS[s]}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid size={{ xs: 6, md: 3, lg: 1.5 }}>
        <TextField
          label="Model"
          value={value.model ?? ''}
          onChange={(e) => set({ model: e.target.value || undefined })}
        />
      </Grid>
      {select('Key', 'keyId', lookups.keys, 'Any key')}
      {select('Upstream', 'upstreamId', lookups.upstreams, 'Any upstream')}
      {select('Client', 'clientKeyId', lookups.clients, 'Any client')}
      <Grid size={{ xs: 6, md: 'auto' }}>
        <Button disabled={!active} onClick={() => onChange({})}>
          Clear
        </Button>
      </Grid>
    </Grid>
  );
}
