import { Grid, Skeleton, Stack } from '@mui/material';

/** Shown while a page's code chunk loads. */
export function PageSkeleton() {
  return (
    <Stack spacing={2} aria-busy="true" aria-label="Loading page">
      <Skeleton variant="text" width={220} height={44} />
      <Grid container spacing={2}>
        {[0, 1, 2, 3].map((i) => (
          <Grid key={i} size={{ xs: 6, md: 3 }}>
            <Skeleton variant="rounded" height={96} />
          </Grid>
        ))}
      </Grid>
      <Skeleton variant="rounded" height={280} />
    </Stack>
  );
}
