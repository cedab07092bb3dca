import type { CreatedClientKeyResponse } from '@keypool/shared';
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack } from '@mui/material';
import { CodeBlock } from '@/components/code-block';

/** The new client key's secret, shown exactly once. */
export function SecretOnceDialog({
  created,
  onClose,
}: {
  created: CreatedClientKeyResponse | null;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={created !== null}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="secret-once-title"
    >
      <DialogTitle id="secret-once-title">Client key {created?.name} created</DialogTitle>
      <DialogContent>
        <Stack spacing={2}>
          <Alert severity="warning">
            Copy it now: keypool stores only a hash and cannot show this key again.
          </Alert>
          {created && <CodeBlock title="Client key" code={created.secret} />}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onClose}>
          I have copied it
        </Button>
      </DialogActions>
    </Dialog>
  );
}
