/**
 * Offline support: after the build, writes `sw-assets.json`, the list of every file the app needs, which
 * the service worker (public/sw.js) caches when it installs — so a lecture survives a dead hall network.
 * Relative paths only: the app works from any sub-path.
 */
import type { Plugin } from 'vite';

export function offlineManifest(): Plugin {
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
