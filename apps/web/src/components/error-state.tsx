import { Alert, Button } from '@mui/material';
import { errorMessage } from '@/lib/api-client';

interface ErrorStateProps {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}

/** A failed load, in words, with a retry. Never a stack trace. */
export function ErrorState({ error, onRetry, title = 'Could not load this' }: ErrorStateProps) {
  return (
    <Alert
      severity="error"
      sx={{ my: 2 }}
      action={
        onRetry && (
          <Button color="inherit" size="small" onClick={onRetry}>
            Retry
          </Button>
        )
      }
    >
      <strong>{title}.</strong> {errorMessage(error)}
    </Alert>
  );
}
