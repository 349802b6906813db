import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

// Relative base: the built app works from any folder a course site serves it from.
export default defineConfig({
  base: './',
  plugins: [svelte(), offlineManifest()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: true,
    // The benchmark page ships beside the app so `npm run bench` measures the production build.
    rollupOptions: { input: { main: 'index.html', bench: 'bench.html' } },
  },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});

/**
 * Offline support: after the build, writes `sw-assets.json`, the list of every file the app needs, which
 * the service worker (public/sw.js) caches when it installs — so a lecture survives a dead hall network.
 * Relative paths only: the app works from any sub-path.
 */
function offlineManifest(): Plugin {
  return {
    name: 'migrascope-offline-manifest',
    apply: 'build',
    generateBundle(_, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map') && f !== 'bench.html' && !f.includes('bench-'));
      const assets = ['./', './index.html', ...files.map((f) => `./${f}`), './favicon.svg', './embed-demo.html'];
      this.emitFile({ type: 'asset', fileName: 'sw-assets.json', source: JSON.stringify({ version: Date.now().toString(36), assets }) });
    },
  };
}
