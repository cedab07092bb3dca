import { Box, Paper, Stack, Typography } from '@mui/material';
import { CopyButton } from './copy-button';

/** Pre-formatted text (code samples, logged bodies): rendered as text, never as HTML. */
export function CodeBlock({ code, title, maxHeight }: { code: string; title?: string; maxHeight?: number }) {
  return (
    <Paper variant="outlined" sx={{ bgcolor: 'action.hover', overflow: 'hidden' }}>
      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', pl: 1.5, pr: 0.5 }}>
        <Typography variant="caption" color="text.secondary">
          {title}
        </Typography>
        <CopyButton text={code} label={title ? `Copy ${title}` : 'Copy'} />
      </Stack>
      <Box
        component="pre"
        sx={{
          m: 0,
          px: 1.5,
          pb: 1.5,
          typography: 'mono',
          whiteSpace: 'pre-wrap',
          wordBreak: 'break-all',
          overflow: 'auto',
          maxHeight,
        }}
      >
        {code}
      </Box>
    </Paper>
  );
}
