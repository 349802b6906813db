/*
 * Migrascope's service worker: the whole static build is cached when it installs (the list comes from
 * sw-assets.json, written by the build), then every request for the app's own files is answered from
 * the cache first, so a lecture survives a dead hall network. Nothing from another origin is touched.
 * A new build (a new version in the list) replaces the cache.
 */
const PREFIX = 'migrascope-';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const res = await fetch('./sw-assets.json', { cache: 'no-store' });
      const { version, assets } = await res.json();
      const cache = await caches.open(PREFIX + version);
      await cache.addAll(assets);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const res = await fetch('./sw-assets.json', { cache: 'no-store' }).catch(() => null);
      const current = res ? PREFIX + (await res.json()).version : null;
      if (current) for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== current) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.endsWith('sw-assets.json')) return;
  event.respondWith(
    (async () => {
      // Pages are cached without their query: the scenario lives in the URL, the page is the same file.
      // Module scripts carry an Origin header the install-time requests did not: ignore Vary, or they would miss.
      const hit = await caches.match(req, { ignoreSearch: req.mode === 'navigate', ignoreVary: true });
      if (hit) return hit;
      try {
        return await fetch(req);
      } catch (e) {
        if (req.mode === 'navigate') {
          const page = await caches.match('./', { ignoreSearch: true, ignoreVary: true });
          if (page) return page;
        }
        throw e;
      }
    })(),
  );
});
