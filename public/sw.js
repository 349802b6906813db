/*
 * Migrascope's service worker: the whole static build is cached (the list comes from sw-assets.json,
 * written by the build), so a lecture survives a dead hall network. Pages are fetched network-first
 * (a new build is seen at once when online) and fall back to the cache offline; the build's files have
 * hashed names and are served cache-first. Each online page load re-reads sw-assets.json: a new build
 * is cached in full and the old one dropped — this file itself never changes between builds, so the
 * browser would not reinstall it. Nothing from another origin is touched.
 */
const PREFIX = 'migrascope-';

async function precache() {
  const res = await fetch('./sw-assets.json', { cache: 'no-store' });
  const { version, assets } = await res.json();
  const name = PREFIX + version;
  if (!(await caches.has(name))) {
    const cache = await caches.open(name);
    await cache.addAll(assets);
  }
  for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== name) await caches.delete(key);
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin || url.pathname.endsWith('sw-assets.json')) return;
  if (req.mode === 'navigate') {
    event.respondWith(
      (async () => {
        try {
          const res = await fetch(req);
          // Online: keep the cache in step with the build being served.
          event.waitUntil(precache().catch(() => {}));
          return res;
        } catch (e) {
          // Pages are cached without their query: the scenario lives in the URL, the page is the same file.
          const page = (await caches.match(req, { ignoreSearch: true, ignoreVary: true })) ?? (await caches.match('./', { ignoreSearch: true, ignoreVary: true }));
          if (page) return page;
          throw e;
        }
      })(),
    );
    return;
  }
  event.respondWith(
    (async () => {
      // Module scripts carry an Origin header the install-time requests did not: ignore Vary, or they would miss.
      const hit = await caches.match(req, { ignoreVary: true });
      return hit ?? fetch(req);
    })(),
  );
});
