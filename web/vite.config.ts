import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Served by the Huoma server at /console (src/http/console.ts); hashed files under assets/ are cached for a year.
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No inline <script> or module-preload polyfill: the page's CSP allows scripts from 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
});
