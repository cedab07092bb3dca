import { KEY_STATUSES, type KeyListQuery, type KeyStatus } from '@keypool/shared';
import SearchIcon from '@mui/icons-material/Search';
import { Grid, InputAdornment, MenuItem, TextField } from '@mui/material';
import { keyStatusLabel } from '@/components/key-status-chip';
import type { UpstreamOption } from './types';

interface KeysFiltersProps {
  value: KeyListQuery;
  onChange: (value: KeyListQuery) => void;
  upstreams: UpstreamOption[];
  tags: string[];
}

export function KeysFilters({ value, onChange, upstreams, tags }: KeysFiltersProps) {
  const set = (patch: Partial<KeyListQuery>) => onChange({ ...value, ...patch });
  return (
    <Grid container spacing={1.5} sx={{ mb: 2 }}>
      <Grid size={{ xs: 12, md: 6 }}>
        <TextField
          label="Search"
          placeholder="Name or last 4 characters"
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
      <Grid size={{ xs: 6, md: 2 }}>
        <TextField
          select
          label="State"
          value={value.status ?? ''}
          onChange={(e) => set({ status: (e.target.value || undefined) as KeyStatus | undefined })}
        >
          <MenuItem value="">Any state</MenuItem>
          {KEY_STATUSES.map((s) => (
            <MenuItem key={s} value={s}>
              {keyStatusLabel(s)}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid size={{ xs: 6, md: 2 }}>
        <TextField
          select
          label="Upstream"
          value={value.upstreamId ?? ''}
          onChange={(e) => set({ upstreamId: e.target.value || undefined })}
        >
          <MenuItem value="">All upstreams</MenuItem>
          {upstreams.map((u) => (
            <MenuItem key={u.id} value={u.id}>
              {u.name}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
      <Grid size={{ xs: 6, md: 2 }}>
        <TextField
          select
          label="Tag"
          value={value.tag ?? ''}
          onChange={(e) => set({ tag: e.target.value || undefined })}
        >
          <MenuItem value="">Any tag</MenuItem>
          {tags.map((t) => (
            <MenuItem key={t} value={t}>
              {t}
            </MenuItem>
          ))}
        </TextField>
      </Grid>
    </Grid>
  );
}
