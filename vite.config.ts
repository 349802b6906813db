import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';
import { checkLessons } from './build/lessons-plugin';
import { offlineManifest } from './build/offline-plugin';

// Relative base: the built app works from any folder a course site serves it from.
export default defineConfig({
  base: './',
  plugins: [svelte(), checkLessons('src/content/lessons'), offlineManifest()],
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
