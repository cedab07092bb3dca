import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Notifier } from '@/components/notifier';
import { createQueryClient } from '@/lib/query-client';
import { AppTheme } from '@/theme/app-theme';

export function AppProviders({ children, queryClient }: { children: ReactNode; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <AppTheme>
      <QueryClientProvider client={client}>
        {children}
        <Notifier />
      </QueryClientProvider>
    </AppTheme>
  );
}
