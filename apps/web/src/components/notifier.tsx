import { Alert, Snackbar, useMediaQuery, type Theme } from '@mui/material';
import { useSyncExternalStore } from 'react';
import { notices } from '@/lib/notify';

/**
 * Shows queued notices one at a time: at the bottom of the screen, or at the top on phones, where the
 * bottom belongs to floating bars (the settings' unsaved-changes bar) that a notice would cover.
 */
export function Notifier() {
  const queue = useSyncExternalStore(notices.subscribe, notices.snapshot);
  const phone = useMediaQuery((theme: Theme) => theme.breakpoints.down('sm'));
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
      anchorOrigin={{ vertical: phone ? 'top' : 'bottom', horizontal: 'center' }}
    >
      <Alert severity={current.severity} variant="filled" onClose={close} sx={{ width: '100%' }}>
        {current.message}
      </Alert>
    </Snackbar>
  );
}
