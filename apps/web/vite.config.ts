import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * Writes `.br` and `.gz` next to each text asset so the server can send them pre-compressed
 * (`@fastify/static` with `preCompressed: true`): a third of the bytes on a cold load, no CPU per request.
 */
function precompress(): Plugin {
  return {
    name: 'keypool-precompress',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (!/\.(js|css|html|svg|json)$/.test(file.fileName)) {
          continue;
        }
        const source = file.type === 'chunk' ? file.code : file.source;
        const buffer = typeof source === 'string' ? Buffer.from(source) : Buffer.from(source);
        if (buffer.length < 1024) {
          continue;
        }
        this.emitFile({
          type: 'asset',
          fileName: `${file.fileName}.gz`,
          source: gzipSync(buffer, { level: 9 }),
        });
        this.emitFile({
          type: 'asset',
          fileName: `${file.fileName}.br`,
          source: brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        });
      }
    },
  };
}

const src = fileURLToPath(new URL('./src', import.meta.url));
const shared = fileURLToPath(new URL('../../packages/shared/src/index.ts', import.meta.url));

export default defineConfig({
  base: '/ui/',
  plugins: [react(), precompress()],
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
