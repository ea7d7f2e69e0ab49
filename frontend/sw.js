// Confab's service worker: the app opens without a network.
//
// - The page is fetched from the network first and kept; offline, the kept
//   copy is served, so a reload shows the app (and "Disconnected").
// - Trunk names every asset by its content hash, so a kept asset is never
//   stale: those are served from the cache first.
// - Nothing else is touched: the socket, /api/ and /uploads/ go to the network.
// - Installing keeps the page and every asset it names, so the first visit
//   already works offline; assets the current page no longer names are dropped.
const CACHE = 'confab-app';
const HASHED = /^\/[\w-]+-[0-9a-f]{10,16}(_bg)?\.(js|wasm|css|svg)$/;
const KEPT = ['/emoji.json', '/manifest.webmanifest', '/icon-192.png', '/icon-512.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(keepPage().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(pageFirst(request));
  } else if (HASHED.test(url.pathname) || KEPT.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

async function keepPage() {
  const cache = await caches.open(CACHE);
  const response = await fetch('/', { cache: 'no-cache' });
  if (!response.ok) return;
  const html = await response.clone().text();
  await cache.put('/', response);
  const assets = [...html.matchAll(/(?:href|src)="(\/[^"]+)"/g)]
    .map((m) => m[1])
    .filter((path) => HASHED.test(path));
  await cache.addAll([...new Set(assets)]);
  await prune(cache, html);
}

async function pageFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = response.clone();
      copy.text().then((html) => prune(cache, html));
      await cache.put('/', response.clone());
    }
    return response;
  } catch (offline) {
    const kept = await cache.match('/');
    if (kept) return kept;
    throw offline;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

async function prune(cache, html) {
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (HASHED.test(path) && !html.includes(path)) await cache.delete(request);
  }
}
