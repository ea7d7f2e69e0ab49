import { test, expect } from '@playwright/test';
import { Server } from './support';

const shots = 'test-results/screenshots';

test('installable: a manifest with icons, and a reload without a network shows the app', async ({ browser }) => {
  const server = await new Server().start();
  try {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await expect(page.getByTestId('status')).toHaveText('Connected');

    // What the browser's install check reads: the manifest, its icons, a worker.
    const href = await page.locator('link[rel=manifest]').getAttribute('href');
    const manifest = await (await page.request.get(server.url + href)).json();
    expect(manifest).toMatchObject({ name: 'Confab', start_url: '/', display: 'standalone' });
    const sizes = manifest.icons.map((i: { sizes: string }) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons) {
      const got = await page.request.get(server.url + icon.src);
      expect(got.headers()['content-type']).toBe('image/png');
    }
    await page.evaluate(() => navigator.serviceWorker.ready);
    // Installing kept the page and every asset it names: the wasm among them.
    await expect.poll(() => page.evaluate(async () => {
      const kept = await (await caches.open('confab-app')).keys();
      return kept.map((r) => new URL(r.url).pathname);
    })).toEqual(expect.arrayContaining(['/', expect.stringMatching(/_bg\.wasm$/)]));

    // No network: a reload still shows the app, and says it is not connected.
    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('#composer-input')).toBeVisible();
    await expect(page.getByTestId('status')).not.toHaveText('Connected');
    await page.screenshot({ path: `${shots}/pwa-offline-phone-light.png` });
    // The network back: it connects by itself.
    await context.setOffline(false);
    await expect(page.getByTestId('status')).toHaveText('Connected', { timeout: 15_000 });
  } finally {
    await server.stop();
  }
});
