import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/* The analyst's dashboard: built into dist/web, which `vigil serve` serves at `/`. Everything it needs
 * (the world map included) is bundled: no CDN, no tile server, no external font. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1024,
  },
  server: {
    // `npx vite --config web/vite.config.ts` with `vigil serve` on 8080 for development.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
