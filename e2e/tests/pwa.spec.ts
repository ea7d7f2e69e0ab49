import { test, expect } from '@playwright/test';
import { Server, openChat, say, signUp, messages } from './support';

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

    // What the room showed is kept (written two seconds after a change, at most).
    await say(page, 'kept for a reload');
    await expect.poll(() => page.evaluate(() => localStorage.getItem('confab.history') ?? ''), { timeout: 10_000 })
      .toContain('kept for a reload');

    // No network: a reload still shows the app and the last messages, and says
    // it is not connected.
    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('#composer-input')).toBeVisible();
    const kept = messages(page).locator('[data-testid=message]', { hasText: 'kept for a reload' });
    await expect(kept).toHaveClass(/own/);
    await expect(page.getByTestId('status')).not.toHaveText('Connected');
    await page.screenshot({ path: `${shots}/pwa-offline-phone-light.png` });
    // The network back: it connects by itself.
    await context.setOffline(false);
    await expect(page.getByTestId('status')).toHaveText('Connected', { timeout: 15_000 });
  } finally {
    await server.stop();
  }
});

test('a message sent while the server is away survives a closed tab, and goes out once', async ({ browser }) => {
  const server = await new Server().start();
  const { addr, db } = server;
  let again: Server | undefined;
  const text = 'typed while the server was away';
  const copies = (page: import('@playwright/test').Page) =>
    messages(page).locator('[data-testid=message]', { hasText: text });
  try {
    const ann = await openChat(browser, server);
    await signUp(ann.page, 'Ann');
    await server.stop();
    await expect(ann.page.getByTestId('status')).toHaveText('Disconnected');
    await say(ann.page, text);
    await expect(copies(ann.page)).toContainText('Sending…');
    await ann.page.close();

    again = await new Server(addr, db).start();
    const bob = await openChat(browser, again, 'Bob');
    // Ann opens the app again, in the same browser.
    const page = await ann.context.newPage();
    await page.goto(again.url);
    await expect(copies(bob.page)).toHaveCount(1);
    await expect(copies(page)).toHaveCount(1);
    await expect(copies(page)).not.toContainText('Sending…');
    await expect(copies(page)).toHaveClass(/own/);
    // Once stored it is no longer kept: a reload sends nothing again. (What Ann
    // says next arrives after anything resent, on the same connection.)
    await page.reload();
    await expect(page.getByTestId('status')).toHaveText('Connected');
    await say(page, 'and now live');
    await expect(messages(bob.page)).toContainText('and now live');
    await expect(copies(bob.page)).toHaveCount(1);
  } finally {
    await again?.stop();
  }
});
