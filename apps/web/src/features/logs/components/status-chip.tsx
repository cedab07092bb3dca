import { Chip } from '@mui/material';

/** HTTP status of a logged request, coloured by class. */
export function HttpStatusChip({ status }: { status: number }) {
  const color = status === 0 ? 'default' : status < 300 ? 'success' : status === 429 ? 'warning' : 'error';
  return (
    <Chip
      size="small"
      color={color}
      variant={color === 'default' ? 'outlined' : 'filled'}
      label={status === 0 ? 'n/a' : status}
    />
  );
}
