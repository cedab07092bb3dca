import type { KeyResponse } from '@keypool/shared';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import EditIcon from '@mui/icons-material/EditOutlined';
import NetworkCheckIcon from '@mui/icons-material/NetworkCheck';
import { Chip, IconButton, Stack, Switch, Tooltip, Typography, useMediaQuery, useTheme } from '@mui/material';
import { DataGrid, type GridColDef, type GridColumnVisibilityModel } from '@mui/x-data-grid';
import { useMemo } from 'react';
import { KeyStatusChip } from '@/components/key-status-chip';
import { formatNumber, formatRelative } from '@/lib/format';
import { SuccessRateCell, successRateView } from './success-rate-cell';
import type { KeyUsage } from './types';

interface KeysTableProps {
  keys: KeyResponse[];
  usage: Record<string, KeyUsage>;
  loading: boolean;
  /** Key ids with a test in flight. */
  testing: string | null;
  onToggle: (key: KeyResponse, enabled: boolean) => void;
  onTest: (key: KeyResponse) => void;
  onEdit: (key: KeyResponse) => void;
  onDelete: (key: KeyResponse) => void;
}

export function KeysTable(props: KeysTableProps) {
  const { keys, usage, loading, testing, onToggle, onTest, onEdit, onDelete } = props;
  const theme = useTheme();
  // Phones get the essentials (key, state, actions); the rest is one tap away in Edit.
  const isPhone = useMediaQuery(theme.breakpoints.down('sm'));
  const columnVisibilityModel: GridColumnVisibilityModel = isPhone
    ? { name: false, tags: false, weight: false, successRate: false, requestsToday: false, lastUsedAt: false }
    : {};

  const columns = useMemo<GridColDef<KeyResponse>[]>(
    () => [
      {
        field: 'maskedSecret',
        headerName: 'Key',
        description: 'Masked key and its upstream',
        minWidth: 110,
        flex: 0.8,
        renderCell: ({ row }) => (
          <Stack sx={{ justifyContent: 'center', height: '100%', lineHeight: 1.3 }}>
            <Typography variant="mono">{row.maskedSecret}</Typography>
            <Typography variant="caption" color="text.secondary" noWrap>
              {row.upstreamName}
            </Typography>
          </Stack>
        ),
      },
      {
        field: 'name',
        headerName: 'Name',
        minWidth: 100,
        flex: 1,
        renderCell: ({ value }) =>
          value ? (
            String(value)
          ) : (
            <Typography variant="body2" component="span" color="text.secondary">
              unnamed
            </Typography>
          ),
      },
      {
        field: 'tags',
        headerName: 'Tags',
        minWidth: 90,
        flex: 0.8,
        sortable: false,
        renderCell: ({ row }) => (
          <Stack
            direction="row"
            spacing={0.5}
            sx={{ alignItems: 'center', height: '100%', overflow: 'hidden' }}
          >
            {row.tags.map((t) => (
              <Chip key={t} size="small" variant="outlined" label={t} />
            ))}
          </Stack>
        ),
      },
      { field: 'weight', headerName: 'Weight', type: 'number', width: 72 },
      {
        field: 'status',
        headerName: 'State',
        minWidth: 110,
        flex: 1,
        valueGetter: (_v, row) => row.state.status,
        renderCell: ({ row }) => <KeyStatusChip status={row.state.status} until={row.state.cooldownUntil} />,
      },
      {
        field: 'successRate',
        headerName: 'Success',
        description:
          'Of the requests this key answered in the last 24 h, the share that succeeded. ' +
          'Attempts that failed over to another key count for that key; hover a value for details.',
        type: 'number',
        width: 84,
        valueGetter: (_v, row) => successRateView(usage[row.id], row.state.requestsToday).sortValue,
        renderCell: ({ row }) => (
          <SuccessRateCell usage={usage[row.id]} attemptsToday={row.state.requestsToday} />
        ),
      },
      {
        field: 'requestsToday',
        headerName: 'Today',
        description: 'Requests today',
        type: 'number',
        width: 72,
        valueGetter: (_v, row) => row.state.requestsToday,
        renderCell: ({ value }) => formatNumber(value as number),
      },
      {
        field: 'lastUsedAt',
        headerName: 'Last used',
        width: 96,
        valueGetter: (_v, row) => row.state.lastUsedAt,
        renderCell: ({ value }) => (
          <Tooltip title={value ? new Date(String(value)).toLocaleString() : 'Never used'}>
            <span>{formatRelative(value as string | null)}</span>
          </Tooltip>
        ),
      },
      {
        field: 'actions',
        headerName: 'Actions',
        width: 150,
        sortable: false,
        filterable: false,
        renderCell: ({ row }) => {
          const label = row.name || row.maskedSecret;
          return (
            <Stack direction="row" sx={{ alignItems: 'center', height: '100%' }}>
              <Tooltip title={row.enabled ? 'Disable' : 'Enable'}>
                <Switch
                  size="small"
                  checked={row.enabled}
                  onChange={(e) => onToggle(row, e.target.checked)}
                  slotProps={{ input: { 'aria-label': `${row.enabled ? 'Disable' : 'Enable'} ${label}` } }}
                />
              </Tooltip>
              <Tooltip title="Test with a real request">
                <span>
                  <IconButton
                    size="small"
                    aria-label={`Test ${label}`}
                    loading={testing === row.id}
                    onClick={() => onTest(row)}
                  >
                    <NetworkCheckIcon fontSize="small" />
                  </IconButton>
                </span>
              </Tooltip>
              <Tooltip title="Edit">
                <IconButton size="small" aria-label={`Edit ${label}`} onClick={() => onEdit(row)}>
                  <EditIcon fontSize="small" />
                </IconButton>
              </Tooltip>
              <Tooltip title="Delete">
                <IconButton size="small" aria-label={`Delete ${label}`} onClick={() => onDelete(row)}>
                  <DeleteIcon fontSize="small" />
                </IconButton>
              </Tooltip>
            </Stack>
          );
        },
      },
    ],
    [usage, testing, onToggle, onTest, onEdit, onDelete],
  );

  return (
    <DataGrid
      rows={keys}
      columns={columns}
      loading={loading}
      autoHeight
      rowHeight={56}
      columnVisibilityModel={columnVisibilityModel}
      // jsdom has no layout, so virtualization would render no cells in component tests.
      disableVirtualization={import.meta.env.MODE === 'test'}
      disableRowSelectionOnClick
      pageSizeOptions={[25, 50, 100]}
      initialState={{ pagination: { paginationModel: { pageSize: 25 } } }}
      aria-label="Keys"
      slotProps={{ loadingOverlay: { variant: 'skeleton', noRowsVariant: 'skeleton' } }}
      sx={{ bgcolor: 'background.paper' }}
    />
  );
}
