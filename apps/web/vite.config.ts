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
    // No manualChunks: pages are React.lazy imports, so rollup already gives each page (and the heavy
    // charts / data grid libraries they use) separate chunks that the first page never loads.
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/testing/setup-tests.ts'],
    include: ['src/**/*.spec.{ts,tsx}'],
    css: false,
    testTimeout: 15000,
  },
});
