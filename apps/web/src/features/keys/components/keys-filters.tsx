import { KEY_STATUSES, type KeyListQuery, type KeyStatus } from '@keypool/shared';
import SearchIcon from '@mui/icons-material/Search';
import { InputAdornment, MenuItem, Stack, TextField } from '@mui/material';
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
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={1.5} sx={{ mb: 2 }}>
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
        sx={{ flex: 2 }}
      />
      <TextField
        select
        label="State"
        value={value.status ?? ''}
        onChange={(e) => set({ status: (e.target.value || undefined) as KeyStatus | undefined })}
        sx={{ flex: 1, minWidth: 150 }}
      >
        <MenuItem value="">Any state</MenuItem>
        {KEY_STATUSES.map((s) => (
          <MenuItem key={s} value={s}>
            {keyStatusLabel(s)}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Upstream"
        value={value.upstreamId ?? ''}
        onChange={(e) => set({ upstreamId: e.target.value || undefined })}
        sx={{ flex: 1, minWidth: 150 }}
      >
        <MenuItem value="">All upstreams</MenuItem>
        {upstreams.map((u) => (
          <MenuItem key={u.id} value={u.id}>
            {u.name}
          </MenuItem>
        ))}
      </TextField>
      <TextField
        select
        label="Tag"
        value={value.tag ?? ''}
        onChange={(e) => set({ tag: e.target.value || undefined })}
        sx={{ flex: 1, minWidth: 130 }}
      >
        <MenuItem value="">Any tag</MenuItem>
        {tags.map((t) => (
          <MenuItem key={t} value={t}>
            {t}
          </MenuItem>
        ))}
      </TextField>
    </Stack>
  );
}
