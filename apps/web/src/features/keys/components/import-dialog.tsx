import type { ImportKeysResponse } from '@keypool/shared';
import UploadFileIcon from '@mui/icons-material/UploadFileOutlined';
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  List,
  ListItem,
  ListItemText,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import { errorMessage } from '@/lib/api-client';
import { useImportKeys } from '../api/key-mutations';
import type { UpstreamOption } from './types';

/** Upload an export file (or a plain list of keys) and show what was added, skipped and invalid. */
export function ImportDialog(props: { open: boolean; upstreams: UpstreamOption[]; onClose: () => void }) {
  const { open, upstreams, onClose } = props;
  const importKeys = useImportKeys();
  const [file, setFile] = useState<File | null>(null);
  const [upstreamId, setUpstreamId] = useState('');
  const [result, setResult] = useState<ImportKeysResponse | null>(null);

  const close = () => {
    setFile(null);
    setResult(null);
    importKeys.reset();
    onClose();
  };
  const submit = () => {
    if (!file) {
      return;
    }
    file
      .text()
      .then((content) =>
        importKeys.mutate({ content, upstreamId: upstreamId || undefined }, { onSuccess: setResult }),
      )
      .catch(() => undefined);
  };

  const problems = result
    ? [
        ...result.skipped.map((s) => ({ ...s, kind: 'Skipped' })),
        ...result.invalid.map((s) => ({ ...s, kind: 'Invalid' })),
      ]
    : [];

  return (
    <Dialog open={open} onClose={close} fullWidth maxWidth="sm" aria-labelledby="import-title">
      <DialogTitle id="import-title">Import keys</DialogTitle>
      <DialogContent>
        {result ? (
          <Stack spacing={2}>
            <Alert severity={result.invalid.length > 0 ? 'warning' : 'success'} data-testid="import-result">
              Added {result.added}, skipped {result.skipped.length}, invalid {result.invalid.length}.
            </Alert>
            {problems.length > 0 && (
              <List dense aria-label="Import details" sx={{ maxHeight: 240, overflow: 'auto' }}>
                {problems.map((p, i) => (
                  <ListItem key={`${p.kind}-${p.key}-${i}`} disableGutters>
                    <ListItemText primary={`${p.kind}: ${p.key}`} secondary={p.reason} />
                  </ListItem>
                ))}
              </List>
            )}
          </Stack>
        ) : (
          <Stack spacing={2}>
            <DialogContentText>
              Accepts a keypool export, a JSON list of keys with name/key fields, a plain text list (one key
              per line), or <code>key:weight,key:weight</code>. Keys already in the pool are skipped, so
              importing twice is safe.
            </DialogContentText>
            {importKeys.isError && <Alert severity="error">{errorMessage(importKeys.error)}</Alert>}
            <Button component="label" variant="outlined" startIcon={<UploadFileIcon />}>
              {file ? 'Choose another file' : 'Choose a file'}
              <input
                hidden
                type="file"
                accept=".json,.txt,.csv,application/json,text/plain"
                aria-label="Import file"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              />
            </Button>
            {file && (
              <Typography variant="body2" color="text.secondary">
                Selected: {file.name} ({Math.ceil(file.size / 1024)} KB)
              </Typography>
            )}
            <TextField
              select
              label="Upstream for plain key lists"
              value={upstreamId}
              onChange={(e) => setUpstreamId(e.target.value)}
              helperText="keypool exports name their upstreams; plain lists need one."
            >
              <MenuItem value="">From the file</MenuItem>
              {upstreams.map((u) => (
                <MenuItem key={u.id} value={u.id}>
                  {u.name}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        {result ? (
          <Button variant="contained" onClick={close}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={close}>Cancel</Button>
            <Button variant="contained" disabled={!file} loading={importKeys.isPending} onClick={submit}>
              Import
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
