import { Alert, Snackbar } from '@mui/material';
import { useSyncExternalStore } from 'react';
import { notices } from '@/lib/notify';

/** Shows queued notices one at a time at the bottom of the screen. */
export function Notifier() {
  const queue = useSyncExternalStore(notices.subscribe, notices.snapshot);
  const current = queue[0];
  if (!current) {
    return null;
  }
  const close = () => notices.dismiss(current.id);
  return (
    <Snackbar
      key={current.id}
      open
      autoHideDuration={current.severity === 'error' ? 8000 : 4000}
      onClose={(_event, reason) => reason !== 'clickaway' && close()}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
    >
      <Alert severity={current.severity} variant="filled" onClose={close} sx={{ width: '100%' }}>
        {current.message}
      </Alert>
    </Snackbar>
  );
}
