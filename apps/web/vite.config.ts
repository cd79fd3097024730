import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @hitless/web` serves the dashboard with hot reload and forwards API and
// socket traffic to a running api (npm start) at HITLESS_API (default http://127.0.0.1:8080).
const api = process.env.HITLESS_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      // zod ships comments Rollup cannot place; harmless, and noisy on every build.
      onwarn(warning, warn) {
        if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': api,
      '/docs': api,
      '/socket.io': { target: api, ws: true },
    },
  },
});
