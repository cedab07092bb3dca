import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = fileURLToPath(new URL('./src', import.meta.url));
const shared = fileURLToPath(new URL('../../packages/shared/src/index.ts', import.meta.url));

export default defineConfig({
  base: '/ui/',
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@keypool\/shared$/, replacement: shared },
      { find: /^@\//, replacement: `${src}/` },
    ],
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:4270', '/v1': 'http://127.0.0.1:4270' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        // Split the big, rarely-changing libraries out so each page chunk stays small and caches well.
        manualChunks(id) {
          if (!id.includes('node_modules')) {
            return undefined;
          }
          if (id.includes('@mui/x-internals') || id.includes('@mui/x-license')) {
            return 'mui-x-internals';
          }
          if (id.includes('@mui/x-charts') || id.includes('/d3-') || id.includes('/internmap')) {
            return 'charts';
          }
          if (id.includes('@mui/x-data-grid')) {
            return 'data-grid';
          }
          return undefined;
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/testing/setup-tests.ts'],
    include: ['src/**/*.spec.{ts,tsx}'],
    css: false,
    testTimeout: 15000,
  },
});
