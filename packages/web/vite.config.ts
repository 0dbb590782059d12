import react from '@vitejs/plugin-react';
// vitest/config's defineConfig is Vite's plus the `test` block used by the component tests.
import { defineConfig } from 'vitest/config';

const CORE_MODULES = /\/node_modules\/(react|react-dom|react-router|scheduler|cookie|set-cookie-parser)\//;

// The console is served by the Harrier server from dist/ (see
// packages/server/src/routes/console-routes.ts); in `vite dev` the API is proxied to a local server.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // The lazily loaded chart chunk is ~360 kB; the limit sits just above what we knowingly ship.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        // React and the router change rarely: their own long-cached chunk. Everything the charts
        // need (recharts, d3, redux) stays in the lazily loaded chart chunks.
        manualChunks: (id: string) => (CORE_MODULES.test(id) ? 'react' : undefined),
      },
    },
  },
  server: {
    proxy: {
      '/api': process.env.HARRIER_DEV_API ?? 'http://127.0.0.1:8080',
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.spec.{ts,tsx}'],
    setupFiles: ['./src/test-setup.ts'],
  },
});
