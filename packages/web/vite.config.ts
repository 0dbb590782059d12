import react from '@vitejs/plugin-react';
// vitest/config's defineConfig is Vite's plus the `test` block used by the component tests.
import { defineConfig } from 'vitest/config';

// The console is served by the Harrier server from dist/ (see
// packages/server/src/routes/console-routes.ts); in `vite dev` the API is proxied to a local server.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // Charts are split into their own chunk; the limit is raised only to the size we knowingly ship.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        manualChunks(id: string) {
          if (id.includes('node_modules/recharts') || id.includes('node_modules/d3-')) return 'charts';
          if (id.includes('node_modules/react') || id.includes('node_modules/scheduler')) return 'react';
          return undefined;
        },
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
