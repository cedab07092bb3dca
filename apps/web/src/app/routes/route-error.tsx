import { Alert, Box, Button, Typography } from '@mui/material';
import { isRouteErrorResponse, useRouteError } from 'react-router-dom';

/** What a page shows if it crashes or its chunk fails to load: words and a way out, no stack trace. */
export function RouteError() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const chunkFailed =
    error instanceof Error && /dynamically imported module|Failed to fetch/i.test(error.message);
  return (
    <Box sx={{ p: 4, maxWidth: 640, mx: 'auto' }}>
      <Typography variant="h5" component="h1" sx={{ mb: 2 }}>
        {notFound ? 'Page not found' : 'This page could not be shown'}
      </Typography>
      <Alert severity={notFound ? 'info' : 'error'} sx={{ mb: 2 }}>
        {notFound
          ? 'There is nothing at this address.'
          : chunkFailed
            ? 'keypool was updated or is unreachable. Reload to get the latest version.'
            : 'Something went wrong while showing this page. Reloading usually helps; if not, check the server log.'}
      </Alert>
      <Button variant="contained" onClick={() => window.location.assign(`${import.meta.env.BASE_URL}`)}>
        Back to the dashboard
      </Button>{' '}
      <Button onClick={() => window.location.reload()}>Reload</Button>
    </Box>
  );
}
