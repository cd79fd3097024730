import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions } from 'vite';

// `npm run dev -w @hitless/web` serves the dashboard with hot reload and forwards API and
// socket traffic to a running api (npm start) at HITLESS_API (default http://127.0.0.1:8080).
const api = process.env.HITLESS_API ?? 'http://127.0.0.1:8080';
const devOrigin = 'http://127.0.0.1:5173';

/**
 * The api accepts changes made with the session cookie only from its own origin (CSRF). Requests
 * this dev server forwards from its own page go out as if from the api's origin; any other Origin
 * is passed on as it is, and refused there.
 */
const asApiOrigin: ProxyOptions = {
  target: api,
  configure: (proxy) => {
    const rewrite = (req: { getHeader(name: string): unknown; setHeader(name: string, value: string): void }) => {
      if (req.getHeader('origin') === devOrigin) req.setHeader('origin', new URL(api).origin);
    };
    proxy.on('proxyReq', rewrite);
    proxy.on('proxyReqWs', rewrite);
  },
};

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Maps for debugging stay in dist/ but are not linked from the bundle, and the api never
    // serves them (plugins/web.ts): they would hand out the dashboard's source.
    sourcemap: 'hidden',
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
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': asApiOrigin,
      '/docs': api,
      '/socket.io': { ...asApiOrigin, ws: true },
    },
  },
});
