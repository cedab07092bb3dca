import { Card, CardContent, Skeleton, Typography } from '@mui/material';
import type { ReactNode } from 'react';

interface ChartCardProps {
  title: string;
  subtitle?: string;
  loading?: boolean;
  empty?: boolean;
  height?: number;
  children: ReactNode;
}

export function ChartCard({ title, subtitle, loading, empty, height = 260, children }: ChartCardProps) {
  return (
    <Card sx={{ height: '100%' }}>
      <CardContent>
        <Typography variant="h6" component="h2">
          {title}
        </Typography>
        {subtitle && (
          <Typography variant="body2" color="text.secondary">
            {subtitle}
          </Typography>
        )}
        {loading ? (
          <Skeleton variant="rounded" height={height} sx={{ mt: 2 }} />
        ) : empty ? (
          <Typography
            color="text.secondary"
            variant="body2"
            sx={{
              height,
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              textAlign: 'center',
            }}
          >
            No traffic in this range yet. Send a request through /v1 and it shows up here.
          </Typography>
        ) : (
          children
        )}
      </CardContent>
    </Card>
  );
}
