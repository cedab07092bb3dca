import { Button, DialogActions } from '@mui/material';

interface FormDialogActionsProps {
  onCancel: () => void;
  submitLabel: string;
  pending: boolean;
}

/** Cancel + submit row of a form dialog; the submit button spins while the mutation runs. */
export function FormDialogActions({ onCancel, submitLabel, pending }: FormDialogActionsProps) {
  return (
    <DialogActions>
      <Button onClick={onCancel}>Cancel</Button>
      <Button type="submit" variant="contained" loading={pending}>
        {submitLabel}
      </Button>
    </DialogActions>
  );
}
